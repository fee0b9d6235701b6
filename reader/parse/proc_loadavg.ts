/**
 * Parser for /proc/loadavg, see proc_loadavg(5).
 *
 * @module
 */

import { excerpt, fields, parseDecimal, parseError, parseInteger } from "./parse_util.ts";

const FILE = "/proc/loadavg";

/** System load averages and scheduler entity counts. */
export interface Loadavg {
  /** Load average over 1 minute (runnable + uninterruptible tasks). */
  load1: number;
  /** Load average over 5 minutes. */
  load5: number;
  /** Load average over 15 minutes. */
  load15: number;
  /** Currently runnable scheduling entities (threads). */
  runnable: number;
  /** Scheduling entities that exist (threads). */
  total: number;
  /** PID most recently assigned (in the reader's PID namespace). */
  lastPid: number;
}

/**
 * Parse /proc/loadavg (`0.15 0.10 0.04 1/82 2477`). The kernel prints the loads as `%lu.%02lu`
 * and the counts unsigned.
 *
 * @param text The file's text.
 * @returns The parsed values.
 * @throws {SyntaxError} when the line does not have the five fields.
 */
export function parseLoadavg(text: string): Loadavg {
  const tokens = fields(text);
  const counts = /^(\d+)\/(\d+)$/.exec(tokens[3] ?? "");
  if (tokens.length !== 5 || counts === null) {
    throw parseError(FILE, `expected "l1 l5 l15 runnable/total lastpid", got ${excerpt(text)}`);
  }
  return {
    load1: parseDecimal(tokens[0], FILE, "1-minute load"),
    load5: parseDecimal(tokens[1], FILE, "5-minute load"),
    load15: parseDecimal(tokens[2], FILE, "15-minute load"),
    runnable: parseInteger(counts[1], FILE, "runnable count"),
    total: parseInteger(counts[2], FILE, "thread count"),
    lastPid: parseInteger(tokens[4], FILE, "last PID"),
  };
}
