/**
 * Sizes on the command line: a number of bytes (`1024`) or a number with a binary unit (`500K`,
 * `2G`, `1.5GiB`), inside a range of its flag (REQ-CLI-008).
 *
 * @module
 */

import { quote, UsageError } from "./errors.ts";

/** The range a size flag accepts, both ends inclusive, written as sizes. */
export interface SizeRange {
  /** The smallest size accepted, e.g. `"64K"`. */
  min: string;
  /** The largest size accepted, e.g. `"1024T"`. */
  max: string;
}

/** What a size looks like, for messages. */
export const SIZE_SYNTAX = "bytes, or with a unit: 500K, 2G, 1.5GiB";

const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([KMGT]?)(i?B)?$/i;

/**
 * Parses `500M`, `2G`, `1.5GiB` or a bare number of bytes (`1024`) into whole bytes (units are
 * binary multiples: 1K = 1024). Signs, exponents and other units are not sizes.
 *
 * @example Parse sizes
 * ```ts
 * import { parseSize } from "./size.ts";
 * parseSize("2G"); // 2_147_483_648
 * parseSize("1.5KiB"); // 1536
 * ```
 *
 * @throws {TypeError} when `text` is not a size.
 */
export function parseSize(text: string): number {
  return Math.round(exactSize(text));
}

/** {@linkcode parseSize} before rounding. */
function exactSize(text: string): number {
  const m = text.trim().match(SIZE);
  if (!m) throw new TypeError(`"${text}" is not a size (${SIZE_SYNTAX})`);
  return Number(m[1]) * 1024 ** ["", "K", "M", "G", "T"].indexOf(m[2].toUpperCase());
}

/**
 * Reads the value of a size flag into bytes, or throws a {@linkcode UsageError} that names the
 * command, the flag, its range and the value: anything but a size (a sign, an exponent, NaN, an
 * empty string) and anything outside `range`.
 *
 * @example Read `--max-disk`
 * ```ts
 * import { sizeFlag } from "./size.ts";
 * sizeFlag("collect", "--max-disk", "2G", { min: "64K", max: "1024T" }); // 2_147_483_648
 * // sizeFlag("collect", "--max-disk", "0", { min: "64K", max: "1024T" }) throws a UsageError:
 * // collect: --max-disk takes a size from 64K to 1024T (bytes, or with a unit: 500K, 2G, 1.5GiB), not "0"
 * ```
 */
export function sizeFlag(command: string, flag: string, value: unknown, range: SizeRange): number {
  let bytes = NaN;
  if (typeof value === "string") {
    try {
      bytes = exactSize(value);
    } catch { /* not a size: refused below */ }
  }
  if (!(bytes >= exactSize(range.min) && bytes <= exactSize(range.max))) {
    throw new UsageError(
      `${command}: ${flag} takes a size from ${range.min} to ${range.max} (${SIZE_SYNTAX}), not ${
        quote(value)
      }`,
    );
  }
  return Math.round(bytes);
}
