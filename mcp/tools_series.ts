/**
 * The tools that read series: `get_series` (metric × entities × range as summary statistics and
 * at most N points with min and max kept), `top_containers` (the N highest by a metric) and
 * `export_parquet` (a slice written to a Parquet file the user names).
 *
 * @module
 */

import { z } from "zod";
import { dirname, isAbsolute, resolve } from "node:path";
import { exportSlice } from "../recording/export.ts";
import { type EntityStats, entityStats } from "./facts.ts";
import { ArgumentError } from "./errors.ts";
import { labelOf, selectEntities } from "./select.ts";
import { reducePoints, round, type Summary } from "./stats.ts";
import { iso } from "./time.ts";
import {
  CONTAINERS,
  FILTERS,
  metricOf,
  RANGE,
  rangeOf,
  rangeResult,
  TABLE,
  tableOf,
  tool,
} from "./tool.ts";

/** A summary as results give it: rounded, times in ISO 8601. */
export function summaryResult(s: Summary) {
  return {
    min: round(s.min),
    max: round(s.max),
    mean: round(s.mean),
    p50: round(s.p50),
    p95: round(s.p95),
    p99: round(s.p99),
    last: round(s.last),
    maxAt: iso(s.maxAtMs),
    minAt: iso(s.minAtMs),
    samples: s.samples,
  };
}

function basisOf(stepMs: number): string {
  return stepMs === 0
    ? "every sample"
    : `${stepMs / 1000}-s bucket means (min, max and their times exact)`;
}

const PIDS = z.array(z.number().int().min(1).max(4_194_304)).max(100).optional().describe(
  'processes by host PID (table "processes")',
);

/** `get_series`. */
export const getSeriesTool = tool({
  name: "get_series",
  title: "A metric over time",
  description:
    "A metric of some containers (or processes, or the host) over a range: per series min, " +
    "max, mean, p50/p95/p99, last value and when the max and min were, plus at most `points` " +
    "points [seconds from start, min, mean, max] (each bucket keeps its min and max, so a " +
    "one-second spike survives). Series are ordered by their max; at most `maxSeries`.",
  input: z.object({
    metric: z.string().min(1).describe(
      "a metric name from list_metrics, e.g. cpu_usage_millicores",
    ),
    table: TABLE,
    containers: CONTAINERS,
    ...FILTERS,
    pids: PIDS,
    ...RANGE,
    points: z.number().int().min(10).max(500).default(60).describe("most points per series"),
    maxSeries: z.number().int().min(1).max(50).default(10).describe("most series returned"),
  }).strict(),
  run: async (args, ctx) => {
    const table = await tableOf(ctx, args.table);
    const info = await metricOf(ctx, table, args.metric);
    const { fromMs, toMs } = await rangeOf(ctx, args);
    const selected = await selectEntities(ctx, table, args, fromMs, toMs);
    const { stepMs, byId } = await entityStats(ctx.rec, {
      table,
      metric: info.name,
      fromMs,
      toMs,
      ids: selected.ids,
    });
    const ranked = [...byId.values()].sort((a, b) => b.summary.max - a.summary.max);
    const empty = (selected.ids ?? []).filter((id) => !byId.has(id));
    return {
      table,
      metric: info.name,
      unit: info.unit,
      kind: info.kind,
      description: info.description,
      range: rangeResult(fromMs, toMs),
      basis: basisOf(stepMs),
      series: ranked.slice(0, args.maxSeries).map((s: EntityStats) => {
        const reduced = reducePoints(s.series, fromMs, toMs, args.points);
        const start = reduced.t[0] ?? fromMs;
        return {
          ...labelOf(selected.entities.get(s.series.id), s.series.id),
          summary: summaryResult(s.summary),
          points: {
            start: iso(start),
            columns: ["seconds", "min", "mean", "max"],
            rows: reduced.t.map((t, i) => [
              round((t - start) / 1000),
              reduced.min[i] === null ? null : round(reduced.min[i]!),
              reduced.mean[i] === null ? null : round(reduced.mean[i]!),
              reduced.max[i] === null ? null : round(reduced.max[i]!),
            ]),
          },
        };
      }),
      omittedSeries: Math.max(0, ranked.length - args.maxSeries),
      withoutValues: empty.map((id) => labelOf(selected.entities.get(id), id)),
    };
  },
});

/** Most buckets per series `top_containers` reads when it ranks by max or mean. */
const TOP_POINTS = 1440;

