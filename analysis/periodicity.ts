/**
 * The periodicity study: does a series repeat itself, with which period, how surely, how
 * strongly, and where? Arrays in, results out; the method and its limits are specified in
 * specs/analysis.md (REQ-ANA-001 …).
 *
 * 1. Gaps (non-finite values) stay gaps. An empty, all-gap, constant or straight series has no
 *    period.
 * 2. The least-squares line over the samples is removed.
 * 3. The masked autocovariance up to lag 2.5·maxLag (FFT, zero-padded: `autocorrelation.ts`) gives
 *    the period-matched profile (`period_profile.ts`): at each lag L the autocorrelation after a
 *    moving-mean high-pass of width L, which keeps a period-L component and removes what is
 *    slower (drift, steps, random walks). Lags with fewer than 1.5·L valid pairs are refused.
 * 4. The strongest local maximum of the profile is reduced to its fundamental (`harmonics.ts`):
 *    a period f = peak / k with a peak of its own whose first multiples all reach half the
 *    strongest peak is tried first. Periods of at most 12 steps are also looked for in the
 *    spectrum (`spectrum.ts`), since whole lags straddle fractional ones.
 * 5. Verification on the high-passed series itself (its autocorrelation by FFT): the peak located
 *    (parabola, or centroid of its upper half when broad: `peak.ts`), refined on multiples 2p,
 *    4p, … (the period is the multiple's lag / k), and, when broad, by epoch folding (`fold.ts`).
 * 6. Significance: the correlation at the period must exceed `significance` standard errors,
 *    Bartlett's √((1 + 2·Σ r_e(h)²) / pairs), r_e the short-range autocorrelation of what does not
 *    repeat (the high-passed series less its folded mean cycle, up to its first zero crossing);
 *    and the autocorrelation must dip to half the peak somewhere before it.
 * 7. The dominant period needs also `minCorrelation` and `minConfidence` (`confidence.ts`:
 *    max(0, r)·(1 − 1/cycles)). Up to two more unrelated periods are reported as `others`.
 * 8. Windows (`period_windows.ts`) tell where each significant period holds.
 *
 * Amplitude: peak-to-peak of the folded mean cycle (`fold.ts`) of the high-passed series, in the
 * series' own unit.
 *
 * @module
 */

import { autocorrelation } from "./autocorrelation.ts";
import { periodConfidence } from "./confidence.ts";
import { countSamples, highPass, removeLinearTrend } from "./detrend.ts";
import { foldCycle, foldedPower, foldResidual, refineByFolding } from "./fold.ts";
import { fundamentalCandidates, HARMONIC_RATIO, isMultiple, localMaxima } from "./harmonics.ts";
import { fractionalLagCorrelation, lagCorrelation, refineOnMultiples } from "./lag_correlation.ts";
import { locatePeak } from "./peak.ts";
import { FilteredCovariance, filterWidth, periodProfile } from "./period_profile.ts";
import { type PeriodWindow, scanWindows } from "./period_windows.ts";
import { strongestLine } from "./spectrum.ts";

export type { PeriodWindow } from "./period_windows.ts";

/** Options of {@linkcode detectPeriodicity}. */
export interface PeriodicityOptions {
  /** Seconds between samples. Default 1. */
  stepSeconds?: number;
  /** The shortest period looked for, in seconds; never below 2 steps. Default 2. */
  minPeriodSeconds?: number;
  /** The longest period looked for, in seconds; never above a third of the series. Default 3600. */
  maxPeriodSeconds?: number;
  /**
   * Window length for locating a period, in seconds. Default: the larger of 6 periods and 600
   * steps; never below 3 periods, never beyond the series.
   */
  windowSeconds?: number;
  /** A period (whole series or window) is reported only at this confidence or above. Default 0.2. */
  minConfidence?: number;
  /** The correlation at a reported period must reach this. Default 0.2. */
  minCorrelation?: number;
  /** The correlation at a period must exceed this many standard errors. Default 4. */
  significance?: number;
}

/** A period found in the whole series. */
export interface Detection {
  /** The period in seconds (fractional). */
  periodSeconds: number;
  /** 0 … 1: max(0, correlation)·(1 − 1/cycles). */
  confidence: number;
  /** Peak-to-peak of the folded mean cycle (trend removed), in the series' unit. */
  amplitude: number;
  /** The autocorrelation at the period, after the period-matched high-pass. */
  correlation: number;
  /**
   * Bartlett's standard error of `correlation` under "no period here"; `correlation` exceeded
   * `significance` times this.
   */
  standardError: number;
  /** Repetitions seen: valid samples / period in steps. */
  cycles: number;
}

