/**
 * Synthetic series with known truth, for tests and benchmarks of the analysis studies (and for
 * end-to-end tests that need a recording with a known period). Everything is deterministic: the
 * random parts draw from {@linkcode createRng} with a seed.
 *
 * Conventions: a series has `length` samples taken every `stepSeconds` (default 1) at times
 * `t = i·stepSeconds`; periods and phases are in seconds and may be fractional; a gap is `NaN`.
 *
 * Signal-to-noise ratio: everywhere in this module **SNR is a variance ratio**, the variance of the
 * clean signal over the variance of the added noise ({@linkcode addNoise}). At SNR 3 a sine of
 * amplitude A gets Gaussian noise of σ = A/√6; a train of 1-s spikes of height h every 40 s
 * (variance h²·(1/40)·(39/40)) gets σ ≈ 0.09·h — for spikes that are only 3σ high, see
 * `heightOverSigma` in {@linkcode validationSet}.
 *
 * @module
 */

/** A seeded source of random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (mean 0, σ 1). */
  normal(): number;
  /** A uniform integer in [lo, hi] (both included). */
  int(lo: number, hi: number): number;
}

/**
 * A deterministic random source (mulberry32 for uniforms, Box–Muller for normals): the same seed
 * gives the same sequence on every machine.
 *
 * @example
 * ```ts
 * import { createRng } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const a = createRng(42);
 * const b = createRng(42);
 * assert.equal(a.uniform(), b.uniform());
 * assert.ok(a.int(1, 6) >= 1);
 * ```
 */
export function createRng(seed: number): Rng {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  let spare: number | null = null;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = uniform();
    while (u <= 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(uniform() * (hi - lo + 1));
  return { uniform, normal, int };
}

/** The shape of a periodic signal. */
export interface PeriodicShape {
  /** The period in seconds (> 0, fractional allowed). */
  periodSeconds: number;
  /** Time of the first cycle's start, in seconds. Default 0. */
  phaseSeconds?: number;
  /** Seconds between samples. Default 1. */
  stepSeconds?: number;
}

/** `((a mod b) + b) mod b`: the position of `a` within its cycle of length `b`. */
function cyclePosition(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/**
 * A sine wave `amplitude·sin(2π(t − phase)/period)`: peak-to-peak 2·amplitude.
 *
 * @example
 * ```ts
 * import { sine } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const x = sine(8, { periodSeconds: 4, amplitude: 2 });
 * assert.ok(Math.abs(x[1] - 2) < 1e-12 && Math.abs(x[3] + 2) < 1e-12);
 * ```
 */
export function sine(
  length: number,
  { periodSeconds, phaseSeconds = 0, stepSeconds = 1, amplitude = 1 }: PeriodicShape & {
    amplitude?: number;
  },
): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = amplitude * Math.sin((2 * Math.PI * (i * stepSeconds - phaseSeconds)) / periodSeconds);
  }
  return out;
}

/**
 * A square wave: `high` for the first `duty` fraction of each cycle, `low` for the rest.
 *
 * @example
 * ```ts
 * import { square } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...square(6, { periodSeconds: 3, duty: 1 / 3 })], [1, 0, 0, 1, 0, 0]);
 * ```
 */
export function square(
  length: number,
  { periodSeconds, phaseSeconds = 0, stepSeconds = 1, duty = 0.5, low = 0, high = 1 }:
    & PeriodicShape
    & { duty?: number; low?: number; high?: number },
): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const pos = cyclePosition(i * stepSeconds - phaseSeconds, periodSeconds);
    out[i] = pos < duty * periodSeconds ? high : low;
  }
  return out;
}

/**
 * Narrow pulses: `height` during `widthSeconds` at the start of every cycle, 0 elsewhere (a
 * container that spikes every `periodSeconds`). With a 1-s width and 1-s steps every pulse is one
 * sample, whatever the (fractional) period.
 *
 * @example
 * ```ts
 * import { spikes } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...spikes(9, { periodSeconds: 4, height: 5 })], [5, 0, 0, 0, 5, 0, 0, 0, 5]);
 * ```
 */
