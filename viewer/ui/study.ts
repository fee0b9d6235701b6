/**
 * The periodicity study (`/api/study/periodicity`) as the chart and the list show it: the windows
 * in which a series repeats become shaded bands (overlapping windows of about the same period are
 * merged into one band), and each series gets a row with its period, confidence and amplitude in
 * the metric's unit. Pure.
 *
 * @module
 */

import type { PeriodicityResult, StudyWindow } from "./api.ts";
import { formatPercent, formatPeriod, formatValue } from "./format.ts";

/** A shaded band of the chart: where one series repeats. */
export interface StudyBand {
  seriesId: string;
  fromMs: number;
  toMs: number;
  periodSeconds: number;
  confidence: number;
  color: string;
  /** Which series it is among those with bands (its stripe at the top of the chart). */
  row: number;
  label: string;
}

/**
 * Windows sorted by start, those that touch or overlap and whose periods differ by at most
 * `tolerance` (relative) joined: the period weighted by confidence, the best confidence, the
 * largest amplitude.
 */
export function mergeWindows(windows: readonly StudyWindow[], tolerance = 0.1): StudyWindow[] {
  const sorted = [...windows].sort((a, b) => a.fromMs - b.fromMs);
  const out: (StudyWindow & { weight: number })[] = [];
  for (const w of sorted) {
    const last = out.at(-1);
    const close = last !== undefined &&
      Math.abs(w.periodSeconds - last.periodSeconds) <=
        tolerance * Math.max(w.periodSeconds, last.periodSeconds);
    if (last && w.fromMs <= last.toMs && close) {
      const weight = last.weight + Math.max(w.confidence, 1e-6);
      last.periodSeconds = (last.periodSeconds * last.weight +
        w.periodSeconds * Math.max(w.confidence, 1e-6)) / weight;
      last.weight = weight;
      last.toMs = Math.max(last.toMs, w.toMs);
      last.confidence = Math.max(last.confidence, w.confidence);
      last.amplitude = Math.max(last.amplitude, w.amplitude);
    } else {
      out.push({ ...w, weight: Math.max(w.confidence, 1e-6) });
    }
  }
  return out.map(({ weight: _, ...w }) => w);
}

/** The bands of a study's results, a row per series that has any. */
export function studyBands(
  results: readonly PeriodicityResult[],
  colorOf: (id: string) => string,
): StudyBand[] {
  const bands: StudyBand[] = [];
  let row = 0;
  for (const r of results) {
    const windows = mergeWindows(r.windows);
    if (windows.length === 0) continue;
    for (const w of windows) {
      bands.push({
        seriesId: r.id,
        fromMs: w.fromMs,
        toMs: w.toMs,
        periodSeconds: w.periodSeconds,
        confidence: w.confidence,
        color: colorOf(r.id),
        row,
        label: `${formatPeriod(w.periodSeconds)} · ${formatPercent(w.confidence)}`,
      });
    }
    row++;
  }
  return bands;
}

/** One series' line in the study's list. */
export interface StudyRow {
  seriesId: string;
  color: string;
  /** The period over the whole range, or null when none was found. */
  periodSeconds: number | null;
  period: string;
  confidence: string;
  amplitude: string;
  cycles: string;
  /** Windows (merged) in which the series repeats. */
  windows: number;
  notes: string[];
}

/** The list's rows: series with a period first (most confident first), then the others. */
export function studyRows(
  results: readonly PeriodicityResult[],
  unit: string,
  colorOf: (id: string) => string,
): StudyRow[] {
  const rows = results.map((r): StudyRow => ({
    seriesId: r.id,
    color: colorOf(r.id),
    periodSeconds: r.period?.periodSeconds ?? null,
    period: r.period ? formatPeriod(r.period.periodSeconds) : "none",
    confidence: r.period ? formatPercent(r.period.confidence) : "–",
    amplitude: r.period ? formatValue(r.period.amplitude, unit) : "–",
    cycles: r.period ? String(Math.round(r.period.cycles)) : "–",
    windows: mergeWindows(r.windows).length,
    notes: r.notes,
  }));
  const confidence = (id: string) => results.find((r) => r.id === id)?.period?.confidence ?? -1;
  return rows.sort((a, b) => confidence(b.seriesId) - confidence(a.seriesId));
}
