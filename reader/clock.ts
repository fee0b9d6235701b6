/**
 * The clock of every sample: the wall clock as it read when the process started, carried on by
 * the monotonic clock (`performance.timeOrigin + performance.now()`). Intervals between samples
 * (rates) stay right when the wall clock is stepped, and anything that compares times with the
 * samples' (the collector's first-tier windows and its maintainer, REQ-COL-034) must read this
 * same clock.
 *
 * @module
 */

/** Milliseconds since the epoch on the samples' clock. */
export function sampleClockMs(): number {
  return performance.timeOrigin + performance.now();
}