/** The result of {@linkcode detectPeriodicity}. */
export interface PeriodicityResult {
  /** The dominant period of the whole series, or `null`. */
  period: Detection | null;
  /** Other periods that pass the same tests and are not multiples of `period` (best first). */
  others: Detection[];
  /** Spans where a significant period holds, by start (one period per span; spans may overlap). */
  windows: PeriodWindow[];
  /** Why nothing was found, what could not be seen, what else was seen. */
  notes: string[];
}

/** A candidate after verification on the series. */
interface Verified {
  detection: Detection;
  /** The series high-passed with width filterWidth(period). */
  y: Float64Array;
  /** Period in steps. */
  lag: number;
  significant: boolean;
}

interface Context {
  x: Float64Array;
  n: number;
  step: number;
  valid: number;
  minLag: number;
  maxLag: number;
  z: number;
  fc: FilteredCovariance;
}

/** Periods up to this many steps are also looked for in the spectrum. */
const SHORT_PERIOD = 12;
/** … when their line holds at least this share of the series' energy. */
const SHORT_LINE_FRACTION = 0.1;
/** At most this many unrelated periods are verified in full. */
const MAX_FAMILIES = 3;
/** At most this many lags are verified in all. */
const MAX_VERIFIED = 6;

/**
 * The Student-t bound with `df` degrees of freedom at the tail probability of `z` standard normal
 * errors (Cornish–Fisher expansion to 1/df²). With Bartlett's standard error the pairs are worth
 * pairs / (1 + 2·Σ r²) independent ones; when that is few (a smooth series seen over few cycles)
 * the estimated error is itself uncertain and the bound must widen: z = 4 becomes 4.4 at 50
 * effective pairs, 5.4 at 15.
 *
 * @example
 * ```ts
 * import { studentBound } from "./periodicity.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(studentBound(4, 1e9) - 4) < 1e-6);
 * assert.ok(studentBound(4, 50) > 4.3 && studentBound(4, 15) > 5);
 * ```
 */
export function studentBound(z: number, df: number): number {
  if (!(df > 1)) return Infinity;
  const z3 = z * z * z;
  const z5 = z3 * z * z;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * Finds the dominant period of a series sampled every `stepSeconds`, other unrelated periods, the
 * spans where each holds, and notes on what could not be seen. Any non-finite value (`NaN`) is a
 * gap. Never throws for a series' content (empty, all gaps, constant, too short: a note says why
 * there is no period); throws `RangeError` for a `stepSeconds` ≤ 0.
 *
 * @example
 * ```ts
 * import { detectPeriodicity } from "./periodicity.ts";
 * import assert from "node:assert/strict";
 * // 1 h of a 250-millicore baseline with a 600-millicore spike every 40 s
 * const noise = (i: number) => 20 * Math.sin(i * i); // deterministic, noise-like
 * const x = new Float64Array(3600).map((_, i) => 250 + (i % 40 === 5 ? 600 : 0) + noise(i));
 * const { period, windows } = detectPeriodicity(x);
 * assert.ok(period !== null && Math.abs(period.periodSeconds - 40) < 0.5);
 * assert.ok(Math.abs(period.amplitude - 600) < 20);
 * assert.deepEqual([windows[0].start, windows[0].end], [0, 3600]);
 * ```
 */
