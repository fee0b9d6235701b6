/**
 * Small helpers shared by the pure /proc parsers in this folder: the common error, strict number
 * parsing, line splitting and flat `Key: value` files (/proc/meminfo, /proc/<pid>/status,
 * /proc/<pid>/io, /proc/<pid>/smaps_rollup).
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

/**
 * Parse a base-10 integer token (optionally negative) strictly: the whole token must be digits.
 * Values above 2^53 lose precision (they are 64-bit counters the kernel never gets near).
 *
 * @param token The text to parse.
 * @param file File name for the error message.
 * @param what Name of the value for the error message.
 * @throws {SyntaxError} when the token is not an integer.
 */
export function parseInteger(token: string | undefined, file: string, what: string): number {
  if (token === undefined || !/^-?\d+$/.test(token)) {
    throw parseError(file, `${what} is not an integer: ${excerpt(String(token))}`);
  }
  return Number(token);
}

/**
 * Parse a decimal number token such as `0.15` or `130.94` strictly.
 *
 * @throws {SyntaxError} when the token is not a decimal number.
 */
export function parseDecimal(token: string | undefined, file: string, what: string): number {
  if (token === undefined || !/^-?\d+(\.\d+)?$/.test(token)) {
    throw parseError(file, `${what} is not a number: ${excerpt(String(token))}`);
  }
  return Number(token);
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
 * a bare count such as `"0"` (HugePages_Total) is returned unchanged.
 *
 * @throws {SyntaxError} when the value is not `<integer>` or `<integer> kB`.
 */
export function parseKbValue(value: string, file: string, key: string): number {
  const match = /^(\d+)(?:\s+kB)?$/.exec(value);
  if (match === null) throw parseError(file, `${key} is not "<n> kB": ${excerpt(value)}`);
  const n = Number(match[1]);
  return value.endsWith("kB") ? n * 1024 : n;
}
