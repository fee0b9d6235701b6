/**
 * The thin I/O layer under every reader: synchronous reads of small kernel files through handles
 * that stay open and are re-read (`seekSync(0)` + `readSync` costs ~3 µs against 7–35 µs for an
 * open-read-close), directory listings, and symlink targets. Everything above this file is pure
 * parsing; tests swap in {@linkcode FixtureFs} or a real tree under a temporary root.
 *
 * Reaches: /proc, /sys and cgroup files (the `Fs` every reader goes through).
 *
 * @module
 */

/** Where the kernel's trees are. In a container the host's /proc may be mounted at /host/proc. */
export interface Roots {
  /** Root of procfs, default `/proc`. */
  proc: string;
  /** Root of the cgroup mounts, default `/sys/fs/cgroup`. */
  cgroup: string;
  /** Root of sysfs, default `/sys`. */
  sys: string;
  /** Prefix for host files such as /var/lib/docker, /run/containerd, /var/log/pods, /etc. */
  host: string;
}

/** Default roots for a process running directly on the host. */
export const DEFAULT_ROOTS: Roots = {
  proc: "/proc",
  cgroup: "/sys/fs/cgroup",
  sys: "/sys",
  host: "",
};

/**
 * Why a read returned nothing. `missing` covers ENOENT and a process that exited (ESRCH); the
 * others name the cause as strerror(3) does (EISDIR: `is a directory`, ELOOP: `too many levels of
 * symbolic links`, …); `error` is any other failure.
 */
export type ReadFailure =
  | "missing"
  | "permission denied"
  | "is a directory"
  | "not a directory"
  | "too many levels of symbolic links"
  | "I/O error"
  | "error";

/** Read access to kernel and host files. All methods are synchronous and never throw. */
export interface Fs {
  /** The file's text, or `null` when it cannot be read; {@linkcode Fs.lastFailure} says why. */
  readText(path: string): string | null;
  /** Names in a directory (not sorted), or `[]` when it cannot be listed. */
  listDir(path: string): DirEntry[];
  /** A symlink's target, or `null`. */
  readLink(path: string): string | null;
  /**
   * `st_size` of a file or directory (symlinks followed), or `null` when it cannot be had.
   * Optional: callers fall back to reading or listing. procfs reports the number of open file
   * descriptors as the size of `/proc/<pid>/fd` (Linux 6.2+; 0 before). A handle cache may keep
   * the path open and `fstat(2)` it the next time.
   */
  statSize?(path: string): number | null;
  /** Why the most recent failed call failed. */
  lastFailure: ReadFailure | null;
}

/** One directory entry. */
export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isSymlink: boolean;
}

/** Where {@linkcode readParsed} failed: the read (with the Fs's reason) or the parser (its message). */
export type ParseFailure =
  | { stage: "read"; why: ReadFailure | null }
  | { stage: "parse"; why: string };

/**
 * Reads `path` and parses it; never throws. On failure calls `failed` with where and why (and
 * the path, so that one callback can serve many reads) and returns `null`: each reader words its
 * own note or error from that.
 */
export function readParsed<T>(
  fs: Fs,
  path: string,
  parse: (text: string) => T,
  failed: (failure: ParseFailure, path: string) => void,
): T | null {
  const text = fs.readText(path);
  if (text === null) {
    failed({ stage: "read", why: fs.lastFailure }, path);
    return null;
  }
  try {
    return parse(text);
  } catch (error) {
    failed({ stage: "parse", why: error instanceof Error ? error.message : String(error) }, path);
    return null;
  }
}