export function detectPeriodicity(
  values: Float64Array,
  {
    stepSeconds = 1,
    minPeriodSeconds = 2,
    maxPeriodSeconds = 3600,
    windowSeconds,
    minConfidence = 0.2,
    minCorrelation = 0.2,
    significance = 4,
  }: PeriodicityOptions = {},
): PeriodicityResult {
  const notes: string[] = [];
  const none = (): PeriodicityResult => ({ period: null, others: [], windows: [], notes });
  if (!(stepSeconds > 0)) throw new RangeError(`stepSeconds must be > 0, got ${stepSeconds}`);
  const n = values.length;
  const valid = countSamples(values);
  if (valid === 0) {
    notes.push(n === 0 ? "empty series" : "no samples: every value is missing");
    return none();
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (hi - lo <= 1e-12 * Math.max(Math.abs(hi), Math.abs(lo))) {
    notes.push("constant series: no period");
    return none();
  }
  const minLag = Math.max(2, Math.ceil(minPeriodSeconds / stepSeconds - 1e-9));
  const third = Math.floor(n / 3);
  let maxLag = Math.floor(maxPeriodSeconds / stepSeconds + 1e-9);
  if (maxLag > third && third >= minLag) {
    notes.push(`periods above ${third * stepSeconds} s (a third of the series) cannot be seen`);
  }
  if (maxLag < minLag) {
    notes.push(
      `no period to look for: the longest period (${maxPeriodSeconds} s) is below the shortest ` +
        `(${minLag * stepSeconds} s, at least 2 steps)`,
    );
    return none();
  }
  maxLag = Math.min(maxLag, third);
  if (maxLag < minLag) {
    notes.push(
      `series too short: ${n} samples cannot hold 3 cycles of the shortest period ` +
        `(${minLag * stepSeconds} s)`,
    );
    return none();
  }

  const x = removeLinearTrend(values);
  let residual = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i])) residual = Math.max(residual, Math.abs(x[i]));
  }
  if (residual <= 1e-9 * Math.max(Math.abs(hi), Math.abs(lo))) {
    notes.push("a straight line (constant trend): no period");
    return none();
  }
  // lags up to 2.5·maxLag: a broad peak near maxLag, seen after a high-pass of its own width
  const acf = autocorrelation(x, Math.min(n - 1, Math.ceil(2.5 * maxLag) + 2), {
    detrend: "none",
    minPairs: 1,
  });
  const profile = periodProfile(acf.covariance, 1, Math.min(maxLag + 1, n - 1));
  // refuse lags with too few valid pairs: fewer than 1.5 periods' worth
  for (let l = 1; l < profile.length; l++) if (acf.pairs[l] < 1.5 * l) profile[l] = NaN;
  const ctx: Context = {
    x,
    n,
    step: stepSeconds,
    valid,
    minLag,
    maxLag,
    z: significance,
    fc: new FilteredCovariance(acf.covariance),
  };

  const families: Verified[] = [];
  const tried = new Set<number>();
  // Periods of a few steps first: a strong spectral line (the autocorrelation at whole lags sees a
  // fractional short period mostly at its multiples: 2.33 s at 7, 14, …)
  const line = minLag <= SHORT_PERIOD
    ? strongestLine(x, minLag, Math.min(SHORT_PERIOD, maxLag))
    : null;
  if (line !== null && line.fraction >= SHORT_LINE_FRACTION) {
    tried.add(Math.round(line.periodSteps));
    const v = verify(line.periodSteps, ctx, true);
    if (v !== null && v.significant) families.push(v);
  }

  // Then families from the profile: the strongest remaining peak, reduced to its fundamental;
  // then its multiples go.
  let remaining = localMaxima(profile, minLag, maxLag).sort((a, b) => profile[b] - profile[a]);
  for (const f of families) {
    remaining = remaining.filter((l) => !isMultiple(l, f.lag) && !isMultiple(f.lag, l));
  }
  while (remaining.length > 0 && families.length < MAX_FAMILIES && tried.size < MAX_VERIFIED) {
    const strongest = remaining[0];
    // the strongest remaining peak below half the bound in white-noise standard errors (1/√pairs;
    // half: a fractional period splits its peak between two lags) cannot pass verification, nor
    // can the weaker ones after it
    if (profile[strongest] * Math.sqrt(acf.pairs[strongest]) < 0.5 * ctx.z) break;
    let chosen: Verified | null = null;
    // divisors of the strongest lag are kept whole by a high-pass of its width
    const width = filterWidth(strongest);
    const keeps = new Float64Array(strongest + 2).fill(NaN);
    for (let h = 1; h < keeps.length && h + width - 1 <= ctx.fc.maxLag; h++) {
      keeps[h] = ctx.fc.correlation(h, width);
    }
    const keepsDivisors = (h: number) => (h >= 0 && h < keeps.length ? keeps[h] : NaN);
    for (const guess of fundamentalCandidates(keepsDivisors, strongest, minLag)) {
      const key = Math.round(guess);
      if (tried.has(key) || tried.size >= MAX_VERIFIED) continue;
      tried.add(key);
      const v = verify(guess, ctx);
      if (v !== null && v.significant) {
        chosen = v;
        break;
      }
    }
    if (
      chosen === null ||
      families.some((f) => isMultiple(chosen.lag, f.lag) || isMultiple(f.lag, chosen.lag))
    ) {
      remaining = remaining.filter((l) => l !== strongest);
      continue;
    }
    families.push(chosen);
    const p = chosen.lag;
    remaining = remaining.filter((l) =>
      !isMultiple(l, p) && !isMultiple(p, l) && !onSamePeak(profile, l, p)
    );
  }
  if (families.length === 0) {
    notes.push("no significant period");
    return none();
  }

  const accepted = families
    .filter((f) =>
      f.detection.correlation >= minCorrelation && f.detection.confidence >= minConfidence
    )
    .sort((a, b) => b.detection.confidence - a.detection.confidence);
  const windows: PeriodWindow[] = [];
  for (const f of families) {
    windows.push(...scanWindows(x, f.lag, {
      stepSeconds,
      filtered: f.y,
      windowSteps: windowSeconds === undefined ? undefined : windowSeconds / stepSeconds,
      minCorrelation,
      minConfidence,
      significance,
    }));
  }
  windows.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const f of families) {
    if (accepted.includes(f)) continue;
    const d = f.detection;
    const local = windows.some((w) => isMultiple(w.periodSeconds / stepSeconds, f.lag));
    notes.push(
      `period ${round3(d.periodSeconds)} s is significant but weak over the whole series ` +
        `(correlation ${round3(d.correlation)}, confidence ${round3(d.confidence)})` +
        (local ? "; it holds in some windows" : ""),
    );
  }
  if (accepted.length === 0) notes.push("no period over the whole series");
  return {
    period: accepted.length > 0 ? accepted[0].detection : null,
    others: accepted.slice(1).map((f) => f.detection),
    windows,
    notes,
  };
}