/** `top_containers`. */
export const topContainersTool = tool({
  name: "top_containers",
  title: "The containers highest by a metric",
  description:
    "The N containers with the highest max (or mean, or p95) of a metric over a range, with " +
    "each one's pod, namespace, mean, p95, max and when the max was.",
  input: z.object({
    metric: z.string().min(1).describe("a containers metric, e.g. cpu_usage_millicores"),
    by: z.enum(["max", "mean", "p95"]).default("max").describe("what to rank by"),
    n: z.number().int().min(1).max(50).default(5).describe("how many"),
    ...RANGE,
    ...FILTERS,
  }).strict(),
  run: async (args, ctx) => {
    const table = await tableOf(ctx, "containers");
    const info = await metricOf(ctx, table, args.metric);
    const { fromMs, toMs } = await rangeOf(ctx, args);
    const selected = await selectEntities(ctx, table, args, fromMs, toMs);
    const { stepMs, byId } = await entityStats(ctx.rec, {
      table,
      metric: info.name,
      fromMs,
      toMs,
      ids: selected.ids,
      // Bucket maxima are exact, bucket means near enough to rank by; p95 needs the samples.
      maxPoints: args.by === "p95" ? undefined : TOP_POINTS,
    });
    const ranked = [...byId.values()].sort((a, b) => b.summary[args.by] - a.summary[args.by]);
    return {
      metric: info.name,
      unit: info.unit,
      by: args.by,
      range: rangeResult(fromMs, toMs),
      basis: basisOf(stepMs),
      top: ranked.slice(0, args.n).map((s, i) => {
        const e = selected.entities.get(s.series.id);
        const label = (k: string) => (e?.labels[k] == null ? null : String(e.labels[k]));
        return {
          rank: i + 1,
          ...labelOf(e, s.series.id),
          pod: label("pod_name"),
          namespace: label("namespace"),
          value: round(s.summary[args.by]),
          mean: round(s.summary.mean),
          p95: round(s.summary.p95),
          max: round(s.summary.max),
          maxAt: iso(s.summary.maxAtMs),
        };
      }),
      ranked: ranked.length,
    };
  },
});

/**
 * The path an export may write: absolute, a `.parquet` name, in an existing directory outside the
 * recording, and not an existing file (nothing fgm did not write is ever replaced).
 *
 * @throws {ArgumentError} naming what is wrong.
 */
export function exportPath(path: string, recordingRoot: string): string {
  if (!isAbsolute(path)) throw new ArgumentError(`path must be absolute, not "${path}"`);
  if (!/\.parquet$/i.test(path)) throw new ArgumentError(`path must end in .parquet: "${path}"`);
  const target = resolve(path);
  let dir: string;
  try {
    dir = Deno.realPathSync(dirname(target));
  } catch {
    throw new ArgumentError(`Cannot write "${path}": its directory does not exist`);
  }
  let root: string;
  try {
    root = Deno.realPathSync(recordingRoot);
  } catch {
    root = resolve(recordingRoot);
  }
  if (dir === root || dir.startsWith(root.endsWith("/") ? root : `${root}/`)) {
    throw new ArgumentError(
      `Cannot write "${path}": it is inside the recording, which fgm mcp only reads`,
    );
  }
  let exists = false;
  try {
    Deno.lstatSync(target);
    exists = true;
  } catch { /* free */ }
  if (exists) throw new ArgumentError(`Cannot write "${path}": a file is there already`);
  return target;
}

/** `export_parquet`. */
export const exportParquetTool = tool({
  name: "export_parquet",
  title: "Export a slice to Parquet",
  description:
    "Writes every column of a table for some containers (or processes, or the host) over a range " +
    "to a new Parquet file at an absolute path the user chose (never over an existing file, " +
    "never inside the recording); DuckDB, pandas, Polars and fgm view open it.",
  input: z.object({
    path: z.string().min(1).describe("absolute path of the new file, ending in .parquet"),
    table: TABLE,
    containers: CONTAINERS,
    ...FILTERS,
    pids: PIDS,
    ...RANGE,
  }).strict(),
  run: async (args, ctx) => {
    const table = await tableOf(ctx, args.table);
    const { fromMs, toMs } = await rangeOf(ctx, args);
    const target = exportPath(args.path, ctx.rec.catalog.root);
    const selected = await selectEntities(ctx, table, args, fromMs, toMs);
    let slice: { bytes: Uint8Array; rows: number };
    try {
      slice = await exportSlice(ctx.rec, { table, fromMs, toMs, ids: selected.ids });
    } catch (error) {
      if (error instanceof RangeError) throw new ArgumentError(error.message);
      throw error;
    }
    const file = Deno.openSync(target, { write: true, createNew: true });
    try {
      let written = 0;
      while (written < slice.bytes.length) written += file.writeSync(slice.bytes.subarray(written));
    } catch (error) {
      file.close();
      Deno.removeSync(target); // made by this call a moment ago
      throw new Error(`Cannot write "${target}": ${(error as Error).message}`);
    }
    file.close();
    return {
      path: target,
      table,
      rows: slice.rows,
      bytes: slice.bytes.length,
      range: rangeResult(fromMs, toMs),
    };
  },
});
