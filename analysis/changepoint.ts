/**
 * The changepoint study: where a series' level (and, with the `meanvar` cost, its spread) shifts.
 * Exact penalised segmentation by PELT (Killick, Fearnhead & Eckley 2012) over the samples of the
 * series (gaps are skipped, never filled), a penalty in units of the series' own noise, a minimum
 * segment length, and for each change the levels before and after, its magnitude and direction.
 * {@linkcode optimalPartitioning} is the same recursion without pruning, O(n²), the reference PELT
 * must agree with.
 *
 * @module
 */

/** Options of {@linkcode detectChangepoints}. */
export interface ChangepointOptions {
  /** `mean`: shifts of level under a constant noise; `meanvar`: level and spread (default `mean`). */
  cost?: "mean" | "meanvar";
  /** Fewest samples in a segment (default 5; at least 2 for `meanvar`, 1 for `mean`). */
  minSegment?: number;
  /**
   * Penalty per change as a multiple of ln n, the cost being in units of the noise variance
   * (default 2 for `mean`, 3 for `meanvar`: one parameter per change plus the location — BIC).
   */
  penaltyFactor?: number;
  /** A penalty per change used as is, instead of `penaltyFactor`·ln n. */
  penalty?: number;
  /**
   * `auto` (default): functional pruning for `mean`, PELT's inequality for `meanvar`;
   * `inequality`: PELT's inequality for both (the benchmark's peer; same result).
   */
  pruning?: "auto" | "inequality";
}

/** One change of level. */
export interface Changepoint {
  /** Index (in the input) of the first sample of the new segment. */
  index: number;
  /** Mean of the segment before and after, in the series' unit. */
  before: number;
  after: number;
  /** |after − before|. */
  magnitude: number;
  direction: "up" | "down";
  /** magnitude / noise σ (how many noise deviations the level moved). */
  score: number;
  /** Standard deviation of the segment before and after. */
  beforeSd: number;
  afterSd: number;
}

/** One segment between changes. */
export interface Segment {
  /** Indices in the input, `end` excluded (gaps at the ends belong to the segment around them). */
  start: number;
  end: number;
  mean: number;
  sd: number;
  /** Samples (non-gaps) in it. */
  samples: number;
}

/** The answer of {@linkcode detectChangepoints}. */
export interface ChangepointResult {
  changepoints: Changepoint[];
  segments: Segment[];
  /** The noise σ the penalty is scaled by ({@linkcode robustNoise}). */
  noise: number;
  /** The penalty per change used, in units of the noise variance. */
  penalty: number;
  notes: string[];
}

/** Prefix sums of the samples (gaps removed): Σx and Σx² up to each sample. */
interface Prefix {
  s: Float64Array;
  q: Float64Array;
}

function prefixSums(x: Float64Array, scale: number, shift: number): Prefix {
  const n = x.length;
  const s = new Float64Array(n + 1);
  const q = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = (x[i] - shift) / scale;
    s[i + 1] = s[i] + v;
    q[i + 1] = q[i] + v * v;
  }
  return { s, q };
}

/**
 * The cost of samples [a, b) in units of the noise variance: their squared error about their mean
 * (`mean`), or −2·log-likelihood under a normal of their own mean and variance, the variance
 * floored at `floor` (`meanvar`: the constrained maximum, so that splitting never costs more).
 */
function segmentCost(
  p: Prefix,
  a: number,
  b: number,
  meanvar: boolean,
  floor: number,
): number {
  const m = b - a;
  const s = p.s[b] - p.s[a];
  const sse = Math.max(0, p.q[b] - p.q[a] - (s * s) / m);
  if (!meanvar) return sse;
  const v = Math.max(sse / m, floor);
  return m * Math.log(v) + sse / v;
}

/** Median of a copy of `x` (finite values). */
function median(x: Float64Array): number {
  if (x.length === 0) return NaN;
  const y = Float64Array.from(x).sort();
  const h = y.length >> 1;
  return y.length % 2 ? y[h] : (y[h - 1] + y[h]) / 2;
}

/** E[z² | |z| < q] for a standard normal z and q its 99.5th percentile (two-sided 99 %). */
const TRIMMED_NORMAL = 0.9245;

