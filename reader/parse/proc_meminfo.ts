/**
 * Parser for /proc/meminfo, see proc_meminfo(5).
 *
 * @module
 */

import { excerpt, parseError, parseKbValue, parseKeyValueLines } from "./parse_util.ts";

const FILE = "/proc/meminfo";

/**
 * System memory. The typed fields are `null` when the kernel does not print the line
 * (MemAvailable needs 3.14+); `null` means unknown, not zero.
 */
export interface Meminfo {
  /**
   * Every line of the file by its key (`MemTotal`, `Active(anon)`, …): `kB` values converted to
   * bytes, unitless values (`HugePages_Total`, `HugePages_Free`, … counts) unchanged.
   */
  fields: Record<string, number>;
  /** Usable RAM, bytes. */
  memTotalBytes: number | null;
  /** Unused RAM, bytes. */
  memFreeBytes: number | null;
  /** Kernel's estimate of memory available for new work without swapping, bytes. */
  memAvailableBytes: number | null;
  /** Block-device buffers, bytes. */
  buffersBytes: number | null;
  /** Page cache (includes Shmem), bytes. */
  cachedBytes: number | null;
  /** Total swap space, bytes. */
  swapTotalBytes: number | null;
  /** Unused swap space, bytes. */
  swapFreeBytes: number | null;
  /** Shared memory and tmpfs, bytes. */
  shmemBytes: number | null;
  /** Reclaimable slab (e.g. dentry and inode caches), bytes. */
  sReclaimableBytes: number | null;
}

/**
 * Parse /proc/meminfo.
 *
 * @param text The file's text.
 * @returns Every field plus the typed shortcuts.
 * @throws {SyntaxError} on a line that is not `Key: <n> [kB]`, or an empty file.
 */
export function parseMeminfo(text: string): Meminfo {
  const map = parseKeyValueLines(text, FILE);
  if (map.size === 0) throw parseError(FILE, `no fields in ${excerpt(text)}`);
  const fields: Record<string, number> = {};
  for (const [key, value] of map) fields[key] = parseKbValue(value, FILE, key);
  const get = (key: string) => fields[key] ?? null;
  return {
    fields,
    memTotalBytes: get("MemTotal"),
    memFreeBytes: get("MemFree"),
    memAvailableBytes: get("MemAvailable"),
    buffersBytes: get("Buffers"),
    cachedBytes: get("Cached"),
    swapTotalBytes: get("SwapTotal"),
    swapFreeBytes: get("SwapFree"),
    shmemBytes: get("Shmem"),
    sReclaimableBytes: get("SReclaimable"),
  };
}
