/**
 * A recording's series on a regular grid, as every study takes them: each entity's samples in the
 * range (or bucket means when the range holds more than the points asked for), gaps as NaN.
 *
 * @module
 */

import type { Recording } from "../recording/recording.ts";
import type { Series } from "../recording/series.ts";

/** Most samples per series a study reads by default: a day at 1 Hz; longer ranges are bucketed. */
export const STUDY_MAX_POINTS = 86_400;

/** What to read. */
export interface GridQuery {
  table: string;
  metric: string;
  fromMs: number;
  toMs: number;
  ids?: readonly string[];
  nodes?: readonly string[];
  /** Most grid points (default {@linkcode STUDY_MAX_POINTS}). */
  points?: number;
}

/** A series on a regular grid: `values[i]` at `fromMs + i·stepMs`, NaN where there is none. */
export interface GridSeries {
  id: string;
  node: string;
  key: Series["key"];
  fromMs: number;
  stepMs: number;
  values: Float64Array;
}

/**
 * The series of a query on a regular grid: the samples themselves (1 s steps) when the range holds
 * at most `points` seconds, else bucket means of the query's nice step. Every series of one query
 * shares the grid (start and step).
 */
export async function gridSeries(rec: Recording, q: GridQuery): Promise<GridSeries[]> {
  const cap = Math.max(1, q.points ?? STUDY_MAX_POINTS);
  const points = Math.max(1, Math.min(cap, Math.ceil((q.toMs - q.fromMs) / 1000)));
  const result = await rec.series({
    table: q.table,
    metric: q.metric,
    fromMs: q.fromMs,
    toMs: q.toMs,
    ids: q.ids,
    nodes: q.nodes,
    points,
  });
  const stepMs = result.stepMs === 0 ? 1000 : result.stepMs;
  const start = result.stepMs === 0 ? q.fromMs : Math.floor(q.fromMs / stepMs) * stepMs;
  const n = Math.max(1, Math.ceil((q.toMs - start) / stepMs));
  return result.series.map((s) => {
    const values = new Float64Array(n).fill(NaN);
    for (let i = 0; i < s.t.length; i++) {
      const v = s.mean[i];
      if (v === null) continue;
      const k = Math.round((s.t[i] - start) / stepMs);
      if (k >= 0 && k < n) values[k] = v;
    }
    return { id: s.id, node: s.node, key: s.key, fromMs: start, stepMs, values };
  });
}
