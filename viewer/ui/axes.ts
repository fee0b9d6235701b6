/**
 * Axis ticks without a date adapter: the time axis is a linear scale of epoch milliseconds whose
 * ticks fall on whole seconds, minutes, hours or days (in UTC or local time), and the value axis
 * ticks fall on round numbers of the unit the labels use (MiB for bytes, not 10⁶). Also the value
 * range a chart shows, so that a constant series is a flat line with room around it. Pure.
 *
 * @module
 */

import { bytePower, formatClock, formatDay, timeParts } from "./format.ts";
import { ROUND_SPANS } from "../../recording/time_steps.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Distances between time ticks, smallest first. */
export const TIME_STEPS: readonly number[] = ROUND_SPANS;

/** Offset of local time from UTC at `t`, in ms (0 in UTC mode). */
function offsetAt(t: number, utc: boolean): number {
  return utc ? 0 : -new Date(t).getTimezoneOffset() * MINUTE;
}

/**
 * Ticks of a time axis over `[min, max]`: the smallest step of {@linkcode TIME_STEPS} that gives
 * at most `maxTicks` ticks, and the ticks at its multiples (in the chosen time zone).
 *
 * @example
 * ```ts
 * import { timeTicks } from "./axes.ts";
 * const { stepMs, ticks } = timeTicks(0, 3_600_000, 7, true);
 * console.assert(stepMs === 600_000 && ticks.length === 7);
 * ```
 */
export function timeTicks(
  min: number,
  max: number,
  maxTicks: number,
  utc: boolean,
): { stepMs: number; ticks: number[] } {
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return { stepMs: 0, ticks: [] };
  const limit = Math.max(2, maxTicks);
  const stepMs = TIME_STEPS.find((s) => span / s <= limit - 1) ??
    Math.ceil(span / (limit - 1) / DAY) * DAY;
  const offset = offsetAt(min, utc);
  const ticks: number[] = [];
  for (let t = Math.ceil((min + offset) / stepMs) * stepMs - offset; t <= max; t += stepMs) {
    ticks.push(t);
  }
  return { stepMs, ticks };
}

/**
 * The label of a time tick: the date at midnight or for day steps, `HH:MM` for minute and hour
 * steps, `HH:MM:SS` below a minute (`.mmm` below a second).
 */
export function formatTimeTick(t: number, stepMs: number, utc: boolean): string {
  const p = timeParts(t, utc);
  if (stepMs >= DAY) return formatDay(t, utc);
  if (stepMs >= MINUTE) {
    return p.hour === 0 && p.minute === 0 ? formatDay(t, utc) : formatClock(t, utc, false);
  }
  if (stepMs >= SECOND) return formatClock(t, utc);
  return `${formatClock(t, utc)}.${String(p.ms).padStart(3, "0")}`;
}

/** The nice step (1, 2, 2.5 or 5 × 10ⁿ) for about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** How many units of the unit's label one axis unit is (1024² for an axis labelled in MiB). */
export function unitScale(unit: string, magnitude: number): number {
  return unit === "bytes" ? 1024 ** bytePower(magnitude) : 1;
}

/** The value range a chart shows. */
export interface ValueRange {
  min: number;
  max: number;
}

/**
 * The y range for data spanning `[lo, hi]` (null when there is none): from zero for values that
 * are never negative, the top rounded up to a tick, and a constant series given room above (and
 * below when it is negative) so that it is drawn as a flat line inside the chart.
 */
export function valueRange(lo: number | null, hi: number | null, unit: string): ValueRange {
  if (lo === null || hi === null || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    return { min: 0, max: unit === "percent" ? 100 : 1 };
  }
  let min = lo >= 0 ? 0 : lo;
  let max = hi <= 0 && lo < 0 ? 0 : hi;
  if (max - min <= Math.abs(max) * 1e-9) {
    // Constant (or zero): room around it.
    const room = max === 0 ? 1 : Math.abs(max) * 0.5;
    if (max > 0) max += room;
    else if (max < 0) min -= room;
    else max = unit === "percent" ? 1 : 1;
  }
  const scale = unitScale(unit, Math.max(Math.abs(min), Math.abs(max)));
  const step = niceStep((max - min) / scale, 4) * scale;
  max = Math.ceil(max / step - 1e-9) * step;
  min = Math.floor(min / step + 1e-9) * step;
  return { min, max };
}

/**
 * Ticks of a value axis over `[min, max]`: at most `maxTicks` multiples of a nice step, in the
 * unit of the labels (binary multiples for bytes).
 *
 * @example
 * ```ts
 * import { valueTicks } from "./axes.ts";
 * console.assert(valueTicks(0, 300 * 1024 ** 2, 5, "bytes").length === 4); // 0, 100, 200, 300 MiB
 * ```
 */
export function valueTicks(min: number, max: number, maxTicks: number, unit: string): number[] {
  if (!(max > min)) return [min];
  const scale = unitScale(unit, Math.max(Math.abs(min), Math.abs(max)));
  let count = Math.max(1, maxTicks - 1);
  let step = niceStep((max - min) / scale, count) * scale;
  while ((max - min) / step > maxTicks - 1 + 1e-9 && count > 1) {
    count--;
    step = niceStep((max - min) / scale, count) * scale;
  }
  const ticks: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) {
    ticks.push(i * step + 0); // + 0: no -0
  }
  return ticks;
}