export function spikes(
  length: number,
  { periodSeconds, phaseSeconds = 0, stepSeconds = 1, height = 1, widthSeconds = 1 }:
    & PeriodicShape
    & { height?: number; widthSeconds?: number },
): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const pos = cyclePosition(i * stepSeconds - phaseSeconds, periodSeconds);
    out[i] = pos < widthSeconds ? height : 0;
  }
  return out;
}

/**
 * A sawtooth: rises linearly from 0 to `height` over each cycle, then drops back (memory that
 * grows until a periodic collection).
 *
 * @example
 * ```ts
 * import { sawtooth } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...sawtooth(5, { periodSeconds: 4, height: 4 })], [0, 1, 2, 3, 0]);
 * ```
 */
export function sawtooth(
  length: number,
  { periodSeconds, phaseSeconds = 0, stepSeconds = 1, height = 1 }: PeriodicShape & {
    height?: number;
  },
): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = (height * cyclePosition(i * stepSeconds - phaseSeconds, periodSeconds)) /
      periodSeconds;
  }
  return out;
}

/**
 * Gaussian white noise of standard deviation `sigma`.
 *
 * @example
 * ```ts
 * import { createRng, whiteNoise } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const x = whiteNoise(10_000, createRng(1), 2);
 * const sd = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
 * assert.ok(Math.abs(sd - 2) < 0.1);
 * ```
 */
export function whiteNoise(length: number, rng: Rng, sigma = 1): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = sigma * rng.normal();
  return out;
}

/**
 * A Gaussian random walk starting at 0 with steps of standard deviation `sigma`.
 *
 * @example
 * ```ts
 * import { createRng, randomWalk } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const x = randomWalk(100, createRng(1));
 * assert.equal(x.length, 100);
 * assert.ok(Math.abs(x[1] - x[0]) < 5);
 * ```
 */
export function randomWalk(length: number, rng: Rng, sigma = 1): Float64Array {
  const out = new Float64Array(length);
  let v = 0;
  for (let i = 0; i < length; i++) {
    out[i] = v;
    v += sigma * rng.normal();
  }
  return out;
}

/**
 * A step: `before` up to index `at` (excluded), `after` from it on.
 *
 * @example
 * ```ts
 * import { step } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...step(4, { at: 2, before: 1, after: 3 })], [1, 1, 3, 3]);
 * ```
 */
export function step(
  length: number,
  { at, before = 0, after = 1 }: { at: number; before?: number; after?: number },
): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = i < at ? before : after;
  return out;
}

/**
 * A straight line `start + slope·i` (slope per sample).
 *
 * @example
 * ```ts
 * import { ramp } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...ramp(3, { start: 1, slope: 2 })], [1, 3, 5]);
 * ```
 */
export function ramp(
  length: number,
  { start = 0, slope = 1 }: { start?: number; slope?: number } = {},
): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = start + slope * i;
  return out;
}

/**
 * Slow drift: a random walk smoothed over `length / 20` samples, rescaled so that its range
 * (max − min) is `range`.
 *
 * @example
 * ```ts
 * import { createRng, drift } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const d = drift(1000, createRng(3), 5);
 * assert.ok(Math.abs(Math.max(...d) - Math.min(...d) - 5) < 1e-9);
 * ```
 */
export function drift(length: number, rng: Rng, range: number): Float64Array {
  const walk = randomWalk(length, rng);
  const w = Math.max(1, Math.floor(length / 20));
  const out = new Float64Array(length);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    sum += walk[i];
    if (i >= w) sum -= walk[i - w];
    out[i] = sum / Math.min(i + 1, w);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of out) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? range / (hi - lo) : 0;
  for (let i = 0; i < length; i++) out[i] = (out[i] - lo) * scale;
  return out;
}

/**
 * The sample variance (population form) of the finite values of `x`.
 *
 * @example
 * ```ts
 * import { variance } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * assert.equal(variance(new Float64Array([1, 3, NaN])), 1);
 * ```
 */
