/**
 * The study tools — `study_periodicity`, `study_changepoint`, `study_correlation` — each the study
 * of `fgm analyze` with its parameters, answering exactly what `fgm analyze --json` prints: both
 * call `runStudy` (analyze/run.ts; JSON in specs/analysis.md). The range is given as in every
 * tool here (`from`/`to`/`last`) and handed over in epoch milliseconds.
 *
 * @module
 */

import { z } from "zod";
import { runStudy, StudyError, type StudyName, type StudyParams } from "../analyze/run.ts";
import { ArgumentError } from "./errors.ts";
import { RANGE, rangeOf, TABLE, tableOf, tool, type ToolContext, type ToolDef } from "./tool.ts";

/** The arguments every study takes, as `fgm analyze` does. */
const COMMON = {
  metric: z.string().min(1).describe(
    "a metric from list_metrics, e.g. cpu_usage_millicores (counters are studied as increments)",
  ),
  table: TABLE,
  container: z.string().min(1).optional().describe(
    "one container: its name, id or id prefix (≥ 4 characters); default: every one in turn " +
      "(give one: every container's result is long)",
  ),
  ...RANGE,
  points: z.number().int().min(10).max(1_000_000).optional().describe(
    "most grid points per series (default 86400; correlation 7200)",
  ),
};

/** Runs `study` with the checked arguments `extra` adds to the common ones. */
async function study(
  name: StudyName,
  args: z.output<z.ZodObject<typeof COMMON>> & Record<string, unknown>,
  ctx: ToolContext,
  extra: Partial<StudyParams>,
): Promise<Record<string, unknown>> {
  const table = await tableOf(ctx, args.table);
  const { fromMs, toMs } = await rangeOf(ctx, args);
  try {
    const result = await runStudy(ctx.rec, {
      study: name,
      metric: args.metric,
      table,
      container: args.container,
      fromMs,
      toMs,
      points: args.points,
      ...extra,
    });
    return result as unknown as Record<string, unknown>;
  } catch (error) {
    if (error instanceof StudyError) throw new ArgumentError(error.message);
    throw error;
  }
}

/** `study_periodicity`. */
export const studyPeriodicityTool: ToolDef = tool({
  name: "study_periodicity",
  title: "Does a metric repeat, and with what period (fgm analyze --study periodicity)",
  description:
    "What recurs: per series the dominant period in seconds (2 s … 1 h, by autocorrelation " +
    "with a threshold scaled to the series' own noise) with confidence (0–1), amplitude (in the " +
    "metric's unit) and cycles, other periods, the spans (epoch ms) where it holds, and notes " +
    "when nothing is found. E.g. a cron job, a GC or a health check every N s. The JSON of " +
    "`fgm analyze --study periodicity --json`.",
  input: z.object({
    ...COMMON,
    minPeriodSeconds: z.number().positive().optional().describe("shortest period (default 2)"),
    maxPeriodSeconds: z.number().positive().optional().describe("longest period (default 3600)"),
  }).strict(),
  run: (args, ctx) =>
    study("periodicity", args, ctx, {
      minPeriodSeconds: args.minPeriodSeconds,
      maxPeriodSeconds: args.maxPeriodSeconds,
    }),
});

/** `study_changepoint`. */
export const studyChangepointTool: ToolDef = tool({
  name: "study_changepoint",
  title: "When did a metric's level change (fgm analyze --study changepoint)",
  description:
    "What changed: level shifts (PELT) per series, each with its time (epoch ms), the mean " +
    "before and after, magnitude, direction and score, and the segments between them. E.g. " +
    "memory that stepped up after a deploy. The JSON of `fgm analyze --study changepoint --json`.",
  input: z.object({
    ...COMMON,
    cost: z.enum(["mean", "meanvar"]).optional().describe(
      "mean (default): shifts of the level; meanvar: of level or spread",
    ),
    minSegment: z.number().int().min(1).max(1_000_000).optional().describe(
      "fewest samples in a segment (default 5)",
    ),
    penaltyFactor: z.number().positive().optional().describe(
      "penalty per change as a multiple of ln n (default 2 for mean, 3 for meanvar)",
    ),
  }).strict(),
  run: (args, ctx) =>
    study("changepoint", args, ctx, {
      cost: args.cost,
      minSegment: args.minSegment,
      penaltyFactor: args.penaltyFactor,
    }),
});

/** `study_correlation`. */
export const studyCorrelationTool: ToolDef = tool({
  name: "study_correlation",
  title: "What moves together with a metric (fgm analyze --study correlation)",
  description:
    "What moves together: for a container's metric, the series of any container, process or " +
    "host metric most correlated with it within ±maxLagSeconds, with r, the lag (positive: " +
    "the target follows) and a p-value that accounts for autocorrelation (two smooth trends " +
    "are not called related). Name a container: every metric of the recording is compared. " +
    "The JSON of `fgm analyze --study correlation --json`.",
  input: z.object({
    ...COMMON,
    top: z.number().int().min(1).max(100).optional().describe("series per target (default 10)"),
    maxLagSeconds: z.number().min(0).max(3600).optional().describe(
      "lags tried each way, seconds (default 30)",
    ),
    alpha: z.number().gt(0).lt(1).optional().describe("family-wise error rate (default 0.01)"),
    candidateTables: z.array(z.string()).optional().describe(
      "tables whose metrics are candidates (default containers, processes, host)",
    ),
  }).strict(),
  run: (args, ctx) =>
    study("correlation", args, ctx, {
      top: args.top,
      maxLagSeconds: args.maxLagSeconds,
      alpha: args.alpha,
      candidateTables: args.candidateTables,
    }),
});
