/**
 * The strongest spectral line of a series within a band of periods: for periods of a few steps,
 * where an autocorrelation at whole lags cannot tell 2.2 from 2 and 11 (a period of 2.21 steps
 * repeats at whole lags only near 11, 22, … 663), a periodogram can.
 *
 * @module
 */

import { nextPowerOfTwo, rfftInto } from "./fft.ts";
import { borrow } from "./scratch.ts";

/** A spectral line. */
export interface SpectralLine {
  /** Its period, in steps (fractional). */
  periodSteps: number;
  /** The share of the series' energy in the line (its peak bin and two either side). */
  fraction: number;
}

/**
 * The strongest line of the periodogram of `values` (gaps, non-finite values, count as 0: pass a
 * series with mean ≈ 0, e.g. detrended) among periods in [`minPeriod`, `maxPeriod`] steps. The
 * series is zero-padded to a power of two and the peak is located between bins by a parabola
 * through the log powers. `null` when
 * the series has no energy or the band holds no bin.
 *
 * @example
 * ```ts
 * import { strongestLine } from "./spectrum.ts";
 * import assert from "node:assert/strict";
 * const x = new Float64Array(3000).map((_, i) => Math.sin((2 * Math.PI * i) / 2.21));
 * const line = strongestLine(x, 2, 12)!;
 * assert.ok(Math.abs(line.periodSteps - 2.21) < 0.001 && line.fraction > 0.9);
 * ```
 */
export function strongestLine(
  values: Float64Array,
  minPeriod: number,
  maxPeriod: number,
): SpectralLine | null {
  const n = values.length;
  if (n < 4) return null;
  const size = nextPowerOfTwo(n);
  const padded = borrow("spectrum.padded", size);
  for (let i = 0; i < n; i++) padded[i] = Number.isFinite(values[i]) ? values[i] : 0;
  padded.fill(0, n);
  const h = size >> 1;
  const { re, im } = rfftInto(padded, borrow("spectrum.re", h + 1), borrow("spectrum.im", h + 1));
  const power = borrow("spectrum.power", re.length);
  power[0] = 0;
  let total = 0;
  for (let k = 1; k < re.length; k++) {
    power[k] = re[k] * re[k] + im[k] * im[k];
    total += power[k];
  }
  if (!(total > 0)) return null;
  const lo = Math.max(1, Math.ceil(size / maxPeriod));
  const hi = Math.min(re.length - 1, Math.floor(size / minPeriod));
  let best = -1;
  for (let k = lo; k <= hi; k++) if (best < 0 || power[k] > power[best]) best = k;
  if (best < 0) return null;
  let offset = 0;
  if (best > 1 && best < re.length - 1) {
    const a = Math.log(power[best - 1] + 1e-300);
    const b = Math.log(power[best] + 1e-300);
    const c = Math.log(power[best + 1] + 1e-300);
    const curvature = a - 2 * b + c;
    if (curvature < 0) offset = Math.max(-0.5, Math.min(0.5, (a - c) / (2 * curvature)));
  }
  let line = 0;
  for (let k = Math.max(1, best - 2); k <= Math.min(re.length - 1, best + 2); k++) line += power[k];
  // the one-sided sum counts every bin once; a line between bins spreads over 2–3 of them
  return { periodSteps: size / (best + offset), fraction: line / total };
}
