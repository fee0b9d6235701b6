/**
 * The period-matched autocorrelation profile: for every lag L, the autocorrelation at lag L of
 * the series after a moving-mean high-pass of width L ({@linkcode highPass} in `detrend.ts`),
 * computed for all lags at once from the series' autocovariance.
 *
 * Why: a boxcar of width L has zeros at every multiple of 1/L, so subtracting it leaves a
 * component of period L intact (but for its mean) while removing everything slower — ramps, drift,
 * steps, random walks. The plain autocorrelation of a drifting series decays slowly and hides the
 * peak of a period under it; this profile does not, and for a random walk it is ≈ 0 at every lag,
 * because the filtered values L apart depend on disjoint increments.
 *
 * How: with γ the autocovariance and y = x − mean over offsets J = {a, …, a+w−1} (a = −⌊w/2⌋),
 *
 * ```
 * Cov(y[t], y[t+h]) = γ(h) − (1/w)·Σ_{j∈J} γ(h+j) − (1/w)·Σ_{j∈J} γ(h−j)
 *                     + (1/w²)·Σ_{|d|<w} (w−|d|)·γ(h+d)
 * ```
 *
 * and every sum is a difference of prefix sums of γ(i) and i·γ(i) (γ extended to negative lags by
 * symmetry), so each value costs O(1) once the prefix sums exist.
 *
 * @module
 */

/**
 * Prefix sums of γ(i) and i·γ(i) over i ∈ [−M, M], for O(1) high-passed covariances. The formula
 * assumes a stationary series: remove trends first (far from stationary — a random walk — the
 * values are only approximate; the study verifies every candidate on the filtered series itself).
 *
 * @example
 * ```ts
 * import { autocorrelation } from "./autocorrelation.ts";
 * import { FilteredCovariance } from "./period_profile.ts";
 * import assert from "node:assert/strict";
 * // a 10-step cycle on a ramp: after a high-pass of width 10 only the cycle is left
 * const x = new Float64Array(2000).map((_, i) => Math.cos((2 * Math.PI * i) / 10) + i / 100);
 * const fc = new FilteredCovariance(autocorrelation(x, 100, { detrend: "linear" }).covariance);
 * assert.ok(fc.correlation(10, 10) > 0.9 && fc.correlation(5, 10) < -0.9);
 * ```
 */
export class FilteredCovariance {
  readonly #m: number;
  readonly #s0: Float64Array;
  readonly #s1: Float64Array;
  readonly #g: Float64Array;

  /**
   * @param covariance γ at lags 0 … M (`NaN` counts as 0).
   */
  constructor(covariance: Float64Array) {
    const m = covariance.length - 1;
    this.#m = m;
    const g = new Float64Array(2 * m + 1);
    for (let i = -m; i <= m; i++) {
      const v = covariance[Math.abs(i)];
      g[i + m] = Number.isFinite(v) ? v : 0;
    }
    this.#g = g;
    this.#s0 = new Float64Array(2 * m + 2);
    this.#s1 = new Float64Array(2 * m + 2);
    for (let k = 0; k < 2 * m + 1; k++) {
      this.#s0[k + 1] = this.#s0[k] + g[k];
      this.#s1[k + 1] = this.#s1[k] + (k - m) * g[k];
    }
  }

  /** The largest lag the covariance covers. */
  get maxLag(): number {
    return this.#m;
  }

