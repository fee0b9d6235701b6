/**
 * One collector per output directory. Two collectors writing into the same `--out` (a service and
 * a hand-started run, say) name their files by the same whole seconds, so each would rename its
 * segments over the other's, and each one's start-up recovery would delete the other's temporary
 * files. `<out>/.fgm-collect.lock` is held with `flock(2)` for as long as the collector runs: the
 * kernel releases it when the process ends in any way, SIGKILL included, so a crash leaves no
 * stale lock. The file holds the PID of the holder, for the message of the one refused.
 *
 * `flock` with `LOCK_NB` is reached through FFI (Deno's own `FsFile.lock()` only blocks); without
 * FFI permission the directory is not locked.
 *
 * Reaches: the disk (`<out>/.fgm-collect.lock`, `flock(2)`).
 *
 * @module
 */

import { errnoError } from "../reader/file_io.ts";

/** The lock file's name inside the output directory. */
export const LOCK_FILE = ".fgm-collect.lock";

const O_RDWR = 0o2;
const O_CREAT = 0o100;
const O_CLOEXEC = 0o2000000;
const LOCK_EX = 2;
const LOCK_NB = 4;
const EWOULDBLOCK = 11;

/** A held lock; `release()` gives it up (also done by the kernel when the process ends). */
export interface OutLock {
  release(): void;
}

/** Another collector holds the output directory. */
export class OutDirInUseError extends Error {
  override name = "OutDirInUseError";
}

/**
 * Takes the lock of output directory `out` (which must exist), or throws
 * {@linkcode OutDirInUseError} naming the PID that holds it. Returns a lock that does nothing when
 * FFI is not allowed or the C library cannot be loaded.
 */
export function lockOutDir(out: string): OutLock {
  let lib;
  try {
    lib = Deno.dlopen("libc.so.6", {
      open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
      flock: { parameters: ["i32", "i32"], result: "i32" },
      close: { parameters: ["i32"], result: "i32" },
      __errno_location: { parameters: [], result: "pointer" },
    });
  } catch {
    return { release() {} };
  }
  const path = `${out}/${LOCK_FILE}`;
  const errno = () => {
    const at = lib.symbols.__errno_location();
    return at === null ? 0 : new Deno.UnsafePointerView(at).getInt32();
  };
  const fd = lib.symbols.open(
    new TextEncoder().encode(path + "\0"),
    O_RDWR | O_CREAT | O_CLOEXEC,
    0o644,
  );
  if (fd < 0) {
    const code = errno();
    lib.close();
    throw errnoError("open", path, code);
  }
  if (lib.symbols.flock(fd, LOCK_EX | LOCK_NB) !== 0) {
    const code = errno();
    lib.symbols.close(fd);
    lib.close();
    if (code !== EWOULDBLOCK) throw errnoError("lock", path, code);
    let holder = "";
    try {
      holder = Deno.readTextFileSync(path).trim();
    } catch { /* unreadable: say less */ }
    throw new OutDirInUseError(
      `"${out}" is in use by another fgm collect${
        holder === "" ? "" : ` (pid ${holder})`
      }: give each collector its own --out`,
    );
  }
  try {
    Deno.writeTextFileSync(path, `${Deno.pid}\n`);
  } catch { /* the lock holds without the PID in it */ }
  return {
    release() {
      lib.symbols.close(fd);
      lib.close();
    },
  };
}
