/**
 * Parser for /proc/<pid>/statm, see proc_pid_statm(5).
 *
 * @module
 */

import { excerpt, fields, parseError, parseInteger } from "./parse_util.ts";

const FILE = "/proc/<pid>/statm";

/** Memory sizes from /proc/<pid>/statm, all in pages (multiply by the page size for bytes). */
export interface Statm {
  /** Total program size (same as VmSize in status), in pages. */
  size: number;
  /** Resident set size (RssAnon + RssFile + RssShmem), in pages. */
  resident: number;
  /** Resident shared pages, i.e. backed by a file (RssFile + RssShmem), in pages. */
  shared: number;
  /** Text (code), in pages. */
  text: number;
  /** Data + stack, in pages. */
  data: number;
}

/**
 * Parse /proc/<pid>/statm (`size resident shared text lib data dt`). Kernel threads print zeros.
 *
 * @param text The file's text.
 * @returns The sizes in pages.
 * @throws {SyntaxError} when there are not 7 integers.
 */
export function parseStatm(text: string): Statm {
  const tokens = fields(text);
  if (tokens.length < 7) throw parseError(FILE, `expected 7 fields in ${excerpt(text)}`);
  const [size, resident, shared, code, , data] = tokens.map((token, i) =>
    parseInteger(token, FILE, `field ${i + 1}`)
  );
  return { size, resident, shared, text: code, data };
}
