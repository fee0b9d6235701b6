/**
 * `fgm analyze <path> --study periodicity|changepoint|correlation --metric M`: a study of a
 * recording in the terminal or as JSON (`--json`), the same JSON the viewer's
 * `/api/study/<name>` and `fgm mcp` give (analyze/run.ts). Without `--container`, every container
 * (entity of the table) in turn.
 *
 * @module
 */

import { parse } from "../cli/args.ts";
import { DURATION_SYNTAX, parseDuration } from "../cli/duration.ts";
import { NotFoundError, quote, UsageError } from "../cli/errors.ts";
import { openRecording } from "../recording/recording.ts";
import { runStudy, STUDIES, StudyError, type StudyName, type StudyParams } from "./run.ts";
import { renderStudy } from "./render.ts";

const HELP =
  `Usage: fgm analyze <file.parquet | directory> --study <name> --metric <column> [options]

Studies a metric of a recording: every container in turn, or one.

Studies:
  periodicity   what recurs: the dominant period (2 s … 1 h), its confidence, amplitude and
                the spans where it holds
  changepoint   what changed: level shifts (PELT), with levels before and after
  correlation   what moves together: the series (any container, process or host metric)
                most correlated with it within ±30 s, with the lag and a significance that
                accounts for autocorrelation

Options:
  --study <name>        periodicity, changepoint or correlation (required)
  --metric <column>     e.g. cpu_usage_millicores, memory_usage_bytes (required)
  --table <name>        containers (default), processes or host
  --container <c>       a container's name, id or id prefix (default: every one)
  --from <time>         start: an ISO date (2026-12-04T10:00Z), epoch ms, +<duration> after
                        the recording's start or -<duration> before its end (default: start)
  --to <time>           end, the same way (default: the recording's end)
  --points <n>          most grid points per series (default 86400; correlation 7200)
  --cost <mean|meanvar> changepoint cost (default mean)
  --min-segment <n>     changepoint: fewest samples in a segment (default 5)
  --top <n>             correlation: series shown (default 10)
  --max-lag <duration>  correlation: lags tried each way (default 30s)
  --json                the result as JSON (specs/analysis.md)
  -h, --help            show this help

Counters (kind "total") are studied as their increments per step, resets as restarts.`;

/** Parsed `fgm analyze` arguments. */
export interface AnalyzeOptions {
  path: string;
  json: boolean;
  params: StudyParams;
  /** --from / --to as written, resolved against the recording's range. */
  from?: string;
  to?: string;
}

function count(name: string, text: unknown, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `analyze: ${name} takes a whole number from ${min} to ${max}, not ${quote(text)}`,
    );
  }
  return n;
}