/**
 * The noise σ of a series, what its penalty is scaled by: the root mean square of its first
 * differences about their median, the largest 1 % left out (a level shift or a trend moves only a
 * few differences), / √2, corrected to be unbiased for normal noise. Short spikes and bursts move
 * many differences and so count as noise: they are not level shifts. 0 only for a constant series.
 *
 * @example
 * ```ts
 * import { robustNoise } from "./changepoint.ts";
 * import assert from "node:assert/strict";
 * assert.equal(robustNoise(new Float64Array([1, 1, 1, 1])), 0);
 * ```
 */
export function robustNoise(samples: Float64Array): number {
  const n = samples.length;
  if (n < 3) return 0;
  const d = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) d[i - 1] = samples[i] - samples[i - 1];
  const med = median(d);
  const sq = d.map((v) => (v - med) * (v - med)).sort();
  const keep = Math.max(1, Math.ceil(sq.length * 0.99));
  let ss = 0;
  for (let i = 0; i < keep; i++) ss += sq[i];
  return Math.sqrt(ss / keep / TRIMMED_NORMAL) / Math.SQRT2;
}

/** The last segment start of each prefix end, from which the segmentation is read back. */
function backtrack(last: Int32Array, n: number): number[] {
  const starts: number[] = [];
  for (let t = n; t > 0; t = last[t]) starts.push(last[t]);
  return starts.reverse().slice(1);
}

/** What both recursions need. */
interface Problem {
  p: Prefix;
  n: number;
  minSeg: number;
  beta: number;
  meanvar: boolean;
  floor: number;
}

/**
 * PELT: F(t) = min over s of F(s) + C(s, t) + β, s ranging over the candidates kept. A candidate s
 * with F(s) + C(s, t) > F(t) can never be the last change of any t′ ≥ t + minSeg (C(s, t′) ≥ C(s, t)
 * + C(t, t′) and F(t′) ≤ F(t) + C(t, t′) + β), so it is dropped from t + minSeg on.
 */
function pelt(pr: Problem): number[] {
  const { p, n, minSeg, beta, meanvar, floor } = pr;
  const f = new Float64Array(n + 1).fill(Infinity);
  const last = new Int32Array(n + 1);
  f[0] = -beta;
  // candidates and the time from which each may be dropped
  let cand = new Int32Array(Math.min(n + 1, 1024));
  let dropAt = new Float64Array(cand.length);
  let count = 1;
  cand[0] = 0;
  dropAt[0] = Infinity;
  const values = new Float64Array(n + 1);
  for (let t = minSeg; t <= n; t++) {
    let best = Infinity;
    let arg = 0;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const s = cand[i];
      if (dropAt[i] <= t) continue;
      cand[kept] = s;
      dropAt[kept] = dropAt[i];
      kept++;
      if (t - s < minSeg) continue;
      // segmentCost inlined for the common case
      const m = t - s;
      const sum = p.s[t] - p.s[s];
      let c = p.q[t] - p.q[s] - (sum * sum) / m;
      if (c < 0) c = 0;
      if (meanvar) {
        const v = c / m > floor ? c / m : floor;
        c = m * Math.log(v) + c / v;
      }
      const v = f[s] + c;
      values[s] = v;
      if (v < best) {
        best = v;
        arg = s;
      }
    }
    count = kept;
    f[t] = best + beta;
    last[t] = arg;
    for (let i = 0; i < count; i++) {
      const s = cand[i];
      if (t - s >= minSeg && dropAt[i] === Infinity && values[s] > f[t]) dropAt[i] = t + minSeg;
    }
    if (t <= n - minSeg) {
      if (count === cand.length) {
        const c2 = new Int32Array(cand.length * 2);
        c2.set(cand);
        cand = c2;
        const d2 = new Float64Array(dropAt.length * 2);
        d2.set(dropAt);
        dropAt = d2;
      }
      cand[count] = t;
      dropAt[count] = Infinity;
      count++;
    }
  }
  return backtrack(last, n);
}

/**
 * PELT with functional pruning (FPOP, Maidstone et al. 2017) for the `mean` cost. Candidate s
 * stands for q_s(μ) = F(s) + β + Σ_{i ≥ s} (x_i − μ)²: every new sample adds the same term to all,
 * so q_s − q_r never changes once both exist, and s can be dropped as soon as every μ has a
 * candidate at least as good. A candidate u enters at u + minSeg (its first admissible use); then
 * each alive r keeps only {μ : q_r(μ) ≤ q_u(μ)} (an interval: q_r − q_u is convex), u keeps where
 * it beats them all, and those left with nothing are dropped. F(t) is the same minimum over the
 * candidates alive, so the segmentation is the exact one; a series without changes keeps only a
 * few candidates (where PELT's inequality keeps them all: O(n²)).
 */
