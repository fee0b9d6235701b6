/**
 * Raw reads for {@linkcode createHandleFs}: open a file once, read it from offset 0 as often as
 * needed, close it. Two implementations:
 *
 * - `libc`: `open(2)`, `pread(2)` and `close(2)` through Deno's FFI on the C library the Deno
 *   runtime itself is linked against. One system call per read (no `lseek(2)`) and no Deno op or
 *   resource table in between: about a fifth less CPU per file at 1 Hz (`bench/read_floor.ts`).
 *   Directories are listed with `getdents64(2)` (glibc 2.30+; else `Deno.readDirSync`): about
 *   half the CPU of `Deno.readDirSync`, for /proc and for a directory that does not exist.
 * - `deno`: `Deno.openSync`, `seekSync(0)` + `readSync`. Used where FFI is not available (no
 *   `--allow-ffi`, no `libc.so.6`).
 *
 * Both throw errors whose `code` is the errno name (`ENOENT`, `ESRCH`, `EACCES`, …), which
 * `failureOf()` in handle_fs.ts turns into the reason a read failed.
 *
 * Reaches: files, through Deno's file API or libc's `pread(2)` and `getdents64(2)`.
 *
 * @module
 */

import type { DirEntry } from "./fs.ts";

/** Which implementation a {@linkcode FileIo} is. */
export type FileIoKind = "libc" | "deno";

/** Reads whole files through handles kept open. */
export interface FileIo<H = unknown> {
  readonly kind: FileIoKind;
  /** Opens `path` for reading. */
  open(path: string): H;
  /**
   * Reads into `target` from file offset `offset`; returns the bytes read, 0 at end of file.
   * Calls for one pass over a file start at offset 0 and go on where the last one ended.
   */
  readAt(handle: H, target: Uint8Array, offset: number): number;
  close(handle: H): void;
  /** The entries of directory `path` (not sorted, without `.` and `..`). */
  readDir(path: string): DirEntry[];
  /** The size `stat(2)` reports for `path`, following links. */
  statSize(path: string): number;
  /**
   * Opens `path` (a file or a directory) to ask its size with {@linkcode FileIo.sizeOf} again and
   * again: no path walk per call. Absent where the implementation cannot (libc without statx).
   */
  openForSize?(path: string): H;
  /** The size `fstat(2)` reports for a handle from {@linkcode FileIo.openForSize}. */
  sizeOf?(handle: H): number;
}

/** The `deno` implementation: `Deno.FsFile` handles, seek to 0, then read. */
export function denoFileIo(): FileIo<Deno.FsFile> {
  return {
    kind: "deno",
    open: (path) => Deno.openSync(path, { read: true }),
    readAt(file, target, offset) {
      if (offset === 0) file.seekSync(0, Deno.SeekMode.Start);
      return file.readSync(target) ?? 0;
    },
    close: (file) => file.close(),
    readDir: denoDirEntries,
    statSize: (path) => Deno.statSync(path).size,
    openForSize: (path) => Deno.openSync(path, { read: true }),
    sizeOf: (file) => file.statSync().size,
  };
}

/**
 * The entries of a directory through `Deno.readDirSync`; throws what it throws. Deno's own
 * entries already have {@linkcode DirEntry}'s fields: they are returned as they are, not copied
 * (listing /proc every second makes hundreds of them).
 */
export function denoDirEntries(path: string): DirEntry[] {
  return Array.from(Deno.readDirSync(path));
}

const O_RDONLY = 0;
const O_CLOEXEC = 0o2000000;
const EINTR = 4;
/** The empty C string statx(2) takes with `AT_EMPTY_PATH`. */
const EMPTY_PATH = new Uint8Array(1);

/** errno values a read of /proc or a cgroup file can end with, by name. */
const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM",
  2: "ENOENT",
  3: "ESRCH",
  5: "EIO",
  9: "EBADF",
  13: "EACCES",
  19: "ENODEV",
  20: "ENOTDIR",
  21: "EISDIR",
  22: "EINVAL",
  23: "ENFILE",
  24: "EMFILE",
  36: "ENAMETOOLONG",
  40: "ELOOP",
};

