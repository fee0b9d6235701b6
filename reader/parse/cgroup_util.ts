/**
 * Value formats shared by cgroup v1 and v2 interface files: a single integer, an integer or
 * `max`, and flat keyed files (`key value` per line). The pids controller's two files are the same
 * in both versions and live here too. See Documentation/admin-guide/cgroup-v2.rst, "Interface
 * Files" → "Conventions".
 *
 * Integers are parsed as JavaScript numbers: exact up to 2^53, above that rounded to the nearest
 * float64 (relative error below 1.2e-16), which only matters for counters no cgroup reaches. Every
 * value of these files is unsigned (at most 2^64 − 1) except v1 `cpu.cfs_quota_us`, read with
 * {@linkcode parseCgroupSignedInteger}: a sign or a larger value is a parse error, never data.
 *
 * @module
 */

import {
  digitsAtMost,
  excerpt,
  fields,
  nonBlankLines,
  parseError,
  parseInteger,
  parseSignedInteger,
  U64_MAX,
} from "./parse_util.ts";

/** Digits the fast paths add up themselves: up to 15 the sum is exact. */
const EXACT_DIGITS = 15;

/**
 * Most digits the fast paths take: 2^64 − 1 has 20. Above 15 they check the bound on the digits
 * and let `Number()` round (v1's "unlimited" 9223372036854771712 has 19).
 */
const MAX_DIGITS = 20;

/**
 * Parse a file that holds one unsigned integer, such as `memory.current`, `cpu.weight`,
 * `memory.usage_in_bytes` or `cpuacct.usage`.
 *
 * @param text The file's text.
 * @param file File name for the error message, e.g. `memory.current`.
 * @throws {SyntaxError} when the file is not exactly one integer, or the integer is negative or
 *   above 2^64 − 1.
 */
export function parseCgroupInteger(text: string, file: string): number {
  // The kernel's exact form, `<digits>\n`, without splitting: these files are read several times
  // per container every second. Anything else (a sign, blanks, a value above 2^64 − 1) takes the
  // general path, which words the error.
  const n = text.length;
  let i = 0;
  let value = 0;
  for (let c = text.charCodeAt(0) - 48; c >= 0 && c <= 9; c = text.charCodeAt(++i) - 48) {
    value = value * 10 + c;
  }
  if (i > 0 && (i === n || (i === n - 1 && text.charCodeAt(i) === 10))) {
    if (i <= EXACT_DIGITS) return value;
    if (i <= MAX_DIGITS && digitsAtMost(text, 0, i, U64_MAX.digits)) {
      return Number(text.slice(0, i));
    }
  }
  return parseInteger(oneLine(text, file), file, "value");
}

/**
 * Parse a file that holds one signed integer: only v1 `cpu.cfs_quota_us` among the files this
 * reader reads (the kernel prints `-1` for no quota). Bounded to the signed 64-bit range.
 *
 * @param text The file's text.
 * @param file File name for the error message.
 * @throws {SyntaxError} when the file is not exactly one integer in −2^63 … 2^63 − 1.
 */
export function parseCgroupSignedInteger(text: string, file: string): number {
  return parseSignedInteger(oneLine(text, file), file, "value");
}

/** The one non-blank line of a one-value file, trimmed. */
function oneLine(text: string, file: string): string {
  const lines = nonBlankLines(text);
  if (lines.length !== 1) {
    throw parseError(file, `expected one line with an integer, got ${excerpt(text)}`);
  }
  return lines[0].trim();
}

/**
 * Parse a file that holds an integer or the word `max` (`memory.max`, `memory.high`,
 * `memory.swap.max`, `pids.max`, …).
 *
 * @returns The integer, or `null` for `max` (no limit).
 * @throws {SyntaxError} when the file is neither.
 */
export function parseCgroupMaxOrInteger(text: string, file: string): number | null {
  if (text.trim() === "max") return null;
  return parseCgroupInteger(text, file);
}

/**
 * Parse a flat keyed file (`key value` per line: `memory.stat`, `cpu.stat`, `memory.events`,
 * `pids.events`, …) into an object of key → unsigned integer, in file order; the first occurrence
 * of a key wins.
 *
 * @param only When given, only these keys are kept; every line is still checked (a garbage line
 *   or value of another key is an error all the same), but no string is made for the others.
 * @throws {SyntaxError} when a line is not `<key> <integer>`, or a value is negative or above
 *   2^64 − 1.
 */
export function parseFlatKeyed(
  text: string,
  file: string,
  only?: readonly string[],
): Record<string, number> {
  // One pass over the text, no per-line arrays (memory.stat: ~40 lines every second per
  // container). Lines that are not plain `<key> <digits>` within 2^64 − 1 take the general path
  // below, which words the error (or reads odd blanks).
  const out: Record<string, number> = {};
  const n = text.length;
  let start = 0;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = n;
    const space = text.indexOf(" ", start);
    const digits = end - space - 1;
    let fast = space > start && digits > 0 && digits <= MAX_DIGITS;
    let value = 0;
    for (let i = space + 1; i < end && fast; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) fast = false;
      value = value * 10 + c;
    }
    for (let i = start; i < space && fast; i++) {
      const c = text.charCodeAt(i);
      if (c <= 32 || c >= 127) fast = false;
    }
    if (fast && digits > EXACT_DIGITS) fast = digitsAtMost(text, space + 1, end, U64_MAX.digits);
    if (fast) {
      // A well-formed line: keep it unless it is of a key not asked for.
      if (only === undefined || isOneOf(text, start, space, only)) {
        const key = text.slice(start, space);
        if (!Object.hasOwn(out, key)) {
          out[key] = digits > EXACT_DIGITS ? Number(text.slice(space + 1, end)) : value;
        }
      }
    } else {
      const line = text.slice(start, end);
      if (line.trim() !== "") {
        const parts = fields(line);
        if (parts.length !== 2) throw parseError(file, `line ${excerpt(line)} is not "key value"`);
        // Parsed whether wanted or not: no line goes unchecked.
        const parsed = parseInteger(parts[1], file, parts[0]);
        const wanted = only === undefined || only.includes(parts[0]);
        if (wanted && !Object.hasOwn(out, parts[0])) out[parts[0]] = parsed;
      }
    }
    start = end + 1;
  }
  return out;
}

/** Whether `text[start, end)` is one of `keys`, without making a string of it. */
function isOneOf(text: string, start: number, end: number, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (key.length === end - start && text.startsWith(key, start)) return true;
  }
  return false;
}

/**
 * A key of a flat keyed file that the kernel prints on every version this reader supports.
 *
 * @throws {SyntaxError} when the key is missing.
 */
export function requiredKey(values: Record<string, number>, key: string, file: string): number {
  const value = values[key];
  if (value === undefined) throw parseError(file, `missing "${key}"`);
  return value;
}

/** A key of a flat keyed file that older kernels lack: its value, or `null` when absent. */
export function optionalKey(values: Record<string, number>, key: string): number | null {
  return values[key] ?? null;
}

/**
 * Parse `pids.current` (v1 and v2): the number of tasks (threads) in the cgroup and its
 * descendants.
 *
 * @throws {SyntaxError} when the file is not one integer.
 */
export function parsePidsCurrent(text: string): number {
  return parseCgroupInteger(text, "pids.current");
}

/**
 * Parse `pids.max` (v1 and v2).
 *
 * @returns The task limit, or `null` for `max` (no limit).
 * @throws {SyntaxError} when the file is neither `max` nor an integer.
 */
export function parsePidsMax(text: string): number | null {
  return parseCgroupMaxOrInteger(text, "pids.max");
}
