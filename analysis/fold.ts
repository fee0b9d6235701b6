/**
 * Folding a series on a period: the mean cycle (epoch folding), and its peak-to-peak amplitude.
 *
 * @module
 */

/** The mean cycle of a series folded on a period. */
export interface FoldedCycle {
  /**
   * The mean cycle: for each phase bin, the mean of the samples within one step of phase around
   * it (`NaN` where there are none).
   */
  means: Float64Array;
  /** Samples in each bin (before the one-step averaging). */
  counts: Int32Array;
  /** max − min of `means` (0 with fewer than two non-empty bins). */
  peakToPeak: number;
}

/**
 * Folds `values[start … end)` on a period of `periodSteps` samples (fractional allowed): sample i
 * falls in phase bin ⌊bins·((i − start) mod P)/P⌋ and gaps (non-finite values) are skipped. Each
 * bin's mean is taken over the samples within one step of phase around it (the bins of one step,
 * centred), so that a pulse one step wide, whose sample lands anywhere within that step of phase
 * from cycle to cycle, is averaged whole. `bins` defaults to four per step, but at most one per 8
 * samples (and at least 2), so that noise does not dominate the means.
 *
 * The peak-to-peak of the mean cycle is the amplitude the periodicity study reports: for a sine of
 * amplitude A it is 2A, for 1-step spikes of height h it is h (when the period is right to within a
 * fraction of a step over the span, and bins are no wider than a step: a long period seen in few
 * cycles folds coarser and dilutes a narrow pulse). Noise inflates it by about 2·z·σ/√(samples per
 * bin), z ≈ 2–3.
 *
 * @example
 * ```ts
 * import { foldCycle } from "./fold.ts";
 * import assert from "node:assert/strict";
 * const x = new Float64Array(1000).map((_, i) => (i % 10 === 3 ? 7 : 1));
 * const fold = foldCycle(x, 10);
 * assert.equal(fold.peakToPeak, 6);
 * ```
 */
export function foldCycle(
  values: Float64Array,
  periodSteps: number,
  { start = 0, end = values.length, bins }: { start?: number; end?: number; bins?: number } = {},
): FoldedCycle {
  const first = Math.max(0, start);
  const last = Math.min(end, values.length);
  let b = bins;
  if (b === undefined) {
    let valid = 0;
    for (let i = first; i < last; i++) if (Number.isFinite(values[i])) valid++;
    b = Math.min(Math.round(4 * periodSteps), Math.floor(valid / 8));
  }
  b = Math.max(2, Math.floor(b));
  const sums = new Float64Array(b);
  const counts = new Int32Array(b);
  const scale = b / periodSteps;
  let phase = (first - start) % periodSteps;
  for (let i = first; i < last; i++, phase += 1) {
    if (phase >= periodSteps) phase -= periodSteps;
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    let k = (phase * scale) | 0;
    if (k >= b) k = b - 1;
    sums[k] += v;
    counts[k]++;
  }
  // average over one step of phase (circularly): `span` bins centred on each
  const span = Math.max(1, Math.min(b, Math.round(scale)));
  const before = (span - 1) >> 1;
  const means = new Float64Array(b);
  let lo = Infinity;
  let hi = -Infinity;
  let filled = 0;
  for (let k = 0; k < b; k++) {
    let sum = 0;
    let count = 0;
    for (let j = k - before; j < k - before + span; j++) {
      const m = ((j % b) + b) % b;
      sum += sums[m];
      count += counts[m];
    }
    if (count === 0) {
      means[k] = NaN;
      continue;
    }
    const mean = sum / count;
    means[k] = mean;
    filled++;
    if (mean < lo) lo = mean;
    if (mean > hi) hi = mean;
  }
  return { means, counts, peakToPeak: filled >= 2 ? hi - lo : 0 };
}

/**
 * The fraction of the energy of `values[start … end)` (a series with mean ≈ 0, e.g. high-passed)
 * that its mean cycle folded on `periodSteps` explains: Σ_bins count·mean² / Σ value². It is
 * largest at the true period; for noise it is about bins / samples.
 *
 * @example
 * ```ts
 * import { foldedPower } from "./fold.ts";
 * import assert from "node:assert/strict";
 * const y = new Float64Array(1000).map((_, i) => Math.sin((2 * Math.PI * i) / 25));
 * assert.ok(foldedPower(y, 25, 25) > 0.99);
 * assert.ok(foldedPower(y, 27, 25) < 0.5);
 * ```
 */
