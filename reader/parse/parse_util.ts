/**
 * Small helpers shared by the pure /proc parsers in this folder: the common error, strict number
 * parsing, line splitting and flat `Key: value` files (/proc/meminfo, /proc/<pid>/status,
 * /proc/<pid>/io, /proc/<pid>/smaps_rollup).
 *
 * The number parsers refuse what the kernel cannot write: counters and sizes are unsigned and at
 * most 2^64 − 1 ({@linkcode parseInteger}, {@linkcode parseKbValue}), signed values are for the few
 * fields the kernel prints signed ({@linkcode parseSignedInteger}), and decimals have the kernel's
 * `%lu.%02lu` form ({@linkcode parseDecimal}). The cgroup parsers' fast paths
 * (./cgroup_util.ts) and those of ./proc_pid_stat.ts, ./proc_pid_io.ts and ./pressure.ts read
 * short digit runs themselves and hand everything else to these.
 *
 * @module
 */

/** Longest excerpt of offending input quoted in an error message. */
const EXCERPT_MAX = 80;

/**
 * Build the error every parser throws on input it cannot read:
 * `SyntaxError('Cannot parse "<file>": <why>')`.
 *
 * @param file The kernel file, e.g. `/proc/<pid>/stat`.
 * @param why What is wrong.
 */
export function parseError(file: string, why: string): SyntaxError {
  return new SyntaxError(`Cannot parse "${file}": ${why}`);
}

/**
 * Quote a piece of input for an error message, shortened to 80 characters and with control
 * characters made visible by `JSON.stringify`.
 */
export function excerpt(text: string): string {
  const short = text.length > EXCERPT_MAX ? `${text.slice(0, EXCERPT_MAX)}…` : text;
  return JSON.stringify(short);
}

/**
 * The non-blank lines of a file, in order. Trailing newlines and blank lines are dropped; lines
 * are otherwise returned as they are (not trimmed).
 */
export function nonBlankLines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** Split on runs of spaces and tabs, ignoring leading and trailing blanks. */
export function fields(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === "" ? [] : trimmed.split(/[ \t]+/);
}

/** The largest value a field can hold, for {@linkcode parseInteger}. */
export interface IntegerLimit {
  /** The value as decimal digits without leading zeros. */
  digits: string;
  /** How an error message names it, e.g. `2^64-1`. */
  name: string;
}

/** 2^64 − 1, the largest value of the kernel's unsigned 64-bit counters and sizes. */
export const U64_MAX: IntegerLimit = { digits: "18446744073709551615", name: "2^64-1" };

/** The largest count of kB whose byte count (× 1024) is at most 2^64 − 1. */
export const KB_MAX: IntegerLimit = { digits: "18014398509481983", name: "2^64-1 bytes" };

/** 2^63 − 1, the largest signed 64-bit value, as decimal digits. */
const I64_MAX_DIGITS = "9223372036854775807";

/** 2^63, the magnitude of the smallest signed 64-bit value (−2^63), as decimal digits. */
const I64_MIN_MAGNITUDE_DIGITS = "9223372036854775808";

/**
 * Whether the decimal digits `text[start, end)` (digits only, leading zeros allowed) stand for a
 * value of at most `limit` (digits without leading zeros). The digit strings are compared, not
 * their values: a JavaScript number cannot tell 2^64 − 1 from 2^64. Allocates nothing.
 *
 * @param text Text holding the digits.
 * @param start Offset of the first digit.
 * @param end Offset after the last digit.
 * @param limit The largest value allowed, as digits without leading zeros.
 */
export function digitsAtMost(text: string, start: number, end: number, limit: string): boolean {
  while (start < end - 1 && text.charCodeAt(start) === 48) start++;
  const length = end - start;
  if (length !== limit.length) return length < limit.length;
  for (let i = 0; i < length; i++) {
    const a = text.charCodeAt(start + i);
    const b = limit.charCodeAt(i);
    if (a !== b) return a < b;
  }
  return true;
}

/**
 * Parse an unsigned base-10 integer token strictly: a counter, size, ID or count, which the kernel
 * prints unsigned. The whole token must be digits, and the value at most `limit` (by default
 * 2^64 − 1, compared on the digits). Values above 2^53 lose precision (they are 64-bit counters
 * the kernel never gets near).
 *
 * @param token The text to parse.
 * @param file File name for the error message.
 * @param what Name of the value for the error message.
 * @param limit The largest value the kernel can write there (default {@linkcode U64_MAX}).
 * @throws {SyntaxError} when the token is not an unsigned integer, is negative, or is above
 *   `limit`.
 */
