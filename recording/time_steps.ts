/**
 * The round time spans people read at a glance, from 100 ms to a week: where a time axis puts its
 * ticks (the viewer) and how wide a series query's buckets are (from a second up). Pure and
 * dependency-free, so that the server and the UI bundle share it.
 *
 * @module
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Round spans in milliseconds, smallest first.
 *
 * @example
 * ```ts
 * import { ROUND_SPANS } from "./time_steps.ts";
 * console.assert(ROUND_SPANS.includes(15 * 60_000) && ROUND_SPANS.at(-1) === 7 * 86_400_000);
 * ```
 */
export const ROUND_SPANS: readonly number[] = [
  100,
  200,
  500,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];