export function variance(x: Float64Array): number {
  let n = 0;
  let sum = 0;
  for (const v of x) {
    if (Number.isFinite(v)) {
      n++;
      sum += v;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  let ss = 0;
  for (const v of x) if (Number.isFinite(v)) ss += (v - mean) ** 2;
  return ss / n;
}

/**
 * `signal` plus Gaussian noise at signal-to-noise ratio `snr`, a **variance ratio**:
 * σ_noise = √(variance(signal) / snr). Returns a new array.
 *
 * @example
 * ```ts
 * import { addNoise, createRng, sine, variance } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const s = sine(20_000, { periodSeconds: 50 });
 * const noisy = addNoise(s, 3, createRng(7));
 * const noise = noisy.map((v, i) => v - s[i]);
 * assert.ok(Math.abs(variance(s) / variance(noise) - 3) < 0.15);
 * ```
 */
export function addNoise(signal: Float64Array, snr: number, rng: Rng): Float64Array {
  const sigma = Math.sqrt(variance(signal) / snr);
  return signal.map((v) => v + sigma * rng.normal());
}

/** Where {@linkcode addGaps} puts gaps. */
export interface GapOptions {
  /** The probability that any one sample is missing. Default 0.05. */
  fraction?: number;
  /** How many longer holes. Default 0. */
  holes?: number;
  /** The length of each hole, in samples. Default 1 % of the series. */
  holeLength?: number;
}

/**
 * A copy of `values` with `NaN` gaps: each sample missing with probability `fraction`, plus
 * `holes` runs of `holeLength` missing samples at random places.
 *
 * @example
 * ```ts
 * import { addGaps, createRng } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const x = addGaps(new Float64Array(10_000), createRng(5), { fraction: 0.05 });
 * const missing = x.filter(Number.isNaN).length;
 * assert.ok(missing > 400 && missing < 600);
 * ```
 */
export function addGaps(
  values: Float64Array,
  rng: Rng,
  { fraction = 0.05, holes = 0, holeLength }: GapOptions = {},
): Float64Array {
  const out = values.slice();
  const n = out.length;
  for (let i = 0; i < n; i++) if (rng.uniform() < fraction) out[i] = NaN;
  const len = Math.min(n, Math.max(1, Math.round(holeLength ?? n / 100)));
  for (let h = 0; h < holes; h++) {
    const at = rng.int(0, n - len);
    out.fill(NaN, at, at + len);
  }
  return out;
}

/** The kinds of series {@linkcode syntheticSeries} makes. */
export type SeriesKind =
  | "sine"
  | "square"
  | "spikes"
  | "sawtooth"
  | "white-noise"
  | "random-walk"
  | "step"
  | "ramp"
  | "constant"
  | "all-gaps";

/** Periodic kinds: those with a true period. */
export const PERIODIC_KINDS: readonly SeriesKind[] = ["sine", "square", "spikes", "sawtooth"];
/** Kinds without a period, on which a detector must report none. */
export const APERIODIC_KINDS: readonly SeriesKind[] = [
  "white-noise",
  "random-walk",
  "step",
  "ramp",
  "constant",
  "all-gaps",
];

/** The description of one synthetic series. */
export interface SeriesSpec {
  /** What to generate. */
  kind: SeriesKind;
  /** Number of samples. */
  length: number;
  /** The seed of every random part. */
  seed: number;
  /** Seconds between samples. Default 1. */
  stepSeconds?: number;
  /** Period in seconds (periodic kinds only; required for them). */
  periodSeconds?: number;
  /** Phase in seconds. Default: random within the first cycle. */
  phaseSeconds?: number;
  /**
   * Signal-to-noise ratio as a variance ratio (periodic kinds, and the step: its variance is the
   * signal). Default: no noise.
   */
  snr?: number;
  /**
   * Spikes only: noise σ such that the spike height is this many σ (overrides `snr`), the
   * "amplitude over σ" definition of SNR.
   */
  heightOverSigma?: number;
  /** Slow drift whose range is this many signal standard deviations. Default 0. */
  drift?: number;
  /** Gaps to punch. Default none. */
  gaps?: GapOptions;
  /** The signal's scale: amplitude of a sine, height of spikes, square, sawtooth or step. Default 1. */
  scale?: number;
  /** The baseline added to everything (a series in its own unit, e.g. 250 millicores). Default 0. */
  offset?: number;
}

/** A generated series with its truth. */
export interface SyntheticSeries {
  /** The spec it was made from. */
  spec: SeriesSpec;
  /** The samples, `NaN` for gaps. */
  values: Float64Array;
  /** The true period in seconds, or `null` for aperiodic kinds. */
  periodSeconds: number | null;
  /** Peak-to-peak of the clean periodic signal (0 for aperiodic kinds). */
  peakToPeak: number;
}

/**
 * One synthetic series from its spec: the clean signal, then noise, drift, offset and gaps.
 *
 * @example
 * ```ts
 * import { syntheticSeries } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const s = syntheticSeries({ kind: "spikes", length: 600, seed: 1, periodSeconds: 40, snr: 3 });
 * assert.equal(s.periodSeconds, 40);
 * assert.equal(s.values.length, 600);
 * ```
 */
export function syntheticSeries(spec: SeriesSpec): SyntheticSeries {
  const { kind, length, seed, stepSeconds = 1, scale = 1, offset = 0 } = spec;
  const rng = createRng(seed);
  const periodic = PERIODIC_KINDS.includes(kind);
  const periodSeconds = spec.periodSeconds;
  if (periodic && !(periodSeconds !== undefined && periodSeconds > 0)) {
    throw new RangeError(`syntheticSeries: kind "${kind}" needs a periodSeconds > 0`);
  }
  const shape = {
    periodSeconds: periodSeconds ?? 1,
    phaseSeconds: spec.phaseSeconds ?? rng.uniform() * (periodSeconds ?? 1),
    stepSeconds,
  };
  let values: Float64Array;
  let peakToPeak = 0;
  switch (kind) {
    case "sine":
      values = sine(length, { ...shape, amplitude: scale });
      peakToPeak = 2 * scale;
      break;
    case "square":
      values = square(length, { ...shape, high: scale });
      peakToPeak = scale;
      break;
    case "spikes":
      values = spikes(length, { ...shape, height: scale });
      peakToPeak = scale;
      break;
    case "sawtooth":
      values = sawtooth(length, { ...shape, height: scale });
      peakToPeak = scale;
      break;
    case "white-noise":
      values = whiteNoise(length, rng, scale);
      break;
    case "random-walk":
      values = randomWalk(length, rng, scale);
      break;
    case "step":
      values = step(length, {
        at: rng.int(Math.floor(length / 4), Math.floor((3 * length) / 4)),
        after: scale,
      });
      break;
    case "ramp":
      values = ramp(length, { slope: scale / Math.max(1, length) });
      break;
    case "constant":
      values = new Float64Array(length);
      break;
    case "all-gaps":
      values = new Float64Array(length).fill(NaN);
      break;
  }
  const clean = values;
  if (spec.heightOverSigma !== undefined && kind === "spikes") {
    const sigma = scale / spec.heightOverSigma;
    values = values.map((v) => v + sigma * rng.normal());
  } else if (spec.snr !== undefined && (periodic || kind === "step")) {
    values = addNoise(values, spec.snr, rng);
  }
  if (spec.drift !== undefined && spec.drift > 0 && kind !== "all-gaps") {
    const d = drift(length, rng, spec.drift * Math.sqrt(variance(clean)));
    values = values.map((v, i) => v + d[i]);
  }
  if (offset !== 0) values = values.map((v) => v + offset);
  if (spec.gaps !== undefined) values = addGaps(values, rng, spec.gaps);
  return { spec, values, periodSeconds: periodic ? periodSeconds! : null, peakToPeak };
}

/** Options of {@linkcode validationSet}. */
export interface ValidationSetOptions {
  /** Seed of the whole set (each series gets its own seed from it). */
  seed: number;
  /** Series per periodic kind. Default 60. */
  perPeriodicKind?: number;
  /** Series per aperiodic kind (white noise, random walk; step and ramp get a third). Default 60. */
  perAperiodicKind?: number;
  /** Periodic kinds to include. Default sine, square, spikes. */
  periodicKinds?: readonly SeriesKind[];
  /** Shortest and longest period in seconds, drawn log-uniformly. Default 2 … 3600. */
  periodRange?: [number, number];
  /** Fewest and most cycles a periodic series holds. Default 3 … 10. */
  cyclesRange?: [number, number];
  /** Shortest series in samples whatever the period, drawn in this range. Default 600 … 3600. */
  minLengthRange?: [number, number];
  /** SNR (variance ratio) of the periodic series. Default 3. */
  snr?: number;
  /**
   * Spikes only: use height/σ = this instead of `snr` (the harder, "amplitude over σ" reading of
   * SNR). Default: not used.
   */
  heightOverSigma?: number;
  /** Drift range in signal standard deviations. Default 1. */
  drift?: number;
  /** Missing-sample probability. Default 0.05. */
  gapFraction?: number;
  /** Most longer holes per series (0 … this), each 1 % of the series. Default 3. */
  maxHoles?: number;
}

/**
 * A deterministic validation set: periodic series with noise, drift and gaps over the whole period
 * range (each long enough for its cycles), and aperiodic ones (white noise, random walks, steps
 * with noise, ramps, constants, all gaps) of the same lengths.
 *
 * @example
 * ```ts
 * import { validationSet } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const set = validationSet({ seed: 1, perPeriodicKind: 2, perAperiodicKind: 3 });
 * assert.ok(set.some((s) => s.periodSeconds === null));
 * for (const s of set) {
 *   if (s.periodSeconds !== null) assert.ok(s.values.length >= 3 * s.periodSeconds);
 * }
 * ```
 */
export function validationSet({
  seed,
  perPeriodicKind = 60,
  perAperiodicKind = 60,
  periodicKinds = ["sine", "square", "spikes"],
  periodRange = [2, 3600],
  cyclesRange = [3, 10],
  minLengthRange = [600, 3600],
  snr = 3,
  heightOverSigma,
  drift: driftRange = 1,
  gapFraction = 0.05,
  maxHoles = 3,
}: ValidationSetOptions): SyntheticSeries[] {
  const rng = createRng(seed);
  const out: SyntheticSeries[] = [];
  const [pLo, pHi] = periodRange;
  const lengthFor = (periodSeconds: number) => {
    const cycles = cyclesRange[0] + rng.uniform() * (cyclesRange[1] - cyclesRange[0]);
    const floor = rng.int(minLengthRange[0], minLengthRange[1]);
    return Math.max(floor, Math.ceil(cycles * periodSeconds));
  };
  const gaps = (): GapOptions => ({ fraction: gapFraction, holes: rng.int(0, maxHoles) });
  for (const kind of periodicKinds) {
    for (let i = 0; i < perPeriodicKind; i++) {
      // log-uniform period, stratified so that every run covers the whole range
      const u = (i + rng.uniform()) / perPeriodicKind;
      const periodSeconds = Math.round(pLo * (pHi / pLo) ** u * 100) / 100;
      out.push(syntheticSeries({
        kind,
        length: lengthFor(periodSeconds),
        seed: rng.int(0, 2 ** 31),
        periodSeconds,
        snr,
        heightOverSigma: kind === "spikes" ? heightOverSigma : undefined,
        drift: driftRange,
        gaps: gaps(),
        scale: 1 + 99 * rng.uniform(),
        offset: 1000 * rng.uniform(),
      }));
    }
  }
  const counts: [SeriesKind, number][] = [
    ["white-noise", perAperiodicKind],
    ["random-walk", perAperiodicKind],
    ["step", Math.ceil(perAperiodicKind / 3)],
    ["ramp", Math.ceil(perAperiodicKind / 3)],
    ["constant", 2],
    ["all-gaps", 2],
  ];
  for (const [kind, count] of counts) {
    for (let i = 0; i < count; i++) {
      const u = (i + rng.uniform()) / count;
      const periodSeconds = pLo * (pHi / pLo) ** u; // only to draw a comparable length
      out.push(syntheticSeries({
        kind,
        length: lengthFor(periodSeconds),
        seed: rng.int(0, 2 ** 31),
        snr: kind === "step" ? snr : undefined,
        gaps: kind === "constant" || kind === "all-gaps" ? undefined : gaps(),
        scale: 1 + 99 * rng.uniform(),
        offset: 1000 * rng.uniform(),
      }));
    }
  }
  return out;
}