export function parseInteger(
  token: string | undefined,
  file: string,
  what: string,
  limit: IntegerLimit = U64_MAX,
): number {
  if (token === undefined || !/^\d+$/.test(token)) {
    if (token !== undefined && /^-\d+$/.test(token)) {
      throw parseError(
        file,
        `${what} is negative: ${excerpt(token)} (the kernel writes it unsigned)`,
      );
    }
    throw parseError(file, `${what} is not an integer: ${excerpt(String(token))}`);
  }
  if (!digitsAtMost(token, 0, token.length, limit.digits)) {
    throw parseError(file, `${what} is above ${limit.name}: ${excerpt(token)}`);
  }
  return Number(token);
}

/**
 * Parse a signed base-10 integer token strictly, for the few values the kernel prints signed
 * (v1 `cpu.cfs_quota_us`, where -1 means no quota; `priority`, `nice` and `tty_nr` of
 * /proc/<pid>/stat): an optional `-` and digits, within the signed 64-bit range.
 *
 * @param token The text to parse.
 * @param file File name for the error message.
 * @param what Name of the value for the error message.
 * @throws {SyntaxError} when the token is not an integer or is outside −2^63 … 2^63 − 1.
 */
export function parseSignedInteger(token: string | undefined, file: string, what: string): number {
  if (token === undefined || !/^-?\d+$/.test(token)) {
    throw parseError(file, `${what} is not an integer: ${excerpt(String(token))}`);
  }
  const negative = token.charCodeAt(0) === 45;
  const limit = negative ? I64_MIN_MAGNITUDE_DIGITS : I64_MAX_DIGITS;
  if (!digitsAtMost(token, negative ? 1 : 0, token.length, limit)) {
    throw parseError(file, `${what} is outside the signed 64-bit range: ${excerpt(token)}`);
  }
  // `+ 0` turns the -0 of "-0" into 0.
  return Number(token) + 0;
}

/**
 * Parse a decimal number as the kernel prints load averages, uptime and pressure averages
 * (`%lu.%02lu`): digits, a point and exactly two decimals, e.g. `0.15` or `130.94`. The integer
 * part is at most 2^64 − 1, and the value at most `max` when given (100 for PSI percentages).
 *
 * @param token The text to parse.
 * @param file File name for the error message.
 * @param what Name of the value for the error message.
 * @param max The largest value the kernel can write there (default: no bound but 2^64 − 1).
 * @throws {SyntaxError} when the token is not in that form, is negative, or is above `max`.
 */
export function parseDecimal(
  token: string | undefined,
  file: string,
  what: string,
  max?: number,
): number {
  if (token === undefined || !/^\d+\.\d\d$/.test(token)) {
    if (token !== undefined && /^-\d+(\.\d+)?$/.test(token)) {
      throw parseError(file, `${what} is negative: ${excerpt(token)}`);
    }
    throw parseError(
      file,
      `${what} is not a number with two decimals: ${excerpt(String(token))}`,
    );
  }
  if (!digitsAtMost(token, 0, token.length - 3, U64_MAX.digits)) {
    throw parseError(file, `${what} is above ${U64_MAX.name}: ${excerpt(token)}`);
  }
  const value = Number(token);
  if (max !== undefined && value > max) {
    throw parseError(file, `${what} is above ${max}: ${excerpt(token)}`);
  }
  return value;
}

/**
 * Parse a flat `Key: value` file into a map of key → trimmed value, in file order. The key is
 * everything before the first `:` (trimmed); the first occurrence of a key wins. Blank lines are
 * skipped.
 *
 * @param text The file's text.
 * @param file File name for error messages.
 * @throws {SyntaxError} when a non-blank line has no `:` or an empty key (e.g. a truncated read).
 */
export function parseKeyValueLines(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of nonBlankLines(text)) {
    const colon = line.indexOf(":");
    const key = colon < 0 ? "" : line.slice(0, colon).trim();
    if (key === "") throw parseError(file, `line ${excerpt(line)} is not "key: value"`);
    if (!out.has(key)) out.set(key, line.slice(colon + 1).trim());
  }
  return out;
}

/**
 * Parse a size value as printed in /proc/meminfo and friends: `"1736 kB"` → 1777664 bytes;
 * a bare count such as `"0"` (HugePages_Total) is returned unchanged. A kB count whose byte count
 * would pass 2^64 − 1, or a count above 2^64 − 1, is refused: the kernel cannot print it.
 *
 * @throws {SyntaxError} when the value is not `<integer>` or `<integer> kB`, or is too large.
 */
export function parseKbValue(value: string, file: string, key: string): number {
  const match = /^(\d+)(\s+kB)?$/.exec(value);
  if (match === null) {
    if (/^-\d+(\s+kB)?$/.test(value)) {
      throw parseError(
        file,
        `${key} is negative: ${excerpt(value)} (the kernel writes it unsigned)`,
      );
    }
    throw parseError(file, `${key} is not "<n> kB": ${excerpt(value)}`);
  }
  if (match[2] === undefined) return parseInteger(match[1], file, key);
  return parseInteger(match[1], file, `${key} (kB)`, KB_MAX) * 1024;
}
