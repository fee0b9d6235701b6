/**
 * Correlation discovery: which of many series move with one series, at which lag, and whether that
 * could be chance. Pearson's r over the valid pairs at every lag within ±`maxLag` steps, the
 * strongest lag kept; its significance from an effective number of pairs that accounts for the
 * autocorrelation of both series (Bartlett: n / (1 + 2·Σ ρx(k)·ρy(k))), so that two smooth,
 * independent series — trends, random walks, slow drifts — which correlate strongly by chance are
 * not called related, and corrected for the lags and candidates tried.
 *
 * @module
 */

import { autocorrelation } from "./autocorrelation.ts";
import { removeLinearTrend } from "./detrend.ts";

/** How much stronger (in |r|) a longer lag must be to be preferred to a shorter one. */
export const LAG_MARGIN = 0.02;

/** Options of {@linkcode rankCorrelations}. */
export interface CorrelationOptions {
  /** Lags tried, in steps, each way (default 30). */
  maxLag?: number;
  /** How many series to return (default 10). */
  top?: number;
  /** Family-wise error rate over lags and candidates (default 0.01). */
  alpha?: number;
  /** Fewest valid pairs at a lag (default 30). */
  minPairs?: number;
}

/** One candidate's best lag. */
export interface CorrelationHit {
  /** Index of the candidate in the input. */
  index: number;
  /** Pearson's r at `lag` (−1 … 1). */
  r: number;
  /**
   * The lag in steps: r = corr(target[t], candidate[t − lag]); positive when the candidate moves
   * first (the target follows `lag` steps later), negative when it follows.
   */
  lag: number;
  /** Valid pairs at that lag. */
  pairs: number;
  /** The pairs an independent sample would need for the same information (≤ pairs). */
  effectivePairs: number;
  /** Two-sided p of r under independence with `effectivePairs`, × the lags tried (≤ 1). */
  pValue: number;
  /** Whether pValue × candidates < alpha. */
  significant: boolean;
}

/** The answer of {@linkcode rankCorrelations}. */
export interface CorrelationResult {
  /** Up to `top` candidates, the significant ones first, each group by |r| descending. */
  hits: CorrelationHit[];
  /** Candidates that could be compared (enough pairs, not constant). */
  compared: number;
  notes: string[];
}

/** erfc(x) for x ≥ 0 (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  return t * Math.exp(
    -x * x - 1.26551223 +
      t * (1.00002368 +
          t * (0.37409196 +
              t * (0.09678418 +
                  t * (-0.18628806 +
                      t * (0.27886807 +
                          t *
                            (-1.13520398 +
                              t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
}

/**
 * Two-sided p of a correlation r under independence with `n` effective pairs (Fisher's z).
 *
 * @example
 * ```ts
 * import { correlationPValue } from "./correlation.ts";
 * import assert from "node:assert/strict";
 * assert.ok(correlationPValue(0.5, 100) < 1e-6);
 * assert.ok(correlationPValue(0.5, 6) > 0.2);
 * ```
 */
export function correlationPValue(r: number, n: number): number {
  if (!(n > 3)) return 1;
  const a = Math.min(Math.abs(r), 1 - 1e-15);
  const z = Math.atanh(a) * Math.sqrt(n - 3);
  return Math.min(1, erfc(z / Math.SQRT2));
}

/**
 * Pearson's r of `x[t]` and `y[t − lag]` over the t where both are finite.
 *
 * @example
 * ```ts
 * import { laggedPearson } from "./correlation.ts";
 * import assert from "node:assert/strict";
 * const y = new Float64Array(50).map((_, i) => Math.sin(i));
 * const x = new Float64Array(50).map((_, i) => (i >= 2 ? y[i - 2] : NaN));
 * assert.ok(laggedPearson(x, y, 2).r > 0.999999);
 * ```
 */
export function laggedPearson(
  x: Float64Array,
  y: Float64Array,
  lag: number,
): { r: number; pairs: number } {
  const n = Math.min(x.length, y.length + lag);
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, k = 0;
  for (let t = Math.max(0, lag); t < n; t++) {
    const a = x[t];
    const b = y[t - lag];
    if (a === a && b === b) {
      sx += a;
      sy += b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
      k++;
    }
  }
  if (k < 2) return { r: NaN, pairs: k };
  const vx = sxx - (sx * sx) / k;
  const vy = syy - (sy * sy) / k;
  const c = sxy - (sx * sy) / k;
  const den = Math.sqrt(vx * vy);
  return { r: den > 0 ? Math.max(-1, Math.min(1, c / den)) : NaN, pairs: k };
}