  /** Σ γ(i) for i in [a, b] (clipped to the covered range). */
  #sum0(a: number, b: number): number {
    const m = this.#m;
    const lo = Math.max(a, -m) + m;
    const hi = Math.min(b, m) + m;
    return hi >= lo ? this.#s0[hi + 1] - this.#s0[lo] : 0;
  }

  /** Σ i·γ(i) for i in [a, b] (clipped). */
  #sum1(a: number, b: number): number {
    const m = this.#m;
    const lo = Math.max(a, -m) + m;
    const hi = Math.min(b, m) + m;
    return hi >= lo ? this.#s1[hi + 1] - this.#s1[lo] : 0;
  }

  /**
   * Cov(y[t], y[t+h]) for y the series minus its moving mean of width `w` (an integer ≥ 1).
   * Needs h + w − 1 ≤ maxLag to be exact; beyond, missing lags count as 0.
   */
  covariance(h: number, w: number): number {
    const a = -(w >> 1);
    const gh = Math.abs(h) <= this.#m ? this.#g[h + this.#m] : 0;
    const fwd = this.#sum0(h + a, h + a + w - 1) / w;
    const bwd = this.#sum0(h - a - w + 1, h - a) / w;
    const tri = (w - h) * this.#sum0(h - w + 1, h) + this.#sum1(h - w + 1, h) +
      (w + h) * this.#sum0(h + 1, h + w - 1) - this.#sum1(h + 1, h + w - 1);
    return gh - fwd - bwd + tri / (w * w);
  }

  /** The autocorrelation at lag `h` of the series high-passed with width `w`. */
  correlation(h: number, w: number): number {
    const c0 = this.covariance(0, w);
    return c0 > 0 ? this.covariance(h, w) / c0 : NaN;
  }
}

/** Periods of at least this many steps are measured after a high-pass of their own width. */
export const MATCHED_FROM = 5;

/**
 * Shorter periods are measured after a high-pass of this width. A filter as short as the period
 * (width 2 is a first difference) has a strong correlation of its own at neighbouring lags that
 * would split and hide the peak of a fractional period; this one keeps periods of 2–4 steps
 * nearly whole, and its own correlation of white noise at lags 1–4 is negative (−0.16, −0.18,
 * −0.20, −0.07), so it cannot make a peak there. (At lags 5–7 it is positive: periods from 5
 * steps on take their own width.)
 */
export const SHORT_WIDTH = 8;

/**
 * The high-pass width a period of `lag` steps is measured after: round(lag) from
 * {@linkcode MATCHED_FROM} steps on, {@linkcode SHORT_WIDTH} below.
 *
 * @example
 * ```ts
 * import { filterWidth } from "./period_profile.ts";
 * import assert from "node:assert/strict";
 * assert.equal(filterWidth(40.4), 40);
 * assert.equal(filterWidth(2.3), 8);
 * ```
 */
export function filterWidth(lag: number): number {
  const l = Math.round(lag);
  return l >= MATCHED_FROM ? l : SHORT_WIDTH;
}

/**
 * The period-matched profile: `profile[L]` is the autocorrelation at lag L of the series
 * high-passed with width {@linkcode filterWidth}(L), for L in [max(2, `minLag`), `maxLag`] (`NaN`
 * elsewhere and where the covariance does not reach the lags needed). `covariance` is the series'
 * autocovariance at lags 0 … M, e.g. `autocorrelation(x, 2 * maxLag).covariance`.
 *
 * @example
 * ```ts
 * import { autocorrelation } from "./autocorrelation.ts";
 * import { periodProfile } from "./period_profile.ts";
 * import assert from "node:assert/strict";
 * // a 25-sample cycle on a random walk: the plain ACF only decays, the profile peaks at 25
 * let walk = 0;
 * const x = new Float64Array(3000).map((_, i) => {
 *   walk += 0.4 * Math.sin(i * i); // a deterministic stand-in for noise
 *   return Math.sin((2 * Math.PI * i) / 25) + walk;
 * });
 * const { r, covariance } = autocorrelation(x, 200);
 * const profile = periodProfile(covariance, 2, 100);
 * assert.ok(r[12] > 0.3); // the plain ACF: the walk fills the trough of the cycle
 * assert.ok(profile[25] > 0.6 && profile[12] < -0.3);
 * ```
 */
export function periodProfile(
  covariance: Float64Array,
  minLag: number,
  maxLag: number,
): Float64Array {
  const fc = new FilteredCovariance(covariance);
  const profile = new Float64Array(maxLag + 1).fill(NaN);
  for (let l = Math.max(2, minLag); l <= maxLag; l++) {
    const w = filterWidth(l);
    if (l + w - 1 > fc.maxLag) break;
    profile[l] = fc.correlation(l, w);
  }
  return profile;
}
