/**
 * Direct correlation of a series with itself at one lag, over the valid pairs of a range.
 *
 * @module
 */

import { parabolicPeak } from "./peak.ts";

/** The correlation at one lag over a range. */
export interface LagCorrelation {
  /** Σ y[t]·y[t+L] / √(Σ y[t]² · Σ y[t+L]²) over the valid pairs (`NaN` without pairs). */
  r: number;
  /** The number of pairs (t, t+L) within the range where both values are samples. */
  pairs: number;
}

/**
 * The correlation of `y` (a series with mean ≈ 0, e.g. high-passed) with itself at lag `lag`,
 * over the pairs (t, t + lag) that both lie in [`start`, `end`) and are both finite. Normalised by
 * the energy of the two sides of the pairs, so |r| ≤ 1 whatever the gaps.
 *
 * @example
 * ```ts
 * import { lagCorrelation } from "./lag_correlation.ts";
 * import assert from "node:assert/strict";
 * const y = new Float64Array(60).map((_, i) => (i % 6 === 0 ? 5 : -1));
 * assert.equal(lagCorrelation(y, 6).r, 1);
 * assert.equal(lagCorrelation(y, 6, 0, 30).pairs, 24);
 * ```
 */
export function lagCorrelation(
  y: Float64Array,
  lag: number,
  start = 0,
  end: number = y.length,
): LagCorrelation {
  const a = Math.max(0, start);
  const b = Math.min(end, y.length) - lag;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  let pairs = 0;
  for (let t = a; t < b; t++) {
    const u = y[t];
    const v = y[t + lag];
    // NaN fails both comparisons: gaps are skipped without a function call
    if (u === u && v === v) {
      sab += u * v;
      saa += u * u;
      sbb += v * v;
      pairs++;
    }
  }
  const den = Math.sqrt(saa * sbb);
  return { r: pairs > 0 && den > 0 ? sab / den : NaN, pairs };
}

/**
 * The correlation of `y` with itself at a fractional lag `lag` = L + φ (0 ≤ φ < 1), the far side
 * of each pair linearly interpolated: Σ y[t]·v[t] / √(Σ y[t]² · Σ v[t]²) with
 * v[t] = (1 − φ)·y[t+L] + φ·y[t+L+1], over the t in [`start`, `end`) where all three values are
 * samples (and t + L + 1 < end). A narrow peak that a fractional period splits between lags L and
 * L + 1 (spikes every 33.4 steps: 60 % of pairs at 33, 40 % at 34) counts almost whole here,
 * where either whole lag sees only its share. At a whole lag it equals {@linkcode lagCorrelation}
 * but for the last pair.
 *
 * @example
 * ```ts
 * import { fractionalLagCorrelation, lagCorrelation } from "./lag_correlation.ts";
 * import assert from "node:assert/strict";
 * const y = new Float64Array(4000).map((_, i) => (i % 33.5 < 1 ? 1 : -1 / 32.5));
 * assert.ok(lagCorrelation(y, 33).r < 0.6);
 * assert.ok(fractionalLagCorrelation(y, 33.5).r > 0.65);
 * ```
 */
export function fractionalLagCorrelation(
  y: Float64Array,
  lag: number,
  start = 0,
  end: number = y.length,
): LagCorrelation {
  const whole = Math.floor(lag);
  const phi = lag - whole;
  const a = Math.max(0, start);
  const b = Math.min(end, y.length) - whole - 1;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  let pairs = 0;
  for (let t = a; t < b; t++) {
    const u = y[t];
    const v0 = y[t + whole];
    const v1 = y[t + whole + 1];
    if (u === u && v0 === v0 && v1 === v1) {
      const v = (1 - phi) * v0 + phi * v1;
      sab += u * v;
      saa += u * u;
      sbb += v * v;
      pairs++;
    }
  }
  const den = Math.sqrt(saa * sbb);
  return { r: pairs > 0 && den > 0 ? sab / den : NaN, pairs };
}

/** A correlation peak measured on the series. */
export interface DirectPeak {
  /** Fractional lag of the peak (parabolic vertex through the top and its neighbours). */
  lag: number;
  /** The correlation measured at the top (an integer lag). */
  r: number;
  /** Valid pairs at the top. */
  pairs: number;
}

/**
 * The correlation peak of `y` near `lag` within [`start`, `end`): from round(lag), moved to the
 * higher neighbour at most `climb` times until a local maximum, then located to a fraction of a
 * step by a parabola. `null` when no pair exists there.
 *
 * @example
 * ```ts
 * import { directPeak } from "./lag_correlation.ts";
 * import assert from "node:assert/strict";
 * const y = new Float64Array(500).map((_, i) => Math.cos((2 * Math.PI * i) / 20.4));
 * const peak = directPeak(y, 19, 3)!;
 * assert.ok(Math.abs(peak.lag - 20.4) < 0.1 && peak.r > 0.9);
 * ```
 */
export function directPeak(
  y: Float64Array,
  lag: number,
  climb: number,
  start = 0,
  end: number = y.length,
): DirectPeak | null {
  const cache = new Map<number, LagCorrelation>();
  const at = (l: number): LagCorrelation => {
    let c = cache.get(l);
    if (c === undefined) {
      c = l >= 1 && l < end - start ? lagCorrelation(y, l, start, end) : { r: NaN, pairs: 0 };
      cache.set(l, c);
    }
    return c;
  };
  let l = Math.max(1, Math.round(lag));
  for (let i = 0; i < climb; i++) {
    const here = at(l).r;
    const left = at(l - 1).r;
    const right = at(l + 1).r;
    if (right > here && !(left > right)) l++;
    else if (left > here) l--;
    else break;
  }
  const top = at(l);
  if (!Number.isFinite(top.r)) return null;
  const p = parabolicPeak(at(l - 1).r, top.r, at(l + 1).r);
  return { lag: l + p.offset, r: top.r, pairs: top.pairs };
}

/**
 * Refines a period of `period` steps on its multiples 2p, 4p, 8p … (starting at `fromMultiple`)
 * within [`start`, `end`), with {@linkcode directPeak}: the period becomes the multiple's peak lag
 * / k as long as that peak is within 1.5 steps of where it was expected and at least `minR` high.
 * Multiples are used up to half the range (where half the pairs remain). The error of the period
 * shrinks about as 1/k.
 *
 * @example
 * ```ts
 * import { refineOnMultiples } from "./lag_correlation.ts";
 * import assert from "node:assert/strict";
 * const y = new Float64Array(5000).map((_, i) => ((i % 37.3) < 1 ? 1 : -1 / 36.3));
 * assert.ok(Math.abs(refineOnMultiples(y, 37.6, 0.3) - 37.3) < 0.02);
 * ```
 */
export function refineOnMultiples(
  y: Float64Array,
  period: number,
  minR: number,
  { start = 0, end = y.length, fromMultiple = 2 }: {
    start?: number;
    end?: number;
    fromMultiple?: number;
  } = {},
): number {
  let p = period;
  const limit = Math.floor((end - start) / 2);
  for (let k = Math.max(2, fromMultiple); k * p + 2 <= limit; k *= 2) {
    const m = directPeak(y, k * p, 2, start, end);
    if (m === null || m.r < minR || Math.abs(m.lag - k * p) > 1.5) break;
    p = m.lag / k;
  }
  return p;
}
