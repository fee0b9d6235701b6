/**
 * A small radix-2 fast Fourier transform: in-place complex transforms and the real transforms
 * built on them (a real sequence of length N through one complex transform of length N/2).
 *
 * Conventions: the forward transform is `X[k] = Σ x[t]·e^(−2πi·k·t/N)`; the inverse divides by N,
 * so `irfft(rfft(x))` returns `x`. Lengths must be powers of two ({@linkcode nextPowerOfTwo}).
 *
 * @module
 */

import { borrow } from "./scratch.ts";

/** Twiddle tables (cos and −sin of 2πk/N for k < N/2), one per transform length used. */
const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddlesFor(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddles.get(n);
  if (t === undefined) {
    const half = n >> 1;
    const cos = new Float64Array(half);
    const sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    t = { cos, sin };
    if (twiddles.size > 16) twiddles.clear();
    twiddles.set(n, t);
  }
  return t;
}

/**
 * Whether `n` is a power of two (1, 2, 4, …).
 *
 * @example
 * ```ts
 * import { isPowerOfTwo } from "./fft.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isPowerOfTwo(1024) && !isPowerOfTwo(1000));
 * ```
 */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/**
 * The smallest power of two that is ≥ `n` (1 for `n` ≤ 1).
 *
 * @example
 * ```ts
 * import { nextPowerOfTwo } from "./fft.ts";
 * import assert from "node:assert/strict";
 * assert.equal(nextPowerOfTwo(1000), 1024);
 * assert.equal(nextPowerOfTwo(1024), 1024);
 * ```
 */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function checkLength(n: number, what: string): void {
  if (!isPowerOfTwo(n)) throw new RangeError(`${what}: length ${n} is not a power of two`);
}

/**
 * The forward complex FFT of (`re`, `im`), in place: `X[k] = Σ x[t]·e^(−2πi·k·t/N)`.
 *
 * @example
 * ```ts
 * import { fft } from "./fft.ts";
 * import assert from "node:assert/strict";
 * const re = new Float64Array([1, 0, 0, 0]);
 * const im = new Float64Array(4);
 * fft(re, im); // an impulse has a flat spectrum
 * assert.deepEqual([...re], [1, 1, 1, 1]);
 * ```
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  checkLength(n, "fft");
  if (im.length !== n) throw new RangeError(`fft: re has ${n} values, im ${im.length}`);
  if (n === 1) return;
  // bit-reversal permutation
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const { cos, sin } = twiddlesFor(n);
  for (let size = 2; size <= n; size *= 2) {
    const half = size >> 1;
    const stride = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, w = 0; k < half; k++, w += stride) {
        const a = start + k;
        const b = a + half;
        const wr = cos[w];
        const wi = sin[w];
        const br = re[b] * wr - im[b] * wi;
        const bi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - br;
        im[b] = im[a] - bi;
        re[a] += br;
        im[a] += bi;
      }
    }
  }
}

/**
 * The inverse complex FFT of (`re`, `im`), in place, divided by N: `ifft(fft(x))` is `x`.
 *
 * @example
 * ```ts
 * import { fft, ifft } from "./fft.ts";
 * import assert from "node:assert/strict";
 * const re = new Float64Array([1, 2, 3, 4]);
 * const im = new Float64Array(4);
 * fft(re, im);
 * ifft(re, im);
 * assert.deepEqual([...re].map(Math.round), [1, 2, 3, 4]);
 * ```
 */
export function ifft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  // conj(FFT(conj(X))) / N
  for (let i = 0; i < n; i++) im[i] = -im[i];
  fft(re, im);
  for (let i = 0; i < n; i++) {
    re[i] /= n;
    im[i] = -im[i] / n;
  }
}

/** A one-sided spectrum: bins 0 … N/2 of the transform of a real sequence of length N. */
export interface HalfSpectrum {
  /** Real parts, N/2 + 1 values. */
  re: Float64Array;
  /** Imaginary parts, N/2 + 1 values (0 at bins 0 and N/2). */
  im: Float64Array;
}

/**
 * The FFT of a real sequence whose length N is a power of two ≥ 2, as bins 0 … N/2 (the others
 * are their complex conjugates). Costs one complex FFT of length N/2.
 *
 * @example
 * ```ts
 * import { rfft } from "./fft.ts";
 * import assert from "node:assert/strict";
 * const { re, im } = rfft(new Float64Array([1, 1, 1, 1]));
 * assert.deepEqual([...re], [4, 0, 0]);
 * assert.deepEqual([...im], [0, 0, 0]);
 * ```
 */
export function rfft(x: Float64Array): HalfSpectrum {
  const h = x.length >> 1;
  return rfftInto(x, new Float64Array(h + 1), new Float64Array(h + 1));
}

