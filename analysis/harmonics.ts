/**
 * Peaks of an autocorrelation and their harmonic relations: which lags are local maxima, which lag
 * is a multiple of which period, and which smaller period a peak is the multiple of.
 *
 * @module
 */

/** A period's multiples must reach this fraction of the strongest peak to count as present. */
export const HARMONIC_RATIO = 0.5;

/**
 * How many multiples of a candidate fundamental must carry a peak (or all, when fewer lie below
 * the strongest peak). The first few tell a fundamental from a divisor that merely hits some
 * peaks; checking all of them would reject periods near 2 steps, whose sampled autocorrelation
 * beats (2.03 s at 1 Hz: the peaks at even lags fade out around lag 34 and return at odd ones).
 */
export const MULTIPLES_CHECKED = 5;

/** An autocorrelation as a function of the integer lag (`NaN` where unknown). */
export type LagFunction = (lag: number) => number;

/**
 * Lags in [`minLag`, `maxLag`] where `profile` is a local maximum (≥ the lag before, > the lag
 * after; `NaN` neighbours do not count) with a positive value.
 *
 * @example
 * ```ts
 * import { localMaxima } from "./harmonics.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(localMaxima(new Float64Array([1, 0.2, 0.5, 0.1, -0.3, -0.1, -0.2]), 1, 5), [2]);
 * ```
 */
export function localMaxima(profile: Float64Array, minLag: number, maxLag: number): number[] {
  const out: number[] = [];
  for (let l = Math.max(0, minLag); l <= Math.min(maxLag, profile.length - 1); l++) {
    const r = profile[l];
    if (!(r > 0)) continue;
    const before = l >= 1 ? profile[l - 1] : NaN;
    const after = l + 1 < profile.length ? profile[l + 1] : NaN;
    if (!(before > r) && !(after >= r)) out.push(l);
  }
  return out;
}

/**
 * Whether lag `l` lies within the peak of an integer multiple (≥ 1) of period `p`, both in steps:
 * within a tenth of a period of it (the peaks of a period-p autocorrelation are that broad), or
 * 1.5 steps for short periods.
 *
 * @example
 * ```ts
 * import { isMultiple } from "./harmonics.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isMultiple(122, 40) && isMultiple(40, 40));
 * assert.ok(!isMultiple(100, 40) && !isMultiple(20, 40));
 * ```
 */
export function isMultiple(l: number, p: number): boolean {
  const k = Math.round(l / p);
  return k >= 1 && Math.abs(l - k * p) <= Math.max(1.5, 0.1 * p);
}

/**
 * The mass of the peak at lag `l`: its value plus the larger positive neighbour. A narrow peak
 * that a fractional period splits between two lags (spikes every 33.4 steps: most pairs at 33,
 * the rest at 34) counts whole; a broad peak counts about twice, which cancels in a ratio of
 * masses. −Infinity where `g` is unknown.
 *
 * @example
 * ```ts
 * import { peakMass } from "./harmonics.ts";
 * import assert from "node:assert/strict";
 * const g = (l: number) => [0, -0.1, 0.25, 0.5, -0.1][l] ?? NaN;
 * assert.equal(peakMass(g, 3), 0.75);
 * ```
 */
export function peakMass(g: LagFunction, l: number): number {
  const v = g(l);
  if (!(v > -Infinity)) return -Infinity;
  const before = g(l - 1);
  const after = g(l + 1);
  return v + Math.max(0, before > 0 ? before : 0, after > 0 ? after : 0);
}

/**
 * The largest peak mass within ±`radius` of `lag` (−Infinity when none).
 *
 * @example
 * ```ts
 * import { massNear } from "./harmonics.ts";
 * import assert from "node:assert/strict";
 * const g = (l: number) => [0, 0, 0.5, 0.25, 0][l] ?? NaN;
 * assert.equal(massNear(g, 3, 1), 0.75);
 * ```
 */
export function massNear(g: LagFunction, lag: number, radius: number): number {
  let best = -Infinity;
  for (let l = Math.max(1, Math.ceil(lag - radius)); l <= Math.floor(lag + radius); l++) {
    const m = peakMass(g, l);
    if (m > best) best = m;
  }
  return best;
}

/**
 * Periods (fractional lags) to try for the peak at `strongest`, smallest first, `strongest`
 * itself last. A smaller period f = strongest / k (k ≥ 2, f ≥ `minLag` − 0.5) qualifies when g
 * comes down to a quarter of the strongest peak's mass somewhere between lags 1 and f (a peak of
 * its own, not a point on the slope from lag 0), and when the peak mass ({@linkcode peakMass}) of `g` reaches HARMONIC_RATIO of the strongest's near f itself
 * and near its multiples 2f … min(k − 1, MULTIPLES_CHECKED)·f, near meaning within
 * max(0.5, f/10) steps. This is how a period is reported rather than its harmonic,
 * also for fractional periods of a few steps whose first multiple that falls on a whole lag is
 * the strongest (2.33 s: lag 7).
 *
 * `g` should keep every divisor of `strongest` intact: the autocorrelation after a high-pass of
 * width `strongest` does.
 *
 * @example
 * ```ts
 * import { fundamentalCandidates } from "./harmonics.ts";
 * import assert from "node:assert/strict";
 * // peaks of equal height at 10, 20, 30: 30 is a multiple of 10
 * const g = (l: number) => Math.cos((2 * Math.PI * l) / 10);
 * assert.deepEqual(fundamentalCandidates(g, 30, 2), [10, 30]);
 * ```
 */
export function fundamentalCandidates(
  g: LagFunction,
  strongest: number,
  minLag: number,
  max = 3,
): number[] {
  const needed = HARMONIC_RATIO * peakMass(g, strongest);
  const out: number[] = [];
  for (let k = Math.floor(strongest / (minLag - 0.5)); k >= 2 && out.length < max; k--) {
    const f = strongest / k;
    const radius = Math.max(0.5, 0.1 * f);
    // a peak of its own: g comes down to a quarter of the strongest mass between lag 0 and f
    let dip = Infinity;
    for (let h = 1; h <= Math.round(f) - 1; h++) dip = Math.min(dip, g(h));
    if (!(dip <= needed / 2)) continue;
    let present = true;
    for (let j = 1; j <= Math.min(k - 1, MULTIPLES_CHECKED) && present; j++) {
      present = massNear(g, j * f, radius) >= needed;
    }
    if (present) out.push(f);
  }
  out.push(strongest);
  return out;
}
