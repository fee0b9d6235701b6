/**
 * The studies as the chart and the lists show them. Periodicity (`/api/study/periodicity`): the
 * windows in which a series repeats become shaded bands (overlapping windows of about the same
 * period are merged into one band), and each series gets a row with its period, confidence and
 * amplitude in the metric's unit, and where a click zooms. Changepoints
 * (`/api/study/changepoint`): a line and a row per change. Pure.
 *
 * @module
 */

import type { ChangepointResult, PeriodicityResult, StudyWindow } from "./api.ts";
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
  /** Where a click zooms: the first window's start, six periods of it (null without a window). */
  zoom: { fromMs: number; toMs: number } | null;
}

function zoomOf(r: PeriodicityResult): { fromMs: number; toMs: number } | null {
  const w = mergeWindows(r.windows)[0];
  if (!w) return null;
  const span = Math.max(60_000, 6_000 * w.periodSeconds);
  return { fromMs: w.fromMs, toMs: Math.min(w.toMs, w.fromMs + span) };
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
    zoom: zoomOf(r),
  }));
  const confidence = (id: string) => results.find((r) => r.id === id)?.period?.confidence ?? -1;
  return rows.sort((a, b) => confidence(b.seriesId) - confidence(a.seriesId));
}

/** A vertical line of the chart: a change of level of one series. */
export interface StudyLine {
  seriesId: string;
  atMs: number;
  color: string;
  /** `↑ +250m`: direction and magnitude in the metric's unit. */
  label: string;
}

/** The changepoint study's lines: one per change of every series. */
export function changeLines(
  results: readonly ChangepointResult[],
  unit: string,
  colorOf: (id: string) => string,
): StudyLine[] {
  return results.flatMap((r) =>
    r.changepoints.map((c) => ({
      seriesId: r.id,
      atMs: c.atMs,
      color: colorOf(r.id),
      label: `${c.direction === "up" ? "↑ +" : "↓ −"}${formatValue(c.magnitude, unit)}`,
    }))
  );
}

/** One change in the changepoint study's list. */
export interface ChangeRow {
  seriesId: string;
  color: string;
  atMs: number;
  direction: "up" | "down";
  before: string;
  after: string;
  magnitude: string;
  /** How many noise σ the level moved. */
  score: string;
}

/** The changepoint list's rows, by time. */
export function changeRows(
  results: readonly ChangepointResult[],
  unit: string,
  colorOf: (id: string) => string,
): ChangeRow[] {
  return results.flatMap((r) =>
    r.changepoints.map((c): ChangeRow => ({
      seriesId: r.id,
      color: colorOf(r.id),
      atMs: c.atMs,
      direction: c.direction,
      before: formatValue(c.before, unit),
      after: formatValue(c.after, unit),
      magnitude: formatValue(c.magnitude, unit),
      score: `${c.score.toFixed(1)} σ`,
    }))
  ).sort((a, b) => a.atMs - b.atMs);
}

/**
 * The range to zoom to around a moment: `spanMs` wide (at least a minute) centred on `atMs`,
 * kept within `bounds`, in whole milliseconds (as every range of the app).
 */
export function zoomAround(
  atMs: number,
  spanMs: number,
  bounds: { fromMs: number; toMs: number },
): { fromMs: number; toMs: number } {
  const span = Math.round(Math.min(Math.max(60_000, spanMs), bounds.toMs - bounds.fromMs));
  let fromMs = Math.round(atMs - span / 2);
  fromMs = Math.max(bounds.fromMs, Math.min(fromMs, bounds.toMs - span));
  return { fromMs, toMs: fromMs + span };
}
