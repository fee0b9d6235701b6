/**
 * Parser for /proc/<pid>/io, see proc_pid_io(5). Reading another user's io needs ptrace access.
 *
 * @module
 */

import { excerpt, parseError, parseInteger } from "./parse_util.ts";

const FILE = "/proc/<pid>/io";

/** I/O counters of a process since it started (cumulative). */
export interface PidIo {
  /** Bytes passed to read()-like syscalls (includes tty and page-cache hits), bytes. */
  rchar: number;
  /** Bytes passed to write()-like syscalls, bytes. */
  wchar: number;
  /** Number of read()-like syscalls. */
  syscr: number;
  /** Number of write()-like syscalls. */
  syscw: number;
  /** Bytes this process caused to be fetched from the storage layer. */
  readBytes: number;
  /** Bytes this process caused to be sent to the storage layer (dirtied page cache). */
  writeBytes: number;
  /** Bytes whose write-out was cancelled (e.g. truncating dirty page cache). */
  cancelledWriteBytes: number;
}

/**
 * Parse /proc/<pid>/io.
 *
 * @param text The file's text.
 * @returns The seven counters.
 * @throws {SyntaxError} on garbage or when one of the seven lines is missing.
 */
export function parsePidIo(text: string): PidIo {
  // One pass, no Map and no per-line arrays: this runs for every containerised process every
  // second. Lines that are not `<key>: <digits>` take the general path.
  const out: PidIo = {
    rchar: -1,
    wchar: -1,
    syscr: -1,
    syscw: -1,
    readBytes: -1,
    writeBytes: -1,
    cancelledWriteBytes: -1,
  };
  const n = text.length;
  let start = 0;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = n;
    const colon = text.indexOf(":", start);
    if (colon > start && colon < end) {
      let i = colon + 1;
      while (i < end && text.charCodeAt(i) === 32) i++;
      let value = 0;
      let digits = 0;
      for (; i < end; i++) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        value = value * 10 + d;
        digits++;
      }
      const key = text.slice(start, colon);
      if (i !== end || digits === 0 || digits > 15) {
        value = parseInteger(text.slice(colon + 1, end).trim(), FILE, key);
      }
      const field = FIELDS[key];
      if (field !== undefined && out[field] === -1) out[field] = value;
    } else if (text.slice(start, end).trim() !== "") {
      throw parseError(FILE, `line ${excerpt(text.slice(start, end))} is not "key: value"`);
    }
    start = end + 1;
  }
  if (
    out.rchar === -1 || out.wchar === -1 || out.syscr === -1 || out.syscw === -1 ||
    out.readBytes === -1 || out.writeBytes === -1 || out.cancelledWriteBytes === -1
  ) {
    const missing = Object.keys(FIELDS).find((key) => out[FIELDS[key]] === -1);
    throw parseError(FILE, `no "${missing}:" line`);
  }
  return out;
}

const FIELDS: Record<string, keyof PidIo> = {
  rchar: "rchar",
  wchar: "wchar",
  syscr: "syscr",
  syscw: "syscw",
  read_bytes: "readBytes",
  write_bytes: "writeBytes",
  cancelled_write_bytes: "cancelledWriteBytes",
};
