/**
 * Pure numeric studies of metric series: typed arrays and options in, plain results out; nothing
 * here reads files, the network or a UI. Specified in specs/analysis.md.
 *
 * - {@linkcode detectPeriodicity}: the dominant period of a series, other periods, and where each
 *   holds.
 * - {@linkcode autocorrelation}: the masked autocorrelation of a series with gaps (FFT or direct).
 * - {@linkcode detectChangepoints}: changes of level (and spread), exact penalised segmentation.
 * - {@linkcode rankCorrelations}: the series that move with one, at which lag, and whether that is
 *   significant once autocorrelation is accounted for.
 * - {@linkcode counterIncrements}: a cumulative counter as increments, resets read as restarts.
 * - `synthetic.ts`: seeded generators of series with known truth, for tests.
 * - {@linkcode releaseScratch}: work arrays are kept between calls (about 9 MiB after a day of
 *   1-Hz samples, 70 MiB after a week); this gives them back.
 *
 * @example
 * ```ts
 * import { detectPeriodicity } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const x = new Float64Array(1200).map((_, i) => (i % 30 === 0 ? 5 : 0) + Math.sin(i * i));
 * assert.equal(Math.round(detectPeriodicity(x).period!.periodSeconds), 30);
 * ```
 *
 * @module
 */

export {
  type Autocorrelation,
  autocorrelation,
  type AutocorrelationOptions,
} from "./autocorrelation.ts";
export {
  type Changepoint,
  type ChangepointOptions,
  type ChangepointResult,
  detectChangepoints,
  optimalPartitioning,
  robustNoise,
  type Segment,
} from "./changepoint.ts";
export { periodConfidence } from "./confidence.ts";
export {
  type CorrelationHit,
  type CorrelationOptions,
  correlationPValue,
  type CorrelationResult,
  laggedPearson,
  rankCorrelations,
} from "./correlation.ts";
export { counterIncrements } from "./counter.ts";
export { highPass, removeLinearTrend, removeMean } from "./detrend.ts";
export { fft, ifft, irfft, nextPowerOfTwo, rfft } from "./fft.ts";
export { foldCycle, type FoldedCycle } from "./fold.ts";
export {
  type Detection,
  detectPeriodicity,
  type PeriodicityOptions,
  type PeriodicityResult,
  type PeriodWindow,
} from "./periodicity.ts";
export { releaseScratch, scratchBytes } from "./scratch.ts";
