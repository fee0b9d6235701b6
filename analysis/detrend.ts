/**
 * Trend removal for series with gaps. A gap is any non-finite value (`NaN`, ±`Infinity`); every
 * function here keeps gaps as `NaN` and never fills them.
 *
 * @module
 */

import { borrow } from "./scratch.ts";

/**
 * Whether `v` is a sample (a finite number) rather than a gap.
 *
 * @example
 * ```ts
 * import { isSample } from "./detrend.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isSample(0) && !isSample(NaN) && !isSample(-Infinity));
 * ```
 */
export function isSample(v: number): boolean {
  return Number.isFinite(v);
}

/**
 * The number of samples (finite values) in `values`.
 *
 * @example
 * ```ts
 * import { countSamples } from "./detrend.ts";
 * import assert from "node:assert/strict";
 * assert.equal(countSamples(new Float64Array([1, NaN, 3, Infinity])), 2);
 * ```
 */
export function countSamples(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  return n;
}

/**
 * `values` minus the mean of its samples; gaps stay `NaN`. All gaps give all `NaN`.
 *
 * @example
 * ```ts
 * import { removeMean } from "./detrend.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...removeMean(new Float64Array([1, NaN, 3]))], [-1, NaN, 1]);
 * ```
 */
export function removeMean(values: Float64Array): Float64Array {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  const mean = count > 0 ? sum / count : 0;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Number.isFinite(v) ? v - mean : NaN;
  }
  return out;
}

/**
 * `values` minus its least-squares line `a + b·i` fitted over the samples only (the index `i` is
 * the position in the array, so gaps keep the time axis); gaps stay `NaN`. With fewer than two
 * samples only the mean is removed.
 *
 * @example
 * ```ts
 * import { removeLinearTrend } from "./detrend.ts";
 * import assert from "node:assert/strict";
 * const out = removeLinearTrend(new Float64Array([10, 12, NaN, 16, 18]));
 * assert.ok(out.every((v, i) => i === 2 ? Number.isNaN(v) : Math.abs(v) < 1e-12));
 * ```
 */
export function removeLinearTrend(values: Float64Array): Float64Array {
  let n = 0;
  let sumI = 0;
  let sumV = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      n++;
      sumI += i;
      sumV += v;
    }
  }
  if (n < 2) return removeMean(values);
  const meanI = sumI / n;
  const meanV = sumV / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      const di = i - meanI;
      sxx += di * di;
      sxy += di * (v - meanV);
    }
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Number.isFinite(v) ? v - meanV - slope * (i - meanI) : NaN;
  }
  return out;
}

/**
 * A high-pass filter: each sample minus the mean of the samples in the `width` consecutive
 * positions around it (centred; at the ends the window slides inward so it keeps its width).
 * Gaps stay `NaN`, and so does a sample whose window holds fewer than half its width in samples.
 *
 * With `width` equal to a period P (in steps), a P-periodic component passes unchanged but for
 * its mean, because the mean of any P consecutive samples of it is the same, while everything
 * slower than P — a ramp, a drift, a random walk, a step more than P/2 away — is removed. For a
 * random walk the filtered values P apart depend on disjoint increments, so they are uncorrelated:
 * that is what makes a correlation at lag P measured after this filter a test for period P.
 *
 * @example
 * ```ts
 * import { highPass } from "./detrend.ts";
 * import assert from "node:assert/strict";
 * // a 4-periodic pattern on a ramp: the ramp goes, the pattern stays
 * const x = new Float64Array(40).map((_, i) => [0, 3, 0, -3][i % 4] + 0.5 * i);
 * const y = highPass(x, 4);
 * assert.ok(Math.abs(y[21] - 3) < 0.6 && Math.abs(y[23] + 3) < 0.6);
 * ```
 */
export function highPass(values: Float64Array, width: number): Float64Array {
  const n = values.length;
  const w = Math.max(1, Math.min(n, Math.round(width)));
  // prefix sums of samples (less a reference value, for precision) and of sample counts
  let ref = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(values[i])) {
      ref = values[i];
      break;
    }
  }
  const sum = borrow("highPass.sum", n + 1);
  const cnt = borrow("highPass.count", n + 1);
  sum[0] = 0;
  cnt[0] = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const ok = Number.isFinite(v);
    sum[i + 1] = sum[i] + (ok ? v - ref : 0);
    cnt[i + 1] = cnt[i] + (ok ? 1 : 0);
  }
  const before = w >> 1;
  const minCount = Math.max(1, Math.ceil(w / 2));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    let a = i - before;
    if (a < 0) a = 0;
    if (a + w > n) a = n - w;
    const c = cnt[a + w] - cnt[a];
    out[i] = c >= minCount ? v - ref - (sum[a + w] - sum[a]) / c : NaN;
  }
  return out;
}