/**
 * Whether lag `l` is a ripple on the broad peak of the period `p` (steps) or of one of its
 * multiples: the profile never falls below half the lower of the two between them. A sine of
 * 1800 s has local maxima of the profile at 1612 and 2004 that its peak's shoulders carry; each
 * would otherwise cost a verification (an FFT autocorrelation of the series) to be refused as
 * that period again.
 */
function onSamePeak(profile: Float64Array, l: number, p: number): boolean {
  for (let k = 1; k <= 5; k++) {
    const m = Math.round(k * p);
    if (m >= profile.length) break;
    const a = Math.min(l, m);
    const b = Math.max(l, m);
    const floor = 0.5 * Math.min(profile[l], profile[m]);
    if (!(floor > 0)) continue;
    let joined = true;
    for (let h = a; h <= b && joined; h++) if (!(profile[h] >= floor)) joined = false;
    if (joined) return true;
  }
  return false;
}

/** Filters up to this width are matched again to the lag where the peak was found. */
const REMATCH_BELOW = 32;

/** Direct sums first, for this many lags: a noise-like residual crosses 0 within a few. */
const DIRECT_LAGS = 32;

/**
 * Σ r(h)² over lags 1 … `maxLag` of `e`, up to the first lag where r ≤ 0. The first lags one by one
 * (a noise-like series crosses 0 within a few); a slowly decaying one through the FFT.
 */
function shortRangeSum(e: Float64Array, maxLag: number): number {
  let sum = 0;
  const direct = Math.min(maxLag, DIRECT_LAGS);
  for (let h = 1; h <= direct; h++) {
    const r = lagCorrelation(e, h).r;
    if (!(r > 0)) return sum;
    sum += r * r;
  }
  if (maxLag <= direct) return sum;
  const r = autocorrelation(e, maxLag, { detrend: "none" }).r;
  sum = 0;
  for (let h = 1; h <= maxLag; h++) {
    if (!(r[h] > 0)) break;
    sum += r[h] * r[h];
  }
  return sum;
}

/**
 * Verifies a period guess (in steps) on the series: the peak located and refined, the correlation
 * measured at the period, the tests of significance and of the dip before the peak.
 */
