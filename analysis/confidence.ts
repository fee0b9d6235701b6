/**
 * The confidence the periodicity study reports.
 *
 * @module
 */

/**
 * Confidence in a period, 0 … 1: max(0, min(1, r))·(1 − 1/cycles), with r the autocorrelation at
 * the period and `cycles` the repetitions seen (valid samples / period in steps). Monotone: more
 * correlation or more repetitions never lower it. 0 with at most one cycle. At 3 cycles it is
 * two thirds of r, at 10 cycles 90 % of r, and it tends to r.
 *
 * @example
 * ```ts
 * import { periodConfidence } from "./confidence.ts";
 * import assert from "node:assert/strict";
 * assert.equal(periodConfidence(0.9, 10), 0.81);
 * assert.equal(periodConfidence(-0.2, 10), 0);
 * ```
 */
export function periodConfidence(r: number, cycles: number): number {
  if (!(r > 0) || !(cycles > 1)) return 0;
  return Math.min(1, r) * (1 - 1 / cycles);
}
