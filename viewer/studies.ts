/**
 * Studies over a recording's series, as the viewer's API serves them: each entity's samples in the
 * range on a regular grid (gaps as NaN), handed to the pure study in analysis/, the results given
 * back in epoch milliseconds.
 *
 * @module
 */

import type { Recording } from "../recording/recording.ts";
import type { Series } from "../recording/series.ts";
import { detectPeriodicity } from "../analysis/periodicity.ts";

/** Most samples per series a study reads: a day at 1 Hz; longer ranges are bucketed (means). */
export const STUDY_MAX_POINTS = 86_400;

/** What to study. */
export interface StudyQuery {
  table: string;
  metric: string;
  fromMs: number;
  toMs: number;
  ids?: readonly string[];
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
 * at most {@linkcode STUDY_MAX_POINTS} of them, else bucket means.
 */
export async function gridSeries(rec: Recording, q: StudyQuery): Promise<GridSeries[]> {
  const points = Math.min(STUDY_MAX_POINTS, Math.ceil((q.toMs - q.fromMs) / 1000));
  const result = await rec.series({ ...q, points });
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

/** The periodicity study of every series of a query (REQ-VIEW-020). */
export async function studyPeriodicity(rec: Recording, q: StudyQuery) {
  const series = await gridSeries(rec, q);
  return {
    study: "periodicity",
    table: q.table,
    metric: q.metric,
    fromMs: q.fromMs,
    toMs: q.toMs,
    stepMs: series[0]?.stepMs ?? 1000,
    results: series.map((s) => {
      const r = detectPeriodicity(s.values, { stepSeconds: s.stepMs / 1000 });
      const at = (i: number) => s.fromMs + i * s.stepMs;
      return {
        id: s.id,
        node: s.node,
        key: s.key,
        period: r.period && {
          periodSeconds: r.period.periodSeconds,
          confidence: r.period.confidence,
          amplitude: r.period.amplitude,
          correlation: r.period.correlation,
          cycles: r.period.cycles,
        },
        windows: r.windows.map((w) => ({
          fromMs: at(w.start),
          toMs: at(w.end),
          periodSeconds: w.periodSeconds,
          confidence: w.confidence,
          amplitude: w.amplitude,
        })),
        notes: r.notes,
      };
    }),
  };
}
