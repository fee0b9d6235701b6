/**
 * Small statistics shared by the benchmarks.
 *
 * @module
 */

/** The median of `values` (the mean of the middle two for an even count), `null` when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
