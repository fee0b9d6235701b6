/**
 * Cumulative counters (`kind: "total"` columns: OOM kills, …) studied as what happened per step:
 * first differences, a fall (the counter restarted, e.g. its container did) read as a reset.
 *
 * @module
 */

/**
 * The increments of a cumulative counter: `values[i] − values[i−1]`, or `values[i]` itself where
 * the counter fell (a reset counts from zero); NaN at the first sample and after a gap (what
 * happened across a gap is not one step's).
 *
 * @example
 * ```ts
 * import { counterIncrements } from "./counter.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...counterIncrements(new Float64Array([5, 7, 7, 2, 4]))], [NaN, 2, 0, 2, 2]);
 * ```
 */
export function counterIncrements(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1];
    const b = values[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    out[i] = b >= a ? b - a : b;
  }
  return out;
}