/** A series prepared for comparison: finite values, line removed, its autocorrelation. */
interface Prepared {
  x: Float64Array;
  rho: Float64Array;
}

function prepare(values: Float64Array, maxRhoLag: number): Prepared | null {
  let valid = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      valid++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (valid < 3 || lo === hi) return null;
  const x = removeLinearTrend(values);
  const ac = autocorrelation(x, Math.max(1, Math.min(maxRhoLag, x.length - 1)), {
    detrend: "mean",
  });
  return { x, rho: ac.r };
}

/** n / (1 + 2·Σ ρx(k)·ρy(k)), the sum over lags where both are defined, within [3, n]. */
function effectiveSize(n: number, a: Float64Array, b: Float64Array): number {
  let s = 0;
  const m = Math.min(a.length, b.length);
  for (let k = 1; k < m; k++) {
    const p = a[k] * b[k];
    if (p === p) s += p;
  }
  const f = 1 + 2 * s;
  return Math.max(3, Math.min(n, f > 0 ? n / f : n));
}

/**
 * Ranks `candidates` (series on the same grid as `target`, gaps as NaN) by their strongest lagged
 * Pearson correlation with `target`, after removing each series' least-squares line.
 *
 * @example
 * ```ts
 * import { rankCorrelations } from "./correlation.ts";
 * import assert from "node:assert/strict";
 * const cpu = new Float64Array(600).map((_, i) => (i % 20 === 0 ? 9 : 1) + Math.sin(i * i));
 * const throttled = new Float64Array(600).map((_, i) => (i % 20 === 2 ? 5 : 0) + Math.cos(i * i));
 * const other = new Float64Array(600).map((_, i) => Math.sin(i * 7.1));
 * const r = rankCorrelations(throttled, [other, cpu]);
 * assert.equal(r.hits[0].index, 1);
 * assert.equal(r.hits[0].lag, 2); // throttling 2 steps after the CPU spikes
 * ```
 */
export function rankCorrelations(
  target: Float64Array,
  candidates: readonly Float64Array[],
  options: CorrelationOptions = {},
): CorrelationResult {
  const maxLag = Math.max(0, Math.floor(options.maxLag ?? 30));
  const top = Math.max(1, Math.floor(options.top ?? 10));
  const alpha = options.alpha ?? 0.01;
  const minPairs = Math.max(3, options.minPairs ?? 30);
  const notes: string[] = [];
  const rhoLag = Math.floor(target.length / 4);
  const t = prepare(target, rhoLag);
  if (t === null) {
    notes.push(target.length === 0 ? "empty series" : "the series is constant or has no samples");
    return { hits: [], compared: 0, notes };
  }
  const lags = 2 * maxLag + 1;
  const all: CorrelationHit[] = [];
  let compared = 0;
  for (let i = 0; i < candidates.length; i++) {
    const c = prepare(candidates[i], rhoLag);
    if (c === null) continue;
    let best: { r: number; pairs: number; lag: number } | null = null;
    // lags from 0 outwards; a longer lag must beat a shorter one by LAG_MARGIN in |r| (periodic
    // series correlate nearly as well one period later)
    for (let k = 0; k <= 2 * maxLag; k++) {
      const lag = k % 2 === 0 ? k / 2 : -(k + 1) / 2;
      const { r, pairs } = laggedPearson(t.x, c.x, lag);
      if (pairs < minPairs || !(r === r)) continue;
      if (best === null || Math.abs(r) > Math.abs(best.r) + LAG_MARGIN) best = { r, pairs, lag };
    }
    if (best === null) continue;
    compared++;
    const effectivePairs = effectiveSize(best.pairs, t.rho, c.rho);
    const pValue = Math.min(1, correlationPValue(best.r, effectivePairs) * lags);
    all.push({ index: i, ...best, effectivePairs, pValue, significant: false });
  }
  for (const h of all) h.significant = h.pValue * Math.max(1, compared) < alpha;
  all.sort((a, b) =>
    Number(b.significant) - Number(a.significant) || Math.abs(b.r) - Math.abs(a.r) ||
    a.index - b.index
  );
  if (compared === 0) notes.push("no other series to compare with");
  else if (!all.some((h) => h.significant)) notes.push("no series correlates significantly");
  return { hits: all.slice(0, top), compared, notes };
}
