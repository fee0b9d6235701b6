/**
 * The time range of a tool call: `from`/`to` (epoch milliseconds or ISO 8601) or `last` (the
 * final span of the recording, e.g. `"5m"`), checked against what the recording holds.
 *
 * @module
 */

import { parseDuration } from "../cli/duration.ts";
import { ArgumentError } from "./errors.ts";

/** The end of a range that names none: one interval (1 s) after the last sample. */
export const SAMPLE_MS = 1000;

/** A time as a tool takes it: epoch milliseconds, or an ISO 8601 date. */
export type TimeArg = number | string;

/** The range arguments every tool that reads series takes. */
export interface RangeArgs {
  from?: TimeArg;
  to?: TimeArg;
  last?: string;
}

/**
 * A time argument in epoch milliseconds.
 *
 * @throws {ArgumentError} when it is neither a finite number nor a date.
 */
export function parseTimeArg(name: string, value: TimeArg): number {
  const n = typeof value === "number"
    ? value
    : /^\s*-?\d+(\.\d+)?\s*$/.test(value)
    ? Number(value)
    : Date.parse(value);
  if (!Number.isFinite(n)) {
    throw new ArgumentError(
      `${name} must be epoch milliseconds or an ISO 8601 date (2026-12-05T10:00:00Z), not ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}

/** An epoch-ms time as ISO 8601 (UTC), how every result gives times. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The range `[fromMs, toMs)` a call asks for. Without `from`, `to` or `last`, the last
 * `defaultLast` of the recording (the whole of it when that is `null`); without `to`, up to
 * {@linkcode SAMPLE_MS} after the last sample.
 *
 * @throws {ArgumentError} for a bad time or duration, `last` with `from`/`to`, an empty range, or
 *   a range that does not overlap the recording.
 */
export function resolveRange(
  args: RangeArgs,
  whole: { startMs: number; endMs: number },
  defaultLast: number | null = null,
): { fromMs: number; toMs: number } {
  const span = `${iso(whole.startMs)} to ${iso(whole.endMs)}`;
  let fromMs: number;
  let toMs: number;
  if (args.last !== undefined) {
    if (args.from !== undefined || args.to !== undefined) {
      throw new ArgumentError(`give either last or from/to, not both`);
    }
    let ms: number;
    try {
      ms = parseDuration(args.last);
    } catch (error) {
      throw new ArgumentError(`last: ${(error as Error).message}`);
    }
    if (!(ms > 0)) throw new ArgumentError(`last must be longer than 0, not "${args.last}"`);
    toMs = whole.endMs + SAMPLE_MS;
    fromMs = toMs - ms;
  } else {
    toMs = args.to === undefined ? whole.endMs + SAMPLE_MS : parseTimeArg("to", args.to);
    fromMs = args.from === undefined
      ? (defaultLast === null || args.to !== undefined
        ? whole.startMs
        : Math.max(whole.startMs, toMs - defaultLast))
      : parseTimeArg("from", args.from);
  }
  if (!(toMs > fromMs)) {
    throw new ArgumentError(`to (${iso(toMs)}) must be after from (${iso(fromMs)})`);
  }
  if (toMs <= whole.startMs || fromMs > whole.endMs) {
    throw new ArgumentError(
      `the range ${iso(fromMs)} to ${iso(toMs)} lies outside the recording, which holds ${span}`,
    );
  }
  return { fromMs, toMs };
}
