/**
 * Parser for /proc/<pid>/limits, see proc_pid_limits(5).
 *
 * @module
 */

import { excerpt, nonBlankLines, parseError, parseInteger } from "./parse_util.ts";

const FILE = "/proc/<pid>/limits";

/** One resource limit. `null` means unlimited (RLIM_INFINITY). */
export interface Limit {
  /** Soft limit (the one enforced), or `null` for unlimited. */
  soft: number | null;
  /** Hard limit (ceiling for the soft limit), or `null` for unlimited. */
  hard: number | null;
  /** Unit as printed (`bytes`, `files`, `seconds`, `us`, …), or `null` when there is none. */
  unit: string | null;
}

/**
 * Parse /proc/<pid>/limits. Keys are the kernel's limit names, e.g. `"Max open files"`,
 * `"Max address space"`.
 *
 * @param text The file's text.
 * @returns Limit name → limit.
 * @throws {SyntaxError} on a row that is not `<name> <soft> <hard> [unit]`, or when there are no
 *   rows.
 */
export function parseLimits(text: string): Record<string, Limit> {
  const out: Record<string, Limit> = {};
  // The kernel prints limits unsigned (`%-20lu`), RLIM_INFINITY as `unlimited`.
  const value = (token: string, what: string) =>
    token === "unlimited" ? null : parseInteger(token, FILE, what);
  for (const line of nonBlankLines(text)) {
    if (/^Limit\s+Soft Limit\s+Hard Limit/.test(line)) continue;
    const match = /^(\S.*?)\s+(unlimited|\d+)\s+(unlimited|\d+)(?:\s+(\S+))?\s*$/.exec(line);
    if (match === null) throw parseError(FILE, `row ${excerpt(line)} is not "name soft hard unit"`);
    out[match[1]] = {
      soft: value(match[2], `${match[1]} soft limit`),
      hard: value(match[3], `${match[1]} hard limit`),
      unit: match[4] ?? null,
    };
  }
  if (Object.keys(out).length === 0) throw parseError(FILE, `no limits in ${excerpt(text)}`);
  return out;
}
