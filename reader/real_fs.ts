/**
 * The plain {@linkcode Fs}: every call goes straight to the file system (open-read-close, no
 * handle cache). Used by tests over fixture trees and by one-off reads; 1 Hz sweeps use the
 * handle-caching Fs of ./handle_fs.ts.
 *
 * Reaches: files, through Deno's file API.
 *
 * @module
 */

import type { DirEntry, Fs } from "./fs.ts";
import { failureOf } from "./handle_fs.ts";
import { denoDirEntries } from "./file_io.ts";

/** Options of {@linkcode createRealFs}. */
export interface RealFsOptions {
  /**
   * Directory prepended to every path, so that a fixture tree laid out like the real one
   * (`<prefix>/sys/fs/cgroup/…`) answers for `/sys/fs/cgroup/…`. Default `""` (the real tree).
   */
  prefix?: string;
}

/**
 * Create an {@linkcode Fs} over the real file system. Failed calls return `null` or `[]` and set
 * `lastFailure`: NotFound, ESRCH (process exited) and ENODEV (cgroup removed) → `"missing"`;
 * PermissionDenied → `"permission denied"`; EISDIR → `"is a directory"`, ENOTDIR → `"not a
 * directory"`, ELOOP → `"too many levels of symbolic links"`, EIO → `"I/O error"`; anything else
 * → `"error"`. Successful calls leave `lastFailure` as it was.
 */
export function createRealFs({ prefix = "" }: RealFsOptions = {}): Fs {
  const fs: Fs = {
    lastFailure: null,
    readText(path: string): string | null {
      try {
        return Deno.readTextFileSync(prefix + path);
      } catch (error) {
        fs.lastFailure = failureOf(error);
        return null;
      }
    },
    listDir(path: string): DirEntry[] {
      try {
        return denoDirEntries(prefix + path);
      } catch (error) {
        fs.lastFailure = failureOf(error);
        return [];
      }
    },
    readLink(path: string): string | null {
      try {
        return Deno.readLinkSync(prefix + path);
      } catch (error) {
        fs.lastFailure = failureOf(error);
        return null;
      }
    },
  };
  return fs;
}
