/**
 * Series cut to a model's size: summary statistics of an entity's values (min, max, mean,
 * percentiles, when the maximum and minimum were) and the series reduced to at most N points with
 * every bucket's min and max kept, so that a one-second spike survives any reduction. Pure.
 *
 * @module
 */

import { chooseStep } from "../recording/series.ts";

/** A reduced series as recording/series.ts returns it: bucket starts and min/mean/max per bucket. */
export interface Buckets {
  t: number[];
  min: (number | null)[];
  max: (number | null)[];
  mean: (number | null)[];
}

/** Summary statistics of one series over a range. */
export interface Summary {
  /** Samples (or non-empty buckets) the statistics are computed from. */
  samples: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** When the largest and smallest value were seen (bucket start when reduced), epoch ms. */
  maxAtMs: number;
  minAtMs: number;
  /** The last value in the range. */
  last: number;
  /** Mean × samples: the total of a per-interval column (`_usec`, `_bytes`, `_periods`). */
  sum: number;
}

/** The `q` quantile (0 … 1) of sorted values, linearly interpolated between ranks. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * The statistics of a series, or `null` when it holds no value. From samples (`stepMs` 0) they are
 * exact; from buckets, min, max and their times are exact and mean and percentiles those of the
 * bucket means.
 */
export function summarize(s: Buckets): Summary | null {
  const values: number[] = [];
  let min = Infinity;
  let max = -Infinity;
  let minAtMs = NaN;
  let maxAtMs = NaN;
  let sum = 0;
  let last = NaN;
  for (let i = 0; i < s.t.length; i++) {
    const mean = s.mean[i];
    if (mean === null) continue;
    const lo = s.min[i] ?? mean;
    const hi = s.max[i] ?? mean;
    values.push(mean);
    sum += mean;
    last = mean;
    if (hi > max) {
      max = hi;
      maxAtMs = s.t[i];
    }
    if (lo < min) {
      min = lo;
      minAtMs = s.t[i];
    }
  }
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return {
    samples: values.length,
    min,
    max,
    mean: sum / values.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    maxAtMs,
    minAtMs,
    last,
    sum,
  };
}

/**
 * The series in at most `points` buckets of one nice width (1 s, 2 s, 5 s … as the viewer's):
 * min of the mins, max of the maxes, mean of the means weighted by how many values each held.
 * A series already that short is returned as it is, with its gaps.
 */
export function reducePoints(s: Buckets, fromMs: number, toMs: number, points: number): Buckets {
  const n = Math.max(1, Math.floor(points));
  if (s.t.length <= n) return s;
  let width = chooseStep(fromMs, toMs, Math.max(1, n - 2)) || 1000;
  for (;;) {
    const out = merge(s, width);
    if (out.t.length <= n) return out;
    width *= 2;
  }
}

function merge(s: Buckets, width: number): Buckets {
  const out: Buckets = { t: [], min: [], max: [], mean: [] };
  let bucket = NaN;
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  let count = 0;
  const flush = () => {
    if (Number.isNaN(bucket)) return;
    out.t.push(bucket * width);
    out.min.push(count ? lo : null);
    out.max.push(count ? hi : null);
    out.mean.push(count ? sum / count : null);
  };
  for (let i = 0; i < s.t.length; i++) {
    const b = Math.floor(s.t[i] / width);
    if (b !== bucket) {
      flush();
      bucket = b;
      lo = Infinity;
      hi = -Infinity;
      sum = 0;
      count = 0;
    }
    const mean = s.mean[i];
    if (mean === null) continue;
    lo = Math.min(lo, s.min[i] ?? mean);
    hi = Math.max(hi, s.max[i] ?? mean);
    sum += mean;
    count++;
  }
  flush();
  return out;
}

/** A number as a result shows it: integers as they are, others to 4 significant decimals. */
export function round(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  const digits = Math.abs(v) >= 1000 ? 1 : Math.abs(v) >= 1 ? 3 : 4;
  return Number(v.toFixed(digits));
}
