/**
 * Parser for pressure stall information: /proc/pressure/{cpu,memory,io,irq} and the cgroup v2
 * files cpu.pressure, memory.pressure, io.pressure, irq.pressure (same format), see
 * Documentation/accounting/psi.rst.
 *
 * @module
 */

import {
  excerpt,
  fields,
  nonBlankLines,
  parseDecimal,
  parseError,
  parseInteger,
} from "./parse_util.ts";

/** What errors call the file when the caller does not name it. */
const FILE = "pressure";

/** The largest average the kernel prints: a percentage of wall time. */
const MAX_PERCENT = 100;

/** One line of a pressure file: share of wall time that tasks were stalled. */
export interface PressureLine {
  /** Percentage of time stalled, averaged over the last 10 seconds (0–100). */
  avg10: number;
  /** Percentage of time stalled, averaged over the last 60 seconds (0–100). */
  avg60: number;
  /** Percentage of time stalled, averaged over the last 300 seconds (0–100). */
  avg300: number;
  /** Total stall time since boot (or cgroup creation), microseconds. */
  totalUs: number;
}

/** A pressure file. */
export interface Pressure {
  /** Time at least one task was stalled. */
  some: PressureLine;
  /**
   * Time all non-idle tasks were stalled at once; `null` when the file has no `full` line
   * (/proc/pressure/cpu before Linux 5.13).
   */
  full: PressureLine | null;
}

/**
 * Parse a pressure file (`some avg10=0.31 avg60=1.10 avg300=0.66 total=3029455`, then an
 * optional `full …` line). Averages are percentages as the kernel prints them (`%lu.%02lu`,
 * 0.00 … 100.00), `total` an unsigned 64-bit count of microseconds.
 *
 * @param text The file's text.
 * @param file The file's name for error messages, e.g. `/proc/pressure/cpu` (default
 *   `pressure`).
 * @returns The `some` line and the `full` line or `null`.
 * @throws {SyntaxError} when the `some` line is missing, a line is malformed, an average is not
 *   in 0.00 … 100.00 or the total is negative or above 2^64 − 1.
 */
export function parsePressure(text: string, file: string = FILE): Pressure {
  return parseKernelPressure(text) ?? parsePressureGeneral(text, file);
}

/** Per-key offsets of the kernel's exact line format (see `psi_show()`). */
const KEYS = ["avg10=", "avg60=", "avg300=", "total="];

/**
 * The kernel's exact format (`some avg10=N.NN avg60=N.NN avg300=N.NN total=N`, optionally a
 * `full` line of the same shape), read without splitting: this runs three times per container
 * every second. Anything else returns `null` for the general parser to read or reject.
 */
function parseKernelPressure(text: string): Pressure | null {
  let some: PressureLine | null = null;
  let full: PressureLine | null = null;
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (text.charCodeAt(i) === 10) {
      i++;
      continue;
    }
    let kind: "some" | "full";
    if (text.startsWith("some ", i)) kind = "some";
    else if (text.startsWith("full ", i)) kind = "full";
    else return null;
    i += 5;
    const values = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) {
      if (!text.startsWith(KEYS[k], i)) return null;
      i += KEYS[k].length;
      let whole = 0;
      let digits = 0;
      for (let c = text.charCodeAt(i) - 48; c >= 0 && c <= 9; c = text.charCodeAt(++i) - 48) {
        whole = whole * 10 + c;
        digits++;
      }
      if (digits === 0 || digits > 15) return null;
      if (k < 3) {
        // avgN: exactly two decimals, at most 100.00 (the general parser words the error).
        if (text.charCodeAt(i) !== 46) return null;
        const d1 = text.charCodeAt(i + 1) - 48;
        const d2 = text.charCodeAt(i + 2) - 48;
        if (!(d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return null;
        const hundredths = whole * 100 + d1 * 10 + d2;
        if (hundredths > MAX_PERCENT * 100) return null;
        values[k] = hundredths / 100;
        i += 3;
      } else values[k] = whole;
      const sep = text.charCodeAt(i);
      if (k < 3 ? sep !== 32 : !(sep === 10 || i === n)) return null;
      i++;
    }
    const line = { avg10: values[0], avg60: values[1], avg300: values[2], totalUs: values[3] };
    if (kind === "some") some = line;
    else full = line;
  }
  return some === null ? null : { some, full };
}

function parsePressureGeneral(text: string, file: string): Pressure {
  let some: PressureLine | null = null;
  let full: PressureLine | null = null;
  for (const line of nonBlankLines(text)) {
    const [kind, ...pairs] = fields(line);
    if (kind !== "some" && kind !== "full") {
      throw parseError(file, `line ${excerpt(line)} is neither "some" nor "full"`);
    }
    const values = new Map<string, string>();
    for (const pair of pairs) {
      const eq = pair.indexOf("=");
      if (eq < 0) throw parseError(file, `${excerpt(pair)} is not key=value`);
      values.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const get = (key: string) => {
      const value = values.get(key);
      if (value === undefined) throw parseError(file, `no ${key}= in ${excerpt(line)}`);
      return value;
    };
    const parsed: PressureLine = {
      avg10: parseDecimal(get("avg10"), file, "avg10", MAX_PERCENT),
      avg60: parseDecimal(get("avg60"), file, "avg60", MAX_PERCENT),
      avg300: parseDecimal(get("avg300"), file, "avg300", MAX_PERCENT),
      totalUs: parseInteger(get("total"), file, "total"),
    };
    if (kind === "some") some = parsed;
    else full = parsed;
  }
  if (some === null) throw parseError(file, `no "some" line in ${excerpt(text)}`);
  return { some, full };
}