const LIBC_SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  // size_t count and off_t offset as i64, passed as BigInts: optimised code calls a 64-bit FFI
  // parameter speculating a BigInt, and every number passed there deoptimised readAt() and the
  // functions it was inlined into (readProcess(), readParsed(), readDir(), ...), which V8 then
  // compiled again, over and over (--trace-deopt: "not a BigInt", several times a minute). The
  // BigInts are kept, not made per call (see `bigCount`). The ssize_t result as i32: its low
  // half, exact for a count below 2^31 (readAt() asks for less) and for -1; an i64 result comes
  // back as a number or a BigInt, and every switch between the two deoptimised its callers too.
  pread: { parameters: ["i32", "buffer", "i64", "i64"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
  getdents64: { parameters: ["i32", "buffer", "i64"], result: "i32", optional: true },
  // glibc 2.28+.
  statx: {
    parameters: ["i32", "buffer", "i32", "u32", "buffer"],
    result: "i32",
    optional: true,
  },
} as const;

const AT_FDCWD = -100;
const AT_EMPTY_PATH = 0x1000;
const STATX_SIZE = 0x200;
/** Most bytes one `pread(2)` asks for: its count fits the i32 result. */
const MAX_READ = 2 ** 30;
/** `struct statx`: 256 bytes, `stx_size` (u64) at 40. */
const STATX_BYTES = 256;
const STATX_SIZE_OFFSET = 40;

const O_DIRECTORY = 0o200000;
/** `struct linux_dirent64`: `d_reclen` (u16) at 16, `d_type` (u8) at 18, the name from 19. */
const DIRENT_RECLEN = 16;
const DIRENT_TYPE = 18;
const DIRENT_NAME = 19;
const DT_UNKNOWN = 0;
const DT_DIR = 4;
const DT_LNK = 10;

/** Whether this machine stores integers little-endian (how `struct linux_dirent64` is read). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An error with the errno's name as `code`, like the errors Deno throws. */
export function errnoError(what: string, path: string, errno: number): Error {
  const code = ERRNO_NAMES[errno] ?? `errno ${errno}`;
  return Object.assign(new Error(`Cannot ${what} "${path}": ${code}`), { code });
}

/**
 * The `libc` implementation, or `null` when FFI is not allowed or the C library cannot be
 * loaded. Handles are file descriptors.
 */
export function libcFileIo(): FileIo<number> | null {
  let lib: Deno.DynamicLibrary<typeof LIBC_SYMBOLS>;
  try {
    lib = Deno.dlopen("libc.so.6", LIBC_SYMBOLS);
  } catch {
    return null;
  }
  const { open, close, __errno_location } = lib.symbols;
  const getdents64 = lib.symbols.getdents64 as unknown as
    | ((fd: number, target: Uint8Array, count: bigint) => number)
    | null;
  const pread = lib.symbols.pread as unknown as (
    fd: number,
    target: Uint8Array,
    count: bigint,
    offset: bigint,
  ) => number;
  /** `count` as a BigInt, the last one kept: the reader's buffers are reused, so it rarely changes. */
  let keptCount = -1;
  let keptBigCount = 0n;
  const bigCount = (count: number): bigint => {
    if (count !== keptCount) {
      keptCount = count;
      keptBigCount = BigInt(count);
    }
    return keptBigCount;
  };
  const errnoPointer = __errno_location();
  if (errnoPointer === null) return null;
  const errnoView = new Deno.UnsafePointerView(errnoPointer);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const direntBuffer = new Uint8Array(32 * 1024);
  const DIRENT_BUFFER_BYTES = BigInt(direntBuffer.length);
  const direntView = new DataView(direntBuffer.buffer);
  const statx = lib.symbols.statx as unknown as
    | ((dirfd: number, path: Uint8Array, flags: number, mask: number, out: Uint8Array) => number)
    | null;
  const statxBuffer = new Uint8Array(STATX_BYTES);
  const statxView = new DataView(statxBuffer.buffer);
  /** `stx_size` of the last statx(2), from two 32-bit halves: no BigInt per call. */
  const statxSize = (): number => {
    const low = statxView.getUint32(STATX_SIZE_OFFSET + (LITTLE_ENDIAN ? 0 : 4), LITTLE_ENDIAN);
    const high = statxView.getUint32(STATX_SIZE_OFFSET + (LITTLE_ENDIAN ? 4 : 0), LITTLE_ENDIAN);
    return high * 2 ** 32 + low;
  };
  // PATH_MAX bytes of UTF-8 and the NUL: a path is encoded here, not into a new array per call.
  const pathBuffer = new Uint8Array(4096 + 1);
  /** `path` as a NUL-terminated C string, in `pathBuffer` when it fits. */
  const cString = (path: string): Uint8Array => {
    const { read, written } = encoder.encodeInto(path, pathBuffer);
    if (read === path.length && written < pathBuffer.length) {
      pathBuffer[written] = 0;
      return pathBuffer;
    }
    return encoder.encode(path + "\0");
  };
  return {
    kind: "libc",
    open(path) {
      const fd = open(cString(path), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw errnoError("open", path, errnoView.getInt32());
      return fd;
    },
    readAt(fd, target, offset) {
      while (true) {
        const n = pread(
          fd,
          target,
          bigCount(Math.min(target.length, MAX_READ)),
          offset === 0 ? 0n : BigInt(offset),
        );
        if (n >= 0) return n;
        const errno = errnoView.getInt32();
        if (errno !== EINTR) throw errnoError("read", `fd ${fd}`, errno);
      }
    },
    close(fd) {
      close(fd);
    },
    readDir(path) {
      if (getdents64 === null) return denoDirEntries(path);
      const fd = open(cString(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) throw errnoError("open", path, errnoView.getInt32());
      const entries: DirEntry[] = [];
      try {
        while (true) {
          const n = getdents64(fd, direntBuffer, DIRENT_BUFFER_BYTES);
          if (n === 0) break;
          if (n < 0) throw errnoError("list", path, errnoView.getInt32());
          for (let at = 0; at < n; at += direntView.getUint16(at + DIRENT_RECLEN, LITTLE_ENDIAN)) {
            const end = direntBuffer.indexOf(0, at + DIRENT_NAME);
            const name = decoder.decode(direntBuffer.subarray(at + DIRENT_NAME, end));
            if (name === "." || name === "..") continue;
            const type = direntBuffer[at + DIRENT_TYPE];
            if (type === DT_UNKNOWN) {
              // File systems that do not fill d_type: ask, not following links.
              let info: Deno.FileInfo;
              try {
                info = Deno.lstatSync(`${path}/${name}`);
              } catch {
                continue; // gone since the listing
              }
              entries.push({
                name,
                isDirectory: info.isDirectory,
                isSymlink: info.isSymlink,
              });
            } else {
              entries.push({
                name,
                isDirectory: type === DT_DIR,
                isSymlink: type === DT_LNK,
              });
            }
          }
        }
      } finally {
        close(fd);
      }
      return entries;
    },
    statSize(path) {
      // One system call into a buffer kept for it: Deno.statSync builds a FileInfo with dates
      // for each call, which cost ~5 µs per process every second for the fd counts.
      if (statx === null) return Deno.statSync(path).size;
      if (statx(AT_FDCWD, cString(path), 0, STATX_SIZE, statxBuffer) !== 0) {
        throw errnoError("stat", path, errnoView.getInt32());
      }
      return statxSize();
    },
    ...(statx === null ? {} : {
      openForSize(path: string): number {
        const fd = open(cString(path), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw errnoError("open", path, errnoView.getInt32());
        return fd;
      },
      sizeOf(fd: number): number {
        // statx(fd, "", AT_EMPTY_PATH) is fstat(2): no path to walk. For /proc/<pid>/fd that is
        // 1.7 against 4.0 µs per process at 1 Hz (bench/README.md, "Tenth round").
        if (statx!(fd, EMPTY_PATH, AT_EMPTY_PATH, STATX_SIZE, statxBuffer) !== 0) {
          throw errnoError("stat", `fd ${fd}`, errnoView.getInt32());
        }
        return statxSize();
      },
    }),
  };
}

let chosen: FileIo | null = null;

/**
 * The fastest implementation this process may use: `libc` when FFI works, else `deno`.
 * `FGM_FILE_IO=deno` forces the Deno one. Chosen once; every caller shares it (it holds no
 * per-file state).
 */
export function defaultFileIo(): FileIo {
  if (chosen !== null) return chosen;
  let forced: string | undefined;
  try {
    forced = Deno.env.get("FGM_FILE_IO");
  } catch { /* no env permission */ }
  chosen = (forced === "deno" ? null : libcFileIo() as FileIo | null) ?? denoFileIo() as FileIo;
  return chosen;
}
