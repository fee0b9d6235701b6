/**
 * An {@linkcode Fs} for 1 Hz sweeps: every file read is kept open and re-read with `seekSync(0)` +
 * `readSync` into one shared buffer, which costs about a third of an open-read-close. Handles not
 * used during a sweep are closed by {@linkcode HandleFs.endSweep}, so processes and cgroups that
 * went away do not pin file descriptors, and the cache never holds more than `maxHandles`.
 *
 * A handle of a process that exited (ESRCH) or a cgroup that was removed (ENODEV) fails on read;
 * the file is then opened once more (the PID or path may have been reused) and, failing that,
 * reported as missing. {@linkcode Fs.statSize} keeps its paths open the same way and asks their
 * size with `fstat(2)`: the fd count of `/proc/<pid>/fd` without walking the path each time.
 *
 * Reaches: /proc, /sys and cgroup files (handles kept open and re-read).
 *
 * @module
 */

import type { DirEntry, Fs, ReadFailure } from "./fs.ts";
import { defaultFileIo, type FileIo } from "./file_io.ts";

/** Options of {@linkcode createHandleFs}. */
export interface HandleFsOptions {
  /** Most handles kept open at once; past it files are read with open-read-close. */
  maxHandles?: number;
  /** Initial size of the shared read buffer in bytes; it grows for larger files. */
  bufferBytes?: number;
  /**
   * {@linkcode HandleFs.endSweep} closes a handle once it went unread for this many sweeps; 1
   * (default) closes every handle not read in the sweep just ended. More keeps the handles of
   * files read every few sweeps (a cache that re-checks them) open in between.
   */
  idleSweeps?: number;
  /** How files are opened and read; default: libc `pread(2)` when FFI works, else Deno's ops. */
  io?: FileIo;
}

/** A {@linkcode Fs} with a handle cache and sweep-based eviction. */
export interface HandleFs extends Fs {
  /**
   * Ends a sweep: closes the handles not read in the last `idleSweeps` sweeps (by default, those
   * not read since the previous call).
   */
  endSweep(): void;
  /** Closes every handle. */
  close(): void;
  /** Handles open now. */
  readonly openHandles: number;
  /** Which file reading implementation is in use. */
  readonly io: FileIo["kind"];
}

interface Entry {
  file: unknown;
  used: number;
}

const decoder = new TextDecoder();

/**
 * Maps a Deno error, or one of ./file_io.ts (whose `code` is the errno name), to the reason
 * reported through {@linkcode Fs.lastFailure}.
 */
export function failureOf(error: unknown): ReadFailure {
  if (error instanceof Deno.errors.NotFound) return "missing";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  if (error instanceof Deno.errors.NotADirectory) return "not a directory";
  if (error instanceof Deno.errors.FilesystemLoop) return "too many levels of symbolic links";
  const code = (error as { code?: string })?.code;
  // ESRCH: the process exited; ENODEV: the cgroup was removed; EINVAL on a dead task's files.
  if (code === "ESRCH" || code === "ENODEV" || code === "ENOENT") return "missing";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "ENOTDIR") return "not a directory";
  if (code === "ELOOP") return "too many levels of symbolic links";
  if (code === "EIO") return "I/O error";
  return "error";
}

/** Creates an {@linkcode HandleFs}. */
export function createHandleFs(
  { maxHandles = 4096, bufferBytes = 64 * 1024, idleSweeps = 1, io = defaultFileIo() }:
    HandleFsOptions = {},
): HandleFs {
  const handles = new Map<string, Entry>();
  let buffer = new Uint8Array(bufferBytes);
  let sweep = 1;

  /** Reads a whole file from offset 0 into the shared buffer; returns the byte count. */
  function readAll(file: unknown): number {
    let length = 0;
    while (true) {
      if (length === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const n = io.readAt(file, length === 0 ? buffer : buffer.subarray(length), length);
      if (n === 0) break;
      length += n;
      // Kernel seq_file and kernfs reads return short only at end of file: skip the extra
      // read(2) that would return 0.
      if (length < buffer.length) break;
    }
    return length;
  }

  // One view per length read so far, so that decoding does not make a view per read.
  let views: Uint8Array[] = [];
  let viewsOf = buffer;

  function readString(file: unknown): string {
    const length = readAll(file); // may replace `buffer`: read it after
    if (viewsOf !== buffer) {
      views = [];
      viewsOf = buffer;
    }
    const view = length < 4096
      ? (views[length] ??= buffer.subarray(0, length))
      : buffer.subarray(0, length);
    return decoder.decode(view);
  }

  function openAndRead(path: string, keep: boolean): string {
    const file = io.open(path);
    let kept = false;
    try {
      const text = readString(file);
      if (keep) {
        handles.set(path, { file, used: sweep });
        kept = true;
      }
      return text;
    } finally {
      if (!kept) io.close(file);
    }
  }

  function statByPath(path: string): number | null {
    try {
      return io.statSize(path);
    } catch (error) {
      fs.lastFailure = failureOf(error);
      return null;
    }
  }

  const fs: HandleFs = {
    lastFailure: null,
    get openHandles() {
      return handles.size;
    },
    io: io.kind,
    readText(path: string): string | null {
      const entry = handles.get(path);
      if (entry) {
        try {
          entry.used = sweep;
          return readString(entry.file);
        } catch {
          // Stale handle: process exited or cgroup removed. Reopen below once.
          handles.delete(path);
          try {
            io.close(entry.file);
          } catch { /* already closed */ }
        }
      }
      try {
        return openAndRead(path, handles.size < maxHandles);
      } catch (error) {
        fs.lastFailure = failureOf(error);
        return null;
      }
    },
    listDir(path: string): DirEntry[] {
      try {
        return io.readDir(path);
      } catch (error) {
        fs.lastFailure = failureOf(error);
        return [];
      }
    },
    readLink(path: string): string | null {
      try {
        return Deno.readLinkSync(path);
      } catch (error) {
        fs.lastFailure = failureOf(error);
        return null;
      }
    },
    statSize(path: string): number | null {
      const { openForSize, sizeOf } = io;
      if (openForSize === undefined || sizeOf === undefined) return statByPath(path);
      // A handle kept open and fstat()ed: no path walk (/proc/<pid>/fd: 1.7 against 4.0 µs at
      // 1 Hz). A handle of a process that exited fails (ENOENT): the path is opened once more.
      const entry = handles.get(path);
      if (entry) {
        try {
          entry.used = sweep;
          return sizeOf(entry.file);
        } catch {
          handles.delete(path);
          try {
            io.close(entry.file);
          } catch { /* already closed */ }
        }
      }
      if (handles.size >= maxHandles) return statByPath(path);
      let file: unknown;
      try {
        file = openForSize(path);
      } catch (error) {
        fs.lastFailure = failureOf(error);
        return null;
      }
      try {
        const size = sizeOf(file);
        handles.set(path, { file, used: sweep });
        return size;
      } catch (error) {
        io.close(file);
        fs.lastFailure = failureOf(error);
        return null;
      }
    },
    endSweep() {
      // forEach, not for-of: no [key, value] array per handle (thousands every second).
      handles.forEach((entry, path) => {
        if (sweep - entry.used >= idleSweeps) {
          handles.delete(path);
          try {
            io.close(entry.file);
          } catch { /* already closed */ }
        }
      });
      sweep++;
    },
    close() {
      for (const entry of handles.values()) {
        try {
          io.close(entry.file);
        } catch { /* already closed */ }
      }
      handles.clear();
    },
  };
  return fs;
}
