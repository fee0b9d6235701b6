/**
 * Locating the peak of a function of the lag (an autocorrelation) to a fraction of a step: narrow
 * peaks by a parabola through three points, broad ones by the centroid of their upper half, which
 * ripples from noise do not move much.
 *
 * @module
 */

/** The peak of a parabola through three equally spaced points. */
export interface ParabolicPeak {
  /**
   * Offset of the vertex from the middle point, in [−0.5, 0.5] (0 unless the middle value is the
   * largest of the three).
   */
  offset: number;
  /** The parabola's value at the vertex (the middle value when not a maximum). */
  value: number;
}

/**
 * Sub-sample peak location from the values at x − 1, x and x + 1: the vertex of the parabola
 * through them when the middle value is a local maximum (else the middle point itself), its offset
 * clipped to ±0.5.
 *
 * @example
 * ```ts
 * import { parabolicPeak } from "./peak.ts";
 * import assert from "node:assert/strict";
 * // samples of 1 − (x − 0.25)² at −1, 0, 1
 * const p = parabolicPeak(1 - 1.25 ** 2, 1 - 0.25 ** 2, 1 - 0.75 ** 2);
 * assert.ok(Math.abs(p.offset - 0.25) < 1e-12 && Math.abs(p.value - 1) < 1e-12);
 * ```
 */
export function parabolicPeak(before: number, middle: number, after: number): ParabolicPeak {
  const curvature = before - 2 * middle + after;
  if (
    !(curvature < 0) || !(middle >= before) || !(middle >= after) || !Number.isFinite(middle)
  ) {
    return { offset: 0, value: middle };
  }
  let offset = (before - after) / (2 * curvature);
  if (offset > 0.5) offset = 0.5;
  if (offset < -0.5) offset = -0.5;
  return { offset, value: middle - ((before - after) * offset) / 4 };
}

/** A located peak. */
export interface LocatedPeak {
  /** Where the peak is, fractional. */
  lag: number;
  /** The integer lag with the largest value. */
  top: number;
  /** The value there. */
  value: number;
  /** Lags from the left to the right edge of the peak's upper half (the half-maximum width). */
  width: number;
}

/**
 * The peak of `g` (a function of integer lags; `NaN` = unknown) near `guess`: the largest value
 * within ±`radius` (and within [`lo`, `hi`]); then, if its upper half (where g ≥ max/2, walking
 * outward from the top) spans at most 4 lags, the vertex of the parabola through the top and its
 * neighbours; if wider, the centroid of g − max/2 over that upper half. `null` when no lag in
 * range has a value.
 *
 * @example
 * ```ts
 * import { locatePeak } from "./peak.ts";
 * import assert from "node:assert/strict";
 * // a broad cosine peak at 100.3 with a ripple that moves its maximum to 96
 * const g = (l: number) => Math.cos((2 * Math.PI * (l - 100.3)) / 200) + (l === 96 ? 0.01 : 0);
 * const peak = locatePeak(g, 90, 30, 1, 400)!;
 * assert.equal(peak.top, 96);
 * assert.ok(Math.abs(peak.lag - 100.3) < 0.5);
 * ```
 */
export function locatePeak(
  g: (lag: number) => number,
  guess: number,
  radius: number,
  lo: number,
  hi: number,
): LocatedPeak | null {
  const a = Math.max(lo, Math.floor(guess - radius));
  const b = Math.min(hi, Math.ceil(guess + radius));
  let top = -1;
  let value = -Infinity;
  for (let l = a; l <= b; l++) {
    const v = g(l);
    if (v > value) {
      value = v;
      top = l;
    }
  }
  if (top < 0) return null;
  if (!(value > 0)) return { lag: top, top, value, width: 0 };
  const half = value / 2;
  let left = top;
  while (left - 1 >= lo && g(left - 1) >= half) left--;
  let right = top;
  while (right + 1 <= hi && g(right + 1) >= half) right++;
  if (right - left <= 4) {
    const p = parabolicPeak(
      top - 1 >= lo ? g(top - 1) : NaN,
      value,
      top + 1 <= hi ? g(top + 1) : NaN,
    );
    return { lag: top + p.offset, top, value, width: right - left };
  }
  let sw = 0;
  let swl = 0;
  for (let l = left; l <= right; l++) {
    const v = g(l) - half;
    if (v > 0) {
      sw += v;
      swl += v * l;
    }
  }
  return { lag: sw > 0 ? swl / sw : top, top, value, width: right - left };
}
