/**
 * The visible time range and the gestures that change it: zoom around a point (the wheel), zoom
 * to a selection (a drag), pan (shift-drag, the overview's window), presets ending at the
 * recording's end, and the mapping between pixels of a plot area and times. Pure.
 *
 * @module
 */

/** A time range `[fromMs, toMs)`, epoch milliseconds. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** The narrowest range one can zoom into: ten samples at 1 Hz. */
export const MIN_SPAN_MS = 10_000;

/** Range presets of the toolbar: label and span (`null`: the whole recording). */
export const PRESETS: readonly { label: string; spanMs: number | null }[] = [
  { label: "5m", spanMs: 5 * 60_000 },
  { label: "1h", spanMs: 3_600_000 },
  { label: "1d", spanMs: 86_400_000 },
  { label: "All", spanMs: null },
];

/** The span of a range. */
export function spanOf(r: TimeRange): number {
  return r.toMs - r.fromMs;
}

/**
 * `r` moved (not resized) to lie within `bounds`, and no narrower than `minSpan`; a range wider
 * than `bounds` becomes `bounds`.
 */
export function clampRange(r: TimeRange, bounds: TimeRange, minSpan = MIN_SPAN_MS): TimeRange {
  let span = Math.max(spanOf(r), Math.min(minSpan, spanOf(bounds)));
  if (span >= spanOf(bounds)) return { ...bounds };
  const mid = (r.fromMs + r.toMs) / 2;
  let fromMs = Math.round(spanOf(r) >= span ? r.fromMs : mid - span / 2);
  span = Math.round(span);
  if (fromMs < bounds.fromMs) fromMs = bounds.fromMs;
  if (fromMs + span > bounds.toMs) fromMs = bounds.toMs - span;
  return { fromMs, toMs: fromMs + span };
}

/**
 * `r` scaled by `factor` (< 1 zooms in) around `atMs`, which stays at the same place on screen.
 *
 * @example
 * ```ts
 * import { zoomAround } from "./range.ts";
 * const r = zoomAround({ fromMs: 0, toMs: 100_000 }, 25_000, 0.5, { fromMs: 0, toMs: 100_000 });
 * console.assert(r.fromMs === 12_500 && r.toMs === 62_500);
 * ```
 */
export function zoomAround(
  r: TimeRange,
  atMs: number,
  factor: number,
  bounds: TimeRange,
  minSpan = MIN_SPAN_MS,
): TimeRange {
  const span = spanOf(r);
  const at = Math.min(r.toMs, Math.max(r.fromMs, atMs));
  const fraction = span > 0 ? (at - r.fromMs) / span : 0.5;
  const next = Math.max(Math.min(minSpan, spanOf(bounds)), span * factor);
  const fromMs = at - fraction * next;
  return clampRange({ fromMs, toMs: fromMs + next }, bounds, minSpan);
}

/** `r` moved by `deltaMs` (positive: later), kept within `bounds`. */
export function panBy(r: TimeRange, deltaMs: number, bounds: TimeRange): TimeRange {
  return clampRange({ fromMs: r.fromMs + deltaMs, toMs: r.toMs + deltaMs }, bounds, 0);
}

/** The last `spanMs` of `bounds` (all of it for `null` or a longer span). */
export function presetRange(spanMs: number | null, bounds: TimeRange): TimeRange {
  if (spanMs === null || spanMs >= spanOf(bounds)) return { ...bounds };
  return { fromMs: bounds.toMs - spanMs, toMs: bounds.toMs };
}

/** The horizontal extent of a plot area in CSS pixels. */
export interface PlotArea {
  left: number;
  width: number;
}

/** The time at pixel `x` of a plot area showing `r`. */
export function timeAt(x: number, area: PlotArea, r: TimeRange): number {
  return r.fromMs + ((x - area.left) / Math.max(1, area.width)) * spanOf(r);
}

/** The pixel of time `t` in a plot area showing `r`. */
export function pixelAt(t: number, area: PlotArea, r: TimeRange): number {
  return area.left + ((t - r.fromMs) / Math.max(1, spanOf(r))) * area.width;
}

/**
 * The range a drag from pixel `x0` to `x1` selects (in either direction), or `null` for a drag
 * shorter than `minPixels` (a click). Kept within `bounds` and no narrower than the minimum span.
 */
export function selectionRange(
  x0: number,
  x1: number,
  area: PlotArea,
  r: TimeRange,
  bounds: TimeRange,
  minPixels = 5,
): TimeRange | null {
  if (Math.abs(x1 - x0) < minPixels) return null;
  const clip = (x: number) => Math.min(area.left + area.width, Math.max(area.left, x));
  const a = timeAt(clip(Math.min(x0, x1)), area, r);
  const b = timeAt(clip(Math.max(x0, x1)), area, r);
  return clampRange({ fromMs: Math.round(a), toMs: Math.round(b) }, bounds);
}

/** The zoom factor of a wheel event's `deltaY` (pixels): 100 px in is ×0.8, out is ×1.25. */
export function wheelFactor(deltaY: number): number {
  const clamped = Math.max(-500, Math.min(500, deltaY));
  return Math.pow(1.25, clamped / 100);
}

/** Whether two ranges are the same to the millisecond (either may be null). */
export function sameRange(a: TimeRange | null, b: TimeRange | null): boolean {
  return a === b || (a !== null && b !== null && a.fromMs === b.fromMs && a.toMs === b.toMs);
}