function fpop(pr: Problem): number[] {
  const { p, n, minSeg, beta } = pr;
  const f = new Float64Array(n + 1).fill(Infinity);
  const last = new Int32Array(n + 1);
  f[0] = -beta;
  // alive candidates, ascending, each with its set of μ as sorted disjoint intervals [lo, hi]
  let alive: number[] = [];
  let sets: number[][] = [];
  const eps = 1e-9;
  for (let t = minSeg; t <= n; t++) {
    const u = t - minSeg;
    if (Number.isFinite(f[u])) {
      if (alive.length === 0) {
        alive.push(u);
        sets.push([-Infinity, Infinity]);
      } else {
        const covered: number[] = [];
        const nextAlive: number[] = [];
        const nextSets: number[][] = [];
        for (let k = 0; k < alive.length; k++) {
          const r = alive[k];
          const m = u - r;
          const sum = p.s[u] - p.s[r];
          const c = p.q[u] - p.q[r] + f[r] - f[u];
          const d = sum * sum - m * c;
          if (d < 0) continue; // u is better everywhere: r is dropped
          const h = Math.sqrt(d);
          const lo = (sum - h) / m;
          const hi = (sum + h) / m;
          const margin = eps * (1 + Math.abs(lo) + Math.abs(hi));
          covered.push(lo + margin, hi - margin);
          const old = sets[k];
          const kept: number[] = [];
          for (let j = 0; j < old.length; j += 2) {
            const a = Math.max(old[j], lo - margin);
            const b = Math.min(old[j + 1], hi + margin);
            if (a <= b) kept.push(a, b);
          }
          if (kept.length === 0) continue;
          nextAlive.push(r);
          nextSets.push(kept);
        }
        // u holds where no alive candidate is at least as good: ℝ less the union of `covered`
        const order: number[] = [];
        for (let j = 0; j < covered.length; j += 2) if (covered[j] <= covered[j + 1]) order.push(j);
        order.sort((i, j) => covered[i] - covered[j]);
        const own: number[] = [];
        let from = -Infinity;
        for (const j of order) {
          if (covered[j] > from) own.push(from, covered[j]);
          if (covered[j + 1] > from) from = covered[j + 1];
        }
        if (from < Infinity) own.push(from, Infinity);
        if (own.length > 0) {
          nextAlive.push(u);
          nextSets.push(own);
        }
        alive = nextAlive;
        sets = nextSets;
      }
    }
    let best = Infinity;
    let arg = 0;
    for (const s of alive) {
      const m = t - s;
      const sum = p.s[t] - p.s[s];
      let c = p.q[t] - p.q[s] - (sum * sum) / m;
      if (c < 0) c = 0;
      const v = f[s] + c;
      if (v < best) {
        best = v;
        arg = s;
      }
    }
    f[t] = best + beta;
    last[t] = arg;
  }
  return backtrack(last, n);
}

/** Optimal partitioning: the same recursion over every s, O(n²). */
function exact(pr: Problem): number[] {
  const { p, n, minSeg, beta, meanvar, floor } = pr;
  const f = new Float64Array(n + 1).fill(Infinity);
  const last = new Int32Array(n + 1);
  f[0] = -beta;
  for (let t = minSeg; t <= n; t++) {
    let best = Infinity;
    let arg = 0;
    for (let s = 0; s <= t - minSeg; s++) {
      if (s !== 0 && s < minSeg) continue;
      const v = f[s] + segmentCost(p, s, t, meanvar, floor);
      if (v < best) {
        best = v;
        arg = s;
      }
    }
    f[t] = best + beta;
    last[t] = arg;
  }
  return backtrack(last, n);
}

/** The samples of `values` (finite ones) and their indices in it. */
function compact(values: Float64Array): { x: Float64Array; at: Int32Array } {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const x = new Float64Array(n);
  const at = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      x[k] = values[i];
      at[k++] = i;
    }
  }
  return { x, at };
}

