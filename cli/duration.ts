/**
 * Durations on the command line, one syntax and one rule for every subcommand: a number of seconds
 * (`0.5`, `2`) or a number with a unit (`500ms`, `2s`, `5m`, `2h`, `7d`, `1w`), inside a range of
 * its flag (REQ-CLI-007).
 *
 * @module
 */

import { quote, UsageError } from "./errors.ts";

/** The range a duration flag accepts, both ends inclusive, written as durations. */
export interface DurationRange {
  /** The shortest duration accepted, e.g. `"100ms"`. */
  min: string;
  /** The longest duration accepted, e.g. `"24h"`. */
  max: string;
  /** Whether `0` is accepted besides the range (it turns what the flag sets off). */
  off?: boolean;
}

/**
 * The range of every sampling interval: `monitor --interval` and `--watch`, `collect --interval`
 * and `--pss-interval`. CPU time is counted in 10-ms ticks (USER_HZ), so below 100 ms a CPU figure
 * moves in steps of a tenth of a core or more; a day is the longest wait a timer can hold many
 * times over (`setTimeout` holds 2^31 − 1 ms, 24.8 days).
 */
export const INTERVAL_RANGE: DurationRange = { min: "100ms", max: "24h" };

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h|d|w)?$/;

/** What a duration looks like, for messages. */
export const DURATION_SYNTAX = "seconds, or with a unit: 500ms, 2s, 5m, 2h, 7d";

/**
 * Parses `90s`, `5m`, `2h`, `7d`, `1w`, `500ms` or a bare number of seconds (`1.5`, `.5`) into
 * whole milliseconds (rounded). Signs, exponents and other units are not durations.
 *
 * @example Parse durations
 * ```ts
 * import { parseDuration } from "./duration.ts";
 * parseDuration("500ms"); // 500
 * parseDuration("0.5"); // 500
 * parseDuration("2h"); // 7_200_000
 * ```
 *
 * @throws {TypeError} when `text` is not a duration.
 */
export function parseDuration(text: string): number {
  return Math.round(exactDuration(text));
}

/** {@linkcode parseDuration} before rounding: `"0.4ms"` is not 0. */
function exactDuration(text: string): number {
  const m = text.trim().match(DURATION);
  if (!m) throw new TypeError(`"${text}" is not a duration (${DURATION_SYNTAX})`);
  return Number(m[1]) * UNITS[(m[2] ?? "s") as keyof typeof UNITS];
}

/**
 * The range in words, for help texts and messages.
 *
 * @example Describe a range
 * ```ts
 * import { describeDurationRange } from "./duration.ts";
 * describeDurationRange({ min: "100ms", max: "24h", off: true }); // "0 (off) or 100ms to 24h"
 * ```
 */
export function describeDurationRange(range: DurationRange): string {
  return `${range.off ? "0 (off) or " : ""}${range.min} to ${range.max}`;
}

/**
 * Reads the value of a duration flag into milliseconds, or throws a {@linkcode UsageError} that
 * names the command, the flag, its range and the value: anything but a duration (a sign, an
 * exponent, NaN, an empty string) and anything outside `range` (0 too, unless `range.off`).
 *
 * @example Read `--interval`
 * ```ts
 * import { durationFlag, INTERVAL_RANGE } from "./duration.ts";
 * durationFlag("monitor", "--interval", "0.5", INTERVAL_RANGE); // 500
 * durationFlag("collect", "--interval", "2s", INTERVAL_RANGE); // 2000
 * // durationFlag("monitor", "--interval", "-1", INTERVAL_RANGE) throws a UsageError:
 * // monitor: --interval takes a duration from 100ms to 24h (seconds, or with a unit: 500ms, 2s, 5m, 2h, 7d), not "-1"
 * ```
 */
export function durationFlag(
  command: string,
  flag: string,
  value: unknown,
  range: DurationRange,
): number {
  let ms = NaN;
  if (typeof value === "string") {
    try {
      ms = exactDuration(value);
    } catch { /* not a duration: refused below */ }
  }
  // Checked before rounding: "99.6ms" is too short, and "0.0004" is not 0.
  const inRange = ms >= exactDuration(range.min) && ms <= exactDuration(range.max);
  if (!(inRange || (range.off && ms === 0))) {
    throw new UsageError(
      `${command}: ${flag} takes ${
        range.off ? "0 (off) or " : ""
      }a duration from ${range.min} to ${range.max} (${DURATION_SYNTAX}), not ${quote(value)}`,
    );
  }
  return Math.round(ms);
}
