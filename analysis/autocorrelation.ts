/**
 * The masked autocorrelation of a series with gaps: at each lag, the mean product over the pairs
 * of samples that both exist, normalised by the number of such pairs, divided by the variance.
 * Nothing is interpolated. Long series go through the FFT (zero-padded, so nothing wraps around);
 * short ones through direct sums.
 *
 * @module
 */

import { removeLinearTrend, removeMean } from "./detrend.ts";
import { irfftInto, nextPowerOfTwo, rfftInto } from "./fft.ts";
import { borrow } from "./scratch.ts";

/** Options of {@linkcode autocorrelation}. */
export interface AutocorrelationOptions {
  /**
   * What is removed from the samples first: their mean (`"mean"`, the default), their
   * least-squares line (`"linear"`), or nothing (`"none"`: the values are used as given).
   */
  detrend?: "none" | "mean" | "linear";
  /** A lag with fewer valid pairs than this gets `r` = `NaN` (refused). Default 10. */
  minPairs?: number;
  /** `"fft"`, `"direct"`, or `"auto"` (the default): direct sums when they cost less. */
  method?: "auto" | "fft" | "direct";
}

/** The result of {@linkcode autocorrelation}, indexed by lag 0 … maxLag. */
export interface Autocorrelation {
  /**
   * The autocorrelation: `covariance[lag] / covariance[0]`, so `r[0]` is 1. `NaN` at a lag with
   * fewer than `minPairs` pairs, and at every lag when the samples have no variance.
   */
  r: Float64Array;
  /** The number of pairs (t, t + lag) in which both values are samples. */
  pairs: Int32Array;
  /**
   * The autocovariance `Σ x[t]·x[t+lag] / pairs[lag]` over valid pairs, after `detrend`; `NaN`
   * where `r` is.
   */
  covariance: Float64Array;
}

/**
 * Whether direct sums are expected to be cheaper than the FFT for this size (measured).
 *
 * @example
 * ```ts
 * import { directIsCheaper } from "./autocorrelation.ts";
 * import assert from "node:assert/strict";
 * assert.ok(directIsCheaper(600, 10));
 * assert.ok(!directIsCheaper(86_400, 1_000));
 * ```
 */
export function directIsCheaper(n: number, maxLag: number): boolean {
  const size = nextPowerOfTwo(n + maxLag + 1);
  // Direct: n·(maxLag+1) multiply-adds, about 1 ns each. FFT (values and mask, forward and back):
  // about 5 ns per size·log2(size). Measured for n = 86 400: 100 lags direct 9 ms, FFT 12 ms;
  // 300 lags direct 26 ms, FFT 10 ms.
  return n * (maxLag + 1) <= 5 * size * Math.log2(size);
}

/**
 * The autocorrelation of `values` at lags 0 … `maxLag`, where non-finite values (`NaN`) are gaps:
 * at each lag only the pairs in which both values are samples count, and the sum is divided by
 * their number (a masked autocorrelation, computable with FFTs of the values and of the mask).
 *
 * Estimator: with `x` the samples after `detrend`, `covariance[l] = Σ x[t]·x[t+l] / pairs[l]` over
 * valid pairs and `r[l] = covariance[l] / covariance[0]`. `maxLag` is clipped to `length − 1`.
 *
 * @example
 * ```ts
 * import { autocorrelation } from "./autocorrelation.ts";
 * import assert from "node:assert/strict";
 * const x = new Float64Array(200).map((_, i) => i % 50 === 7 ? NaN : Math.sin((2 * Math.PI * i) / 10));
 * const { r, pairs } = autocorrelation(x, 20);
 * assert.ok(r[10] > 0.95 && r[5] < -0.95);
 * assert.equal(pairs[0], 196);
 * ```
 */
