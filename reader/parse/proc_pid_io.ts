/**
 * Parser for /proc/<pid>/io, see proc_pid_io(5). Reading another user's io needs ptrace access.
 *
 * @module
 */

import { parseError, parseInteger, parseKeyValueLines } from "./parse_util.ts";

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
  const map = parseKeyValueLines(text, FILE);
  const int = (key: string) => {
    const value = map.get(key);
    if (value === undefined) throw parseError(FILE, `no "${key}:" line`);
    return parseInteger(value, FILE, key);
  };
  return {
    rchar: int("rchar"),
    wchar: int("wchar"),
    syscr: int("syscr"),
    syscw: int("syscw"),
    readBytes: int("read_bytes"),
    writeBytes: int("write_bytes"),
    cancelledWriteBytes: int("cancelled_write_bytes"),
  };
}