/**
 * {@linkcode rfft} into given arrays of at least N/2 + 1 values (returned), so that repeated
 * transforms reuse memory.
 *
 * @example
 * ```ts
 * import { rfftInto } from "./fft.ts";
 * import assert from "node:assert/strict";
 * const re = new Float64Array(3);
 * const im = new Float64Array(3);
 * rfftInto(new Float64Array([1, 0, -1, 0]), re, im);
 * assert.deepEqual([...re], [0, 2, 0]);
 * ```
 */
export function rfftInto(x: Float64Array, re: Float64Array, im: Float64Array): HalfSpectrum {
  const n = x.length;
  checkLength(n, "rfft");
  if (n < 2) throw new RangeError("rfft: length must be at least 2");
  const h = n >> 1;
  if (re.length < h + 1 || im.length < h + 1) {
    throw new RangeError(`rfft: need ${h + 1} bins for length ${n}`);
  }
  // z[t] = x[2t] + i·x[2t+1]
  const zr = borrow("fft.zr", h);
  const zi = borrow("fft.zi", h);
  for (let t = 0; t < h; t++) {
    zr[t] = x[2 * t];
    zi[t] = x[2 * t + 1];
  }
  fft(zr, zi);
  const { cos, sin } = twiddlesFor(n);
  for (let k = 0; k <= h; k++) {
    const k1 = k === h ? 0 : k;
    const k2 = k === 0 ? 0 : h - k;
    // E = (Z[k] + conj Z[h−k]) / 2 (even samples), O = (Z[k] − conj Z[h−k]) / 2i (odd samples)
    const er = (zr[k1] + zr[k2]) / 2;
    const ei = (zi[k1] - zi[k2]) / 2;
    const or = (zi[k1] + zi[k2]) / 2;
    const oi = -(zr[k1] - zr[k2]) / 2;
    // X[k] = E + W^k · O with W = e^(−2πi/N); W^h = −1
    const wr = k === h ? -1 : cos[k];
    const wi = k === h ? 0 : sin[k];
    re[k] = er + (or * wr - oi * wi);
    im[k] = ei + (or * wi + oi * wr);
  }
  return { re, im };
}

/**
 * The real sequence of length `n` (a power of two ≥ 2) whose one-sided spectrum is (`re`, `im`),
 * bins 0 … n/2: the inverse of {@linkcode rfft}. Costs one complex FFT of length n/2.
 *
 * @example
 * ```ts
 * import { irfft, rfft } from "./fft.ts";
 * import assert from "node:assert/strict";
 * const x = new Float64Array([3, 1, 4, 1, 5, 9, 2, 6]);
 * const { re, im } = rfft(x);
 * assert.deepEqual([...irfft(re, im, 8)].map((v) => Math.round(v * 1e9) / 1e9), [...x]);
 * ```
 */
export function irfft(re: Float64Array, im: Float64Array, n: number): Float64Array {
  return irfftInto(re, im, new Float64Array(n));
}

/**
 * {@linkcode irfft} into a given array whose length n is the transform's (returned).
 *
 * @example
 * ```ts
 * import { irfftInto } from "./fft.ts";
 * import assert from "node:assert/strict";
 * const out = irfftInto(new Float64Array([4, 0, 0]), new Float64Array(3), new Float64Array(4));
 * assert.deepEqual([...out], [1, 1, 1, 1]);
 * ```
 */
export function irfftInto(re: Float64Array, im: Float64Array, x: Float64Array): Float64Array {
  const n = x.length;
  checkLength(n, "irfft");
  if (n < 2) throw new RangeError("irfft: length must be at least 2");
  const h = n >> 1;
  if (re.length < h + 1 || im.length < h + 1) {
    throw new RangeError(`irfft: need ${h + 1} bins for length ${n}`);
  }
  const { cos, sin } = twiddlesFor(n);
  const zr = borrow("fft.zr", h);
  const zi = borrow("fft.zi", h);
  for (let k = 0; k < h; k++) {
    // X[k] and conj X[h−k] give back E[k] and O[k]: E = (X[k] + conj X[h−k]) / 2,
    // O = (X[k] − conj X[h−k]) / 2 · W^(−k)
    const ar = re[k];
    const ai = im[k];
    const br = re[h - k];
    const bi = -im[h - k];
    const er = (ar + br) / 2;
    const ei = (ai + bi) / 2;
    const dr = (ar - br) / 2;
    const di = (ai - bi) / 2;
    const wr = cos[k];
    const wi = -sin[k]; // W^(−k)
    const or = dr * wr - di * wi;
    const oi = dr * wi + di * wr;
    // Z[k] = E[k] + i·O[k]
    zr[k] = er - oi;
    zi[k] = ei + or;
  }
  ifft(zr, zi);
  for (let t = 0; t < h; t++) {
    x[2 * t] = zr[t];
    x[2 * t + 1] = zi[t];
  }
  return x;
}
