/**
 * Crash-safe file replacement: write a temporary sibling, fsync it, rename it into place, fsync
 * the directory. On Linux `rename(2)` within one directory is atomic, and the directory fsync
 * makes the rename itself durable; Deno opens a directory read-only with `Deno.open` and its
 * `sync()` calls fsync(2) on that descriptor (checked on Linux; on platforms where opening a
 * directory fails the directory sync is skipped, which only weakens durability, not atomicity).
 *
 * Reaches: the disk (a temporary file, `fsync`, `rename`).
 *
 * @module
 */

/** Suffix of temporary files: fgm's own, so that fgm never takes another program's for its. */
export const TMP_SUFFIX = ".fgm-tmp";

/**
 * The temporary sibling of `path` that an atomic write goes through: `<dir>/.<name>.fgm-tmp`.
 * Hidden (Parquet dataset readers skip names starting with `.`) and not matched by
 * `**\/*.parquet`, so no reader ever takes it for data.
 */
export function tmpPathFor(path: string): string {
  const i = path.lastIndexOf("/");
  return `${path.slice(0, i + 1)}.${path.slice(i + 1)}${TMP_SUFFIX}`;
}

/** Whether a file name is one of {@linkcode tmpPathFor}'s. */
export function isTmpName(name: string): boolean {
  return name.startsWith(".") && name.endsWith(TMP_SUFFIX) && name.length > 1 + TMP_SUFFIX.length;
}

/** The file a temporary name stands for (`.<name>.fgm-tmp` → `<name>`), or `null`. */
export function tmpTarget(name: string): string | null {
  return isTmpName(name) ? name.slice(1, -TMP_SUFFIX.length) : null;
}

/** The directory part of `path` (`.` when there is none). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  if (i < 0) return ".";
  if (i === 0) return "/";
  return path.slice(0, i);
}

/** fsyncs a directory so that renames and unlinks in it survive a crash. Never throws. */
export async function syncDir(dir: string): Promise<void> {
  let handle: Deno.FsFile | undefined;
  try {
    handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Opening a directory is not possible everywhere (e.g. Windows); durability only.
  } finally {
    handle?.close();
  }
}

/**
 * Writes `bytes` to `path` (created or truncated) and fsyncs it. On failure the file is removed and
 * the error rethrown.
 */
export async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    let written = 0;
    while (written < bytes.byteLength) {
      written += await file.write(bytes.subarray(written));
    }
    await file.sync();
  } catch (error) {
    file.close();
    await Deno.remove(path).catch(() => {});
    throw error;
  }
  file.close();
}

/**
 * Writes `bytes` to `path` atomically: {@linkcode tmpPathFor} → fsync → rename → fsync directory. The
 * directory must exist. On failure the temporary file is removed and the error rethrown.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = tmpPathFor(path);
  await writeSynced(tmp, bytes);
  await Deno.rename(tmp, path);
  await syncDir(dirOf(path));
}
