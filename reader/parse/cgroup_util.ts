/**
 * Value formats shared by cgroup v1 and v2 interface files: a single integer, an integer or
 * `max`, and flat keyed files (`key value` per line). The pids controller's two files are the same
 * in both versions and live here too. See Documentation/admin-guide/cgroup-v2.rst, "Interface
 * Files" → "Conventions".
 *
 * Integers are parsed as JavaScript numbers: exact up to 2^53, above that rounded to the nearest
 * float64 (relative error below 1.2e-16), which only matters for counters no cgroup reaches.
 *
 * @module
 */

import { excerpt, fields, nonBlankLines, parseError, parseInteger } from "./parse_util.ts";

/**
 * Parse a file that holds one integer, such as `memory.current`, `cpu.weight`,
 * `memory.usage_in_bytes` or `cpuacct.usage`.
 *
 * @param text The file's text.
 * @param file File name for the error message, e.g. `memory.current`.
 * @throws {SyntaxError} when the file is not exactly one integer.
 */
export function parseCgroupInteger(text: string, file: string): number {
  // The kernel's exact form, `<digits>\n` (or `-1\n`), without splitting: these files are read
  // several times per container every second. Anything else takes the general path.
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  let value = 0;
  let digits = 0;
  for (let c = text.charCodeAt(i) - 48; c >= 0 && c <= 9; c = text.charCodeAt(++i) - 48) {
    value = value * 10 + c;
    digits++;
  }
  if (digits > 0 && digits <= 15 && (i === n || (i === n - 1 && text.charCodeAt(i) === 10))) {
    return text.charCodeAt(0) === 45 ? -value : value;
  }
  const lines = nonBlankLines(text);
  if (lines.length !== 1) {
    throw parseError(file, `expected one line with an integer, got ${excerpt(text)}`);
  }
  return parseInteger(lines[0].trim(), file, "value");
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
 * `pids.events`, …) into an object of key → integer, in file order; the first occurrence of a key
 * wins.
 *
 * @param only When given, only these keys are kept (every line is still checked): no string is
 *   made for the others.
 * @throws {SyntaxError} when a line is not `<key> <integer>`.
 */
export function parseFlatKeyed(
  text: string,
  file: string,
  only?: readonly string[],
): Record<string, number> {
  // One pass over the text, no per-line arrays (memory.stat: ~40 lines every second per
  // container). Lines that are not plain `<key> <digits>` take the general path below.
  const out: Record<string, number> = {};
  const n = text.length;
  let start = 0;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = n;
    const space = text.indexOf(" ", start);
    let value = -1;
    if (space > start && space < end - 1) {
      value = 0;
      for (let i = space + 1; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c < 48 || c > 57) {
          value = -1;
          break;
        }
      }
      for (let i = start; i < space && value === 0; i++) {
        const c = text.charCodeAt(i);
        if (c <= 32 || c >= 127) value = -1;
      }
    }
    if (value === 0 && only !== undefined && !isOneOf(text, start, space, only)) {
      // A well-formed line of a key not asked for.
    } else if (value === 0) {
      const key = text.slice(start, space);
      if (!Object.hasOwn(out, key)) out[key] = Number(text.slice(space + 1, end));
    } else {
      const line = text.slice(start, end);
      if (line.trim() !== "") {
        const parts = fields(line);
        if (parts.length !== 2) throw parseError(file, `line ${excerpt(line)} is not "key value"`);
        const wanted = only === undefined || only.includes(parts[0]);
        if (wanted && !Object.hasOwn(out, parts[0])) {
          out[parts[0]] = parseInteger(parts[1], file, parts[0]);
        }
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
