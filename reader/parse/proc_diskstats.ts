/**
 * Parser for /proc/diskstats.
 *
 * @module
 */

import {
  excerpt,
  fields,
  type IntegerLimit,
  nonBlankLines,
  parseError,
  parseInteger,
} from "./parse_util.ts";

/** One block device's counters. Sectors are always 512 bytes in this file. */
export interface DiskStats {
  major: number;
  minor: number;
  name: string;
  readsCompleted: number;
  readBytes: number;
  readTimeMs: number;
  writesCompleted: number;
  writeBytes: number;
  writeTimeMs: number;
  inFlight: number;
  ioTimeMs: number;
}

const FILE = "/proc/diskstats";

/** Bytes per sector in this file, whatever the device's sector size. */
const SECTOR_BYTES = 512;

/**
 * The largest sector count whose byte count is at most 2^64 − 1: as for kB values, a larger one
 * is refused.
 */
const SECTORS_MAX: IntegerLimit = { digits: "36028797018963967", name: "2^64-1 bytes" };

/** Parses /proc/diskstats (14 fields since 2.6, 18 with discards, 20 with flushes). */
export function parseDiskstats(text: string): DiskStats[] {
  return nonBlankLines(text).map((line) => {
    const f = fields(line);
    if (f.length < 14) throw parseError(FILE, `expected at least 14 fields in ${excerpt(line)}`);
    // Every field is unsigned (`%4d %7d %s %lu %lu %lu %u …` of values that cannot be negative).
    const n = (i: number, what: string) => parseInteger(f[i], FILE, what);
    const bytes = (i: number, what: string) =>
      parseInteger(f[i], FILE, what, SECTORS_MAX) * SECTOR_BYTES;
    return {
      major: n(0, "major"),
      minor: n(1, "minor"),
      name: f[2],
      readsCompleted: n(3, "reads completed"),
      readBytes: bytes(5, "sectors read"),
      readTimeMs: n(6, "time reading"),
      writesCompleted: n(7, "writes completed"),
      writeBytes: bytes(9, "sectors written"),
      writeTimeMs: n(10, "time writing"),
      inFlight: n(11, "I/Os in progress"),
      ioTimeMs: n(12, "time doing I/O"),
    };
  });
}

/**
 * Whether a device counts toward the host's disk traffic: a whole disk, not a partition, loop,
 * RAM disk or a stacked device (device-mapper, md) whose I/O its members already count.
 */
export function isPhysicalDisk(name: string, wholeDisks: ReadonlySet<string>): boolean {
  if (!wholeDisks.has(name)) return false;
  return !/^(loop|ram|zram|dm-|md|nbd|sr)/.test(name);
}