export function autocorrelation(
  values: Float64Array,
  maxLag: number,
  { detrend = "mean", minPairs = 10, method = "auto" }: AutocorrelationOptions = {},
): Autocorrelation {
  const n = values.length;
  const lags = Math.max(0, Math.min(Math.floor(maxLag), n - 1));
  const x = detrend === "linear"
    ? removeLinearTrend(values)
    : detrend === "mean"
    ? removeMean(values)
    : values;
  // masked values: gaps become 0 and are left out of the pair counts
  const xm = borrow("acf.xm", n);
  const mask = borrow("acf.mask", n);
  let gaps = 0;
  let scale = 0; // the largest magnitude among the samples, to tell rounding from variance
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (Number.isFinite(v)) {
      xm[i] = v;
      mask[i] = 1;
      const a = Math.abs(values[i]);
      if (a > scale) scale = a;
    } else {
      xm[i] = 0;
      mask[i] = 0;
      gaps++;
    }
  }
  const useDirect = method === "direct" || (method === "auto" && directIsCheaper(n, lags));
  const sums = new Float64Array(lags + 1);
  const pairs = new Int32Array(lags + 1);
  if (n === 0) {
    // nothing: pairs stay 0
  } else if (useDirect) {
    for (let l = 0; l <= lags; l++) {
      let s = 0;
      let c = 0;
      for (let t = 0; t + l < n; t++) {
        s += xm[t] * xm[t + l];
        c += mask[t] * mask[t + l];
      }
      sums[l] = s;
      pairs[l] = c;
    }
  } else {
    const size = nextPowerOfTwo(n + lags + 1);
    const acfX = autocorrelationSums(xm, size);
    for (let l = 0; l <= lags; l++) sums[l] = acfX[l];
    if (gaps === 0) {
      for (let l = 0; l <= lags; l++) pairs[l] = n - l;
    } else {
      maskPairs(mask, n, lags, size, pairs);
    }
  }
  const covariance = new Float64Array(lags + 1);
  const r = new Float64Array(lags + 1);
  for (let l = 0; l <= lags; l++) {
    covariance[l] = pairs[l] >= Math.max(1, minPairs) ? sums[l] / pairs[l] : NaN;
  }
  const c0 = covariance[0];
  const varies = c0 > (1e-12 * scale) ** 2; // a constant series leaves only rounding errors
  for (let l = 0; l <= lags; l++) r[l] = varies ? covariance[l] / c0 : NaN;
  return { r, pairs, covariance };
}

/** The gaps of the last series whose pair counts were computed, and those counts. */
let pairsOf: { mask: Float64Array; lags: number; counts: Float64Array } | null = null;

/**
 * The pair counts of a gap mask at lags 0 … `lags` into `pairs`: those of the previous call when
 * the mask is the same (the periodicity study asks for the autocorrelation of several filtered
 * copies of one series, which share its gaps), else through the FFT. The copy lives in scratch
 * arrays, so `releaseScratch()` drops it too.
 */
function maskPairs(
  mask: Float64Array,
  n: number,
  lags: number,
  size: number,
  pairs: Int32Array,
): void {
  const kept = pairsOf;
  if (
    kept !== null && kept.mask.length === n && kept.lags >= lags &&
    borrow("acf.pairs.mask", n).buffer === kept.mask.buffer
  ) {
    let same = true;
    for (let i = 0; i < n && same; i++) if (kept.mask[i] !== mask[i]) same = false;
    if (same) {
      for (let l = 0; l <= lags; l++) pairs[l] = kept.counts[l];
      return;
    }
  }
  const acfM = autocorrelationSums(mask, size);
  for (let l = 0; l <= lags; l++) pairs[l] = Math.round(acfM[l]);
  const copy = borrow("acf.pairs.mask", n);
  copy.set(mask.subarray(0, n));
  const counts = borrow("acf.pairs.counts", lags + 1);
  for (let l = 0; l <= lags; l++) counts[l] = pairs[l];
  pairsOf = { mask: copy, lags, counts };
}

/**
 * `Σ a[t]·a[t+l]` for every l < size − a.length, through an FFT of length `size`. The result is a
 * borrowed work array: read it before the next call.
 */
function autocorrelationSums(a: Float64Array, size: number): Float64Array {
  const padded = borrow("acf.padded", size);
  padded.set(a);
  padded.fill(0, a.length);
  const h = size >> 1;
  const { re, im } = rfftInto(padded, borrow("acf.re", h + 1), borrow("acf.im", h + 1));
  for (let k = 0; k <= h; k++) {
    re[k] = re[k] * re[k] + im[k] * im[k];
    im[k] = 0;
  }
  return irfftInto(re, im, borrow("acf.out", size));
}
