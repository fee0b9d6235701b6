/**
 * The seed viewer's periodicity study, re-implemented from its description in REFERENCE.md as the
 * baseline of `bench/periodicity_bench.ts` (never used by fgm): windows of 60 samples every 30;
 * a window with zero variance or an amplitude (max − min) under 10 — whatever the unit — is
 * skipped; the autocorrelation r(lag) for lags 2 … 30; a window is periodic when its best r ≥ 0.6,
 * with that lag as its period. The series' period is the one most windows report (ties: the
 * higher mean score). Gaps (NaN), which the seed did not expect, are left out of the sums (to its
 * advantage).
 *
 * @module
 */

/** What the seed reports for a series. */
export interface SeedPeriodicity {
  /** The period most periodic windows report, or null when none is. */
  periodSeconds: number | null;
  /** Periodic windows / windows looked at. */
  windows: number;
  periodic: number;
}

/** r at `lag` within x[a, b) over the pairs where both values exist, about the window's mean. */
function windowR(x: Float64Array, a: number, b: number, lag: number, mean: number): number {
  let num = 0;
  let den = 0;
  for (let t = a; t < b; t++) {
    const u = x[t] - mean;
    if (u === u) den += u * u;
    if (t + lag < b) {
      const v = x[t + lag] - mean;
      if (u === u && v === v) num += u * v;
    }
  }
  return den > 0 ? num / den : NaN;
}

/** The seed's study of a series sampled every second. */
export function seedPeriodicity(x: Float64Array): SeedPeriodicity {
  const votes = new Map<number, { n: number; score: number }>();
  let windows = 0;
  let periodic = 0;
  for (let a = 0; a + 60 <= x.length; a += 30) {
    const b = a + 60;
    let lo = Infinity;
    let hi = -Infinity;
    let sum = 0;
    let n = 0;
    for (let t = a; t < b; t++) {
      const v = x[t];
      if (v !== v) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      sum += v;
      n++;
    }
    windows++;
    if (n < 2 || hi - lo < 10 || hi === lo) continue;
    const mean = sum / n;
    let best = -Infinity;
    let lagBest = 0;
    for (let lag = 2; lag <= 30; lag++) {
      const r = windowR(x, a, b, lag, mean);
      if (r > best) {
        best = r;
        lagBest = lag;
      }
    }
    if (best >= 0.6) {
      periodic++;
      const v = votes.get(lagBest) ?? { n: 0, score: 0 };
      v.n++;
      v.score += best;
      votes.set(lagBest, v);
    }
  }
  let period: number | null = null;
  let top = { n: 0, score: 0 };
  for (const [lag, v] of votes) {
    if (v.n > top.n || (v.n === top.n && v.score > top.score)) {
      top = v;
      period = lag;
    }
  }
  return { periodSeconds: period, windows, periodic };
}
