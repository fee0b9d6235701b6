/**
 * Parser for /proc/uptime, see proc_uptime(5).
 *
 * @module
 */

import { excerpt, fields, parseDecimal, parseError } from "./parse_util.ts";

const FILE = "/proc/uptime";

/** Time since boot. */
export interface Uptime {
  /** Seconds since boot (includes time suspended), 10 ms resolution. */
  uptimeSeconds: number;
  /** Seconds all CPUs together spent idle (can exceed uptime on multi-CPU machines). */
  idleSeconds: number;
}

/**
 * Parse /proc/uptime (`130.94 237.70`).
 *
 * @param text The file's text.
 * @returns Uptime and idle time in seconds.
 * @throws {SyntaxError} when the line is not two decimal numbers.
 */
export function parseUptime(text: string): Uptime {
  const tokens = fields(text);
  if (tokens.length !== 2) throw parseError(FILE, `expected two numbers, got ${excerpt(text)}`);
  return {
    uptimeSeconds: parseDecimal(tokens[0], FILE, "uptime"),
    idleSeconds: parseDecimal(tokens[1], FILE, "idle time"),
  };
}