function verify(
  guess: number,
  ctx: Context,
  spectral = false,
  rematched = false,
): Verified | null {
  const { x, n } = ctx;
  const width = filterWidth(guess);
  const y = highPass(x, width);
  // the autocorrelation of the high-passed series itself (FFT), up to 2.5 periods or half the
  // series, where half the pairs remain
  const hi = Math.min(Math.ceil(2.5 * ctx.maxLag) + 2, Math.floor(n / 2));
  // a cheap necessary condition first: near the guess, some correlation above the white-noise
  // bound (the standard error below is never smaller than 1/√pairs)
  let near = -Infinity;
  for (let l = Math.max(1, Math.round(guess) - 1); l <= Math.round(guess) + 1; l++) {
    const c = lagCorrelation(y, l);
    near = Math.max(near, c.r * Math.sqrt(c.pairs));
  }
  if (!(near > 0.5 * ctx.z)) return null;
  const acf = autocorrelation(y, hi, { detrend: "none", minPairs: 1 }).r;
  const g = (h: number) => (h >= 1 && h <= hi ? acf[h] : NaN);
  const first = locatePeak(g, guess, Math.max(1.5, 0.1 * guess), 1, hi);
  if (first === null || !(first.value > 0)) return null;
  // a peak, not the edge of the search range on a slope
  if (g(first.top - 1) > first.value || g(first.top + 1) > first.value) return null;
  // found away from the guess, where another filter width applies: measure it with that one (a
  // filter wider than the lag correlates white noise there by (width − lag)/width²: width 5 gives
  // +0.1 at lag 3; negligible beyond REMATCH_BELOW)
  if (
    !spectral && !rematched && width <= REMATCH_BELOW && filterWidth(first.lag) !== width
  ) {
    return verify(first.lag, ctx, false, true);
  }
  let period = first.lag;
  if (spectral) {
    // a spectral line locates a period of a few steps better than whole lags can
    period = guess;
  } else {
    // refine on the multiples of that autocorrelation (a quarter period either side: never
    // reaching the next multiple's peak) …
    let k = 2;
    for (; k * period + period / 4 <= hi; k *= 2) {
      const m = locatePeak(g, k * period, Math.max(0.5, period / 4), 1, hi);
      if (m === null || m.value < HARMONIC_RATIO * first.value) break;
      period = m.lag / k;
    }
    // … then on the series itself, on further multiples, and a broad peak (a smooth cycle: sine,
    // square, sawtooth) by epoch folding, which locates it far better when few cycles are seen
    period = refineOnMultiples(y, period, HARMONIC_RATIO * first.value, { fromMultiple: k });
    if (first.width > 4) {
      period = refineByFolding(y, period, {
        halfRange: Math.min(0.1 * period, (2 * period * period) / ctx.valid),
      });
    }
    if (Math.abs(period - first.lag) > Math.max(1.5, 0.1 * first.lag)) return null;
  }
  // the correlation at the (fractional) period: a narrow peak split between two whole lags counts
  // whole
  const fractional = fractionalLagCorrelation(y, period);
  const whole = lagCorrelation(y, Math.max(1, Math.round(period)));
  const measured = whole.r > fractional.r ? whole : fractional;
  let r = measured.r;
  if (spectral) {
    // a period of a few steps that whole lags straddle (2.53 steps: lags 2 and 3 are 0.2 cycles
    // off): the share of the energy its folded cycle explains, less what noise alone explains
    // (bins / samples), plays the part of the correlation
    const binsPerCycle = Math.max(2, Math.round(period));
    const explainedAt = (k: number) =>
      foldedPower(y, k * period, k * binsPerCycle) - (k * binsPerCycle) / Math.max(1, ctx.valid);
    const explained = explainedAt(1);
    // a harmonic of a longer period (the second of spikes every 8 steps: folding on 4 mixes
    // every spike with a quiet sample) explains clearly less than that period does, folded with
    // bins as fine
    if (Math.max(explainedAt(2), explainedAt(3)) > 1.5 * explained) return null;
    if (explained > r) r = explained;
  }
  if (!(r > 0)) return null;
  // the autocorrelation must come down to half the peak somewhere before it (red noise, which
  // the filter keeps at lags shorter than its width, only decays)
  let dip = Infinity;
  for (let h = 1; h < period && h <= hi; h++) dip = Math.min(dip, g(h));
  // Bartlett, with the short-range correlation of what does not repeat with this period: the
  // high-passed series less its folded mean cycle, up to its first zero crossing. (The series'
  // own short-range correlation would count the period's shape as noise.)
  const residual = foldResidual(y, period, Math.min(64, Math.max(2, Math.round(period))));
  const sum = shortRangeSum(residual, Math.min(Math.ceil(period) - 1, n - 1));
  const standardError = Math.sqrt((1 + 2 * sum) / Math.max(1, measured.pairs));
  const cycles = ctx.valid / period;
  return {
    detection: {
      periodSeconds: period * ctx.step,
      confidence: periodConfidence(r, cycles),
      amplitude: foldCycle(y, period).peakToPeak,
      correlation: r,
      standardError,
      cycles,
    },
    y,
    lag: period,
    significant: r > studentBound(ctx.z, measured.pairs / (1 + 2 * sum)) * standardError &&
      dip <= r / 2 && period >= ctx.minLag - 0.5 && period <= ctx.maxLag + 0.5,
  };
}