function describe(
  values: Float64Array,
  x: Float64Array,
  at: Int32Array,
  starts: number[],
  noise: number,
  penalty: number,
  notes: string[],
): ChangepointResult {
  const bounds = [0, ...starts, x.length];
  const segments: Segment[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const a = bounds[k];
    const b = bounds[k + 1];
    let s = 0;
    for (let i = a; i < b; i++) s += x[i];
    const mean = s / (b - a);
    let ss = 0;
    for (let i = a; i < b; i++) ss += (x[i] - mean) ** 2;
    segments.push({
      start: k === 0 ? 0 : at[a],
      end: k + 2 === bounds.length ? values.length : at[b],
      mean,
      sd: Math.sqrt(ss / (b - a)),
      samples: b - a,
    });
  }
  const changepoints: Changepoint[] = [];
  for (let k = 1; k < segments.length; k++) {
    const prev = segments[k - 1];
    const next = segments[k];
    const magnitude = Math.abs(next.mean - prev.mean);
    changepoints.push({
      index: next.start,
      before: prev.mean,
      after: next.mean,
      magnitude,
      direction: next.mean >= prev.mean ? "up" : "down",
      score: noise > 0 ? magnitude / noise : Infinity,
      beforeSd: prev.sd,
      afterSd: next.sd,
    });
  }
  return { changepoints, segments, noise, penalty, notes };
}

function prepare(values: Float64Array, o: ChangepointOptions): {
  pr: Problem | null;
  x: Float64Array;
  at: Int32Array;
  noise: number;
  beta: number;
  notes: string[];
} {
  const meanvar = o.cost === "meanvar";
  const minSeg = Math.max(meanvar ? 2 : 1, Math.floor(o.minSegment ?? 5));
  const { x, at } = compact(values);
  const n = x.length;
  const notes: string[] = [];
  if (values.length === 0) notes.push("empty series");
  else if (n === 0) notes.push("every value is missing");
  const noise = robustNoise(x);
  const beta = o.penalty ?? (o.penaltyFactor ?? (meanvar ? 3 : 2)) * Math.log(Math.max(n, 2));
  if (n === 0) return { pr: null, x, at, noise, beta, notes };
  if (n < 2 * minSeg) {
    notes.push(`series too short (${n} samples, segments of at least ${minSeg})`);
    return { pr: null, x, at, noise, beta, notes };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    notes.push("constant series");
    return { pr: null, x, at, noise, beta, notes };
  }
  // a series whose differences are all zero but for its steps (noise 0): the smallest step counts
  // as the noise, so every step stands out by the penalty and nothing else does
  let scale = noise;
  if (!(scale > 0)) {
    let step = Infinity;
    for (let i = 1; i < n; i++) {
      const d = Math.abs(x[i] - x[i - 1]);
      if (d > 0 && d < step) step = d;
    }
    scale = step / Math.SQRT2;
    notes.push("no noise: levels are exact");
  }
  const p = prefixSums(x, scale, (lo + hi) / 2);
  // meanvar: a segment's variance never counts below a hundredth of the noise variance
  return { pr: { p, n, minSeg, beta, meanvar, floor: 0.01 }, x, at, noise, beta, notes };
}

/**
 * The changepoints of a series: the segmentation minimising Σ cost(segment) + β·(segments − 1)
 * with every segment at least `minSegment` samples long, the cost in units of the series' robust
 * noise variance ({@linkcode robustNoise}) and β = `penaltyFactor`·ln n (BIC). Gaps (non-finite
 * values) are skipped: segments count samples, and indices are the input's.
 *
 * @example
 * ```ts
 * import { detectChangepoints } from "./changepoint.ts";
 * import assert from "node:assert/strict";
 * const x = new Float64Array(200).map((_, i) => (i < 120 ? 10 : 30) + Math.sin(i * i));
 * const r = detectChangepoints(x);
 * assert.deepEqual(r.changepoints.map((c) => [c.index, c.direction]), [[120, "up"]]);
 * ```
 */
export function detectChangepoints(
  values: Float64Array,
  options: ChangepointOptions = {},
): ChangepointResult {
  const { pr, x, at, noise, beta, notes } = prepare(values, options);
  if (pr === null) {
    return x.length === 0
      ? { changepoints: [], segments: [], noise, penalty: beta, notes }
      : describe(values, x, at, [], noise, beta, notes);
  }
  const inequality = pr.meanvar || options.pruning === "inequality";
  return describe(values, x, at, inequality ? pelt(pr) : fpop(pr), noise, beta, notes);
}

/**
 * The same segmentation as {@linkcode detectChangepoints} by exact optimal partitioning (no
 * pruning, O(n²)): the reference its pruning is tested against. Returns the changepoint indices.
 */
export function optimalPartitioning(
  values: Float64Array,
  options: ChangepointOptions = {},
): number[] {
  const { pr, at } = prepare(values, options);
  return pr === null ? [] : exact(pr).map((i) => at[i]);
}
