/**
 * Statistics of recorded series for the tools: one series query per metric through the recording's
 * query layer (the samples themselves for ranges up to a day, bucket means beyond), summarized per
 * entity (mcp/stats.ts).
 *
 * @module
 */

import type { Recording } from "../recording/recording.ts";
import type { Series } from "../recording/series.ts";
import { summarize, type Summary } from "./stats.ts";

/** Most points per series a statistic reads: a day at 1 Hz; longer ranges are bucketed. */
export const STATS_MAX_POINTS = 86_400;

/** One entity's series and its statistics. */
export interface EntityStats {
  series: Series;
  summary: Summary;
}

/** What to read. */
export interface StatsQuery {
  table: string;
  metric: string;
  fromMs: number;
  toMs: number;
  ids?: readonly string[];
  nodes?: readonly string[];
  /** Most points per series (default {@linkcode STATS_MAX_POINTS}). */
  maxPoints?: number;
}

/** The statistics of every entity of a query that has a value in the range, by entity id. */
export async function entityStats(
  rec: Recording,
  q: StatsQuery,
): Promise<{ stepMs: number; byId: Map<string, EntityStats> }> {
  const { maxPoints = STATS_MAX_POINTS, ...query } = q;
  const points = Math.min(maxPoints, Math.max(1, Math.ceil((q.toMs - q.fromMs) / 1000)));
  const result = await rec.series({ ...query, points });
  const byId = new Map<string, EntityStats>();
  for (const series of result.series) {
    const summary = summarize(series);
    if (summary !== null) byId.set(series.id, { series, summary });
  }
  return { stepMs: result.stepMs, byId };
}

/**
 * The summaries of several metrics of a table (those the recording has; a metric no file holds is
 * left out), by metric then entity id.
 */
export async function metricSummaries(
  rec: Recording,
  q: Omit<StatsQuery, "metric">,
  metrics: readonly string[],
): Promise<Map<string, Map<string, Summary>>> {
  const out = new Map<string, Map<string, Summary>>();
  if (!rec.catalog.tables().includes(q.table)) return out;
  for (const metric of metrics) {
    const { byId } = await entityStats(rec, { ...q, metric });
    out.set(metric, new Map([...byId].map(([id, s]) => [id, s.summary])));
  }
  return out;
}