/** Parses `fgm analyze` arguments. */
export function parseAnalyzeArgs(args: string[]): AnalyzeOptions | "help" {
  const { values, positionals } = parse("analyze", args, {
    study: { type: "string" },
    metric: { type: "string" },
    table: { type: "string" },
    container: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    points: { type: "string" },
    cost: { type: "string" },
    "min-segment": { type: "string" },
    top: { type: "string" },
    "max-lag": { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "analyze: which recording? (fgm analyze <file.parquet | directory> --study … --metric …)"
        : `analyze: one recording at a time, not ${positionals.length}`,
    );
  }
  if (positionals[0].trim() === "") throw new UsageError(`analyze: the recording's path is empty`);
  const study = values.study;
  if (typeof study !== "string" || !(STUDIES as readonly string[]).includes(study)) {
    throw new UsageError(
      `analyze: --study takes ${STUDIES.join(", ")}${
        study === undefined ? " (required)" : `, not ${quote(study)}`
      }`,
    );
  }
  const metric = values.metric;
  if (typeof metric !== "string" || metric.trim() === "") {
    throw new UsageError(`analyze: --metric needs a column, e.g. cpu_usage_millicores`);
  }
  const cost = values.cost;
  if (cost !== undefined && cost !== "mean" && cost !== "meanvar") {
    throw new UsageError(`analyze: --cost takes mean or meanvar, not ${quote(cost)}`);
  }
  let maxLagSeconds: number | undefined;
  if (values["max-lag"] !== undefined) {
    let ms = NaN;
    try {
      ms = parseDuration(String(values["max-lag"]));
    } catch { /* refused below */ }
    if (!(ms >= 0 && ms <= 3_600_000)) {
      throw new UsageError(
        `analyze: --max-lag takes a duration from 0 to 1h (${DURATION_SYNTAX}), not ${
          quote(values["max-lag"])
        }`,
      );
    }
    maxLagSeconds = ms / 1000;
  }
  const container = values.container === undefined ? undefined : String(values.container);
  if (container !== undefined && container.trim() === "") {
    throw new UsageError(`analyze: --container needs a name or id, not ""`);
  }
  return {
    path: positionals[0],
    json: values.json === true,
    from: values.from === undefined ? undefined : String(values.from),
    to: values.to === undefined ? undefined : String(values.to),
    params: {
      study: study as StudyName,
      metric,
      table: values.table === undefined ? undefined : String(values.table),
      container,
      points: count("--points", values.points, 10, 1_000_000),
      cost: cost as "mean" | "meanvar" | undefined,
      minSegment: count("--min-segment", values["min-segment"], 1, 1_000_000),
      top: count("--top", values.top, 1, 1000),
      maxLagSeconds,
    },
  };
}

/**
 * A `--from`/`--to` value in epoch ms: an ISO date, epoch milliseconds, `+<duration>` after the
 * recording's start or `-<duration>` before its end.
 */
export function resolveTime(
  flag: string,
  text: string,
  range: { startMs: number; endMs: number } | null,
): number {
  const rel = text.match(/^([+-])(.+)$/);
  if (rel && !/^[+-]?\d+$/.test(text)) {
    let ms = NaN;
    try {
      ms = parseDuration(rel[2]);
    } catch { /* refused below */ }
    if (Number.isFinite(ms)) {
      if (range === null) throw new UsageError(`analyze: ${flag} ${text}: the recording is empty`);
      return rel[1] === "+" ? range.startMs + ms : range.endMs + 1 - ms;
    }
  }
  const n = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(n)) {
    throw new UsageError(
      `analyze: ${flag} takes an ISO date, epoch ms, +<duration> or -<duration>, not ${
        quote(text)
      }`,
    );
  }
  return n;
}

/** Runs `fgm analyze`. */
export async function analyzeMain(args: string[]): Promise<number> {
  const o = parseAnalyzeArgs(args);
  if (o === "help") {
    console.log(HELP);
    return 0;
  }
  try {
    Deno.statSync(o.path);
  } catch (error) {
    throw new NotFoundError(
      `Cannot open "${o.path}": ${error instanceof Error ? error.message.split(":")[0] : error}`,
    );
  }
  const rec = await openRecording(o.path, {
    problem: (path, reason) => console.error(`fgm analyze: skipping "${path}": ${reason}`),
  });
  try {
    const range = await rec.range();
    const params: StudyParams = { ...o.params };
    if (o.from !== undefined) params.fromMs = resolveTime("--from", o.from, range);
    if (o.to !== undefined) params.toMs = resolveTime("--to", o.to, range);
    if (range === null && rec.catalog.tables().length === 0) {
      throw new NotFoundError(`"${o.path}" holds no recording (no Parquet file fgm can read)`);
    }
    let result;
    try {
      result = await runStudy(rec, params);
    } catch (error) {
      if (error instanceof StudyError) {
        throw error.status === 404
          ? new NotFoundError(`analyze: ${error.message}`)
          : new UsageError(`analyze: ${error.message}`);
      }
      throw error;
    }
    console.log(o.json ? JSON.stringify(result, null, 2) : renderStudy(result));
    return 0;
  } finally {
    rec.close();
  }
}
