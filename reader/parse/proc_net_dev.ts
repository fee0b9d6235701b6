/**
 * Parser for /proc/net/dev and /proc/<pid>/net/dev (the same file seen from the process's
 * network namespace).
 *
 * @module
 */

import { excerpt, fields, nonBlankLines, parseError, parseInteger } from "./parse_util.ts";

const FILE = "/proc/net/dev";

/** Counters of one network interface since it was created (cumulative). */
export interface NetDevice {
  /** Interface name, e.g. `eth0`. */
  name: string;
  /** Bytes received. */
  rxBytes: number;
  /** Packets received. */
  rxPackets: number;
  /** Receive errors. */
  rxErrors: number;
  /** Received packets dropped. */
  rxDropped: number;
  /** Bytes transmitted. */
  txBytes: number;
  /** Packets transmitted. */
  txPackets: number;
  /** Transmit errors. */
  txErrors: number;
  /** Transmit packets dropped. */
  txDropped: number;
}

/**
 * Parse /proc/net/dev. The two header lines (they contain `|`) are skipped; each interface line
 * is `name: <8 receive counters> <8 transmit counters>`. The name is everything before the first
 * `:` (interface names cannot contain `:`), and a wide counter may touch the colon (`eth0:123`).
 *
 * @param text The file's text.
 * @returns One record per interface, in file order.
 * @throws {SyntaxError} when an interface line lacks `:` or its 16 integer counters.
 */
export function parseNetDev(text: string): NetDevice[] {
  const out: NetDevice[] = [];
  for (const line of nonBlankLines(text)) {
    if (line.includes("|")) continue;
    const colon = line.indexOf(":");
    const name = colon < 0 ? "" : line.slice(0, colon).trim();
    if (name === "") throw parseError(FILE, `line ${excerpt(line)} has no "name:"`);
    const tokens = fields(line.slice(colon + 1));
    if (tokens.length < 16) {
      throw parseError(FILE, `expected 16 counters for ${name}, got ${tokens.length}`);
    }
    const n = tokens.map((token) => parseInteger(token, FILE, `counter of ${name}`));
    out.push({
      name,
      rxBytes: n[0],
      rxPackets: n[1],
      rxErrors: n[2],
      rxDropped: n[3],
      txBytes: n[8],
      txPackets: n[9],
      txErrors: n[10],
      txDropped: n[11],
    });
  }
  return out;
}
