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

const FILE = "pressure";

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
 * optional `full …` line).
 *
 * @param text The file's text.
 * @returns The `some` line and the `full` line or `null`.
 * @throws {SyntaxError} when the `some` line is missing or a line is malformed.
 */
export function parsePressure(text: string): Pressure {
  return parseKernelPressure(text) ?? parsePressureGeneral(text);
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
        // avgN: exactly two decimals.
        if (text.charCodeAt(i) !== 46) return null;
        const d1 = text.charCodeAt(i + 1) - 48;
        const d2 = text.charCodeAt(i + 2) - 48;
        if (!(d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return null;
        values[k] = (whole * 100 + d1 * 10 + d2) / 100;
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

function parsePressureGeneral(text: string): Pressure {
  let some: PressureLine | null = null;
  let full: PressureLine | null = null;
  for (const line of nonBlankLines(text)) {
    const [kind, ...pairs] = fields(line);
    if (kind !== "some" && kind !== "full") {
      throw parseError(FILE, `line ${excerpt(line)} is neither "some" nor "full"`);
    }
    const values = new Map<string, string>();
    for (const pair of pairs) {
      const eq = pair.indexOf("=");
      if (eq < 0) throw parseError(FILE, `${excerpt(pair)} is not key=value`);
      values.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const get = (key: string) => {
      const value = values.get(key);
      if (value === undefined) throw parseError(FILE, `no ${key}= in ${excerpt(line)}`);
      return value;
    };
    const parsed: PressureLine = {
      avg10: parseDecimal(get("avg10"), FILE, "avg10"),
      avg60: parseDecimal(get("avg60"), FILE, "avg60"),
      avg300: parseDecimal(get("avg300"), FILE, "avg300"),
      totalUs: parseInteger(get("total"), FILE, "total"),
    };
    if (kind === "some") some = parsed;
    else full = parsed;
  }
  if (some === null) throw parseError(FILE, `no "some" line in ${excerpt(text)}`);
  return { some, full };
}