export function foldedPower(
  values: Float64Array,
  periodSteps: number,
  bins: number,
  start = 0,
  end: number = values.length,
): number {
  const b = Math.max(1, Math.floor(bins));
  const sums = new Float64Array(b);
  const counts = new Float64Array(b);
  let energy = 0;
  const scale = b / periodSteps;
  const first = Math.max(0, start);
  // the phase advances by one step per sample (no division in the loop)
  let phase = (first - start) % periodSteps;
  for (let i = first; i < Math.min(end, values.length); i++, phase += 1) {
    if (phase >= periodSteps) phase -= periodSteps;
    const v = values[i];
    if (v !== v) continue; // NaN: a gap
    let k = (phase * scale) | 0;
    if (k >= b) k = b - 1;
    sums[k] += v;
    counts[k]++;
    energy += v * v;
  }
  if (!(energy > 0)) return 0;
  let explained = 0;
  for (let k = 0; k < b; k++) if (counts[k] > 0) explained += (sums[k] * sums[k]) / counts[k];
  return explained / energy;
}

/**
 * The period within ±`halfRange` of `periodSteps` whose folded mean cycle explains most of
 * `values` ({@linkcode foldedPower} on a grid of `points` periods, then a parabola through the
 * best grid point and its neighbours). Epoch folding uses every sample, not just lagged pairs,
 * so it locates the period of a series that holds few cycles far better than an autocorrelation
 * peak. The range should hold the main lobe (about ±period / cycles) and not much more.
 *
 * @example
 * ```ts
 * import { refineByFolding } from "./fold.ts";
 * import assert from "node:assert/strict";
 * const y = new Float64Array(3000).map((_, i) => Math.sin((2 * Math.PI * i) / 950));
 * assert.ok(Math.abs(refineByFolding(y, 990, { halfRange: 95 }) - 950) < 2);
 * ```
 */
export function refineByFolding(
  values: Float64Array,
  periodSteps: number,
  { halfRange, points = 25, bins, start = 0, end = values.length }: {
    halfRange: number;
    points?: number;
    bins?: number;
    start?: number;
    end?: number;
  },
): number {
  const b = bins ?? Math.min(64, Math.max(2, Math.round(periodSteps)));
  const m = Math.max(3, Math.floor(points / 2) * 2 + 1);
  const lo = periodSteps - halfRange;
  const stepSize = (2 * halfRange) / (m - 1);
  if (!(stepSize > 0)) return periodSteps;
  const power = new Float64Array(m);
  let best = (m - 1) / 2;
  for (let i = 0; i < m; i++) {
    const p = lo + i * stepSize;
    power[i] = p > 1 ? foldedPower(values, p, b, start, end) : -Infinity;
    if (power[i] > power[best]) best = i;
  }
  let offset = 0;
  if (best > 0 && best < m - 1) {
    const a = power[best - 1];
    const c = power[best + 1];
    const curvature = a - 2 * power[best] + c;
    if (curvature < 0) offset = Math.max(-0.5, Math.min(0.5, (a - c) / (2 * curvature)));
  }
  return lo + (best + offset) * stepSize;
}

/**
 * `values` minus its folded mean cycle ({@linkcode foldCycle} on `periodSteps` with `bins` phase
 * bins): what is left once the part that repeats with this period is taken out. Gaps stay `NaN`.
 *
 * @example
 * ```ts
 * import { foldResidual } from "./fold.ts";
 * import assert from "node:assert/strict";
 * const x = new Float64Array(40).map((_, i) => (i % 4) + (i === 9 ? 1 : 0));
 * const r = foldResidual(x, 4, 4);
 * assert.ok(Math.abs(r[9] - 0.9) < 1e-12 && Math.abs(r[10]) < 1e-12);
 * ```
 */
export function foldResidual(
  values: Float64Array,
  periodSteps: number,
  bins: number,
): Float64Array {
  const b = Math.max(1, Math.floor(bins));
  const fold = foldCycle(values, periodSteps, { bins: b });
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    let k = Math.floor((b * (i % periodSteps)) / periodSteps);
    if (k >= b) k = b - 1;
    out[i] = v - fold.means[k];
  }
  return out;
}
