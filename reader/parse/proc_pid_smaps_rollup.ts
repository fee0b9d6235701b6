/**
 * Parser for /proc/<pid>/smaps_rollup (Linux 4.14+), see proc_pid_smaps_rollup(5).
 *
 * @module
 */

import {
  excerpt,
  nonBlankLines,
  parseError,
  parseKbValue,
  parseKeyValueLines,
} from "./parse_util.ts";

const FILE = "/proc/<pid>/smaps_rollup";

/**
 * A process's memory summed over all its mappings, in bytes. The `pss*` breakdowns were added
 * to the kernel after smaps_rollup itself (Pss_Anon/Pss_File/Pss_Shmem in 5.x, Pss_Dirty in
 * 6.x) and are `null` when the kernel does not print them; `null` means unknown, not zero.
 */
export interface SmapsRollup {
  /** Resident set size, bytes. */
  rss: number;
  /** Proportional set size (shared pages divided among their users), bytes. */
  pss: number;
  /** PSS of dirty pages, bytes. */
  pssDirty: number | null;
  /** PSS of anonymous memory, bytes. */
  pssAnon: number | null;
  /** PSS of file mappings, bytes. */
  pssFile: number | null;
  /** PSS of shared memory (shmem/tmpfs), bytes. */
  pssShmem: number | null;
  /** Clean pages shared with other processes, bytes. */
  sharedClean: number;
  /** Dirty pages shared with other processes, bytes. */
  sharedDirty: number;
  /** Clean pages used by this process only, bytes. */
  privateClean: number;
  /** Dirty pages used by this process only, bytes. */
  privateDirty: number;
  /** Pages marked referenced/accessed, bytes. */
  referenced: number;
  /** Anonymous memory, bytes. */
  anonymous: number;
  /** Anonymous memory swapped out, bytes. */
  swap: number;
  /** Proportional share of swap, bytes. */
  swapPss: number;
  /** Memory locked (mlock), bytes. */
  locked: number;
}

/**
 * Parse /proc/<pid>/smaps_rollup. The first line (the `[rollup]` pseudo-mapping header) is
 * skipped; every other line is `Key:   <n> kB`.
 *
 * @param text The file's text.
 * @returns The sums in bytes.
 * @throws {SyntaxError} on garbage or when a field every 4.14+ kernel prints is missing (e.g. an
 *   empty or truncated read).
 */
export function parseSmapsRollup(text: string): SmapsRollup {
  const lines = nonBlankLines(text);
  if (lines.length > 0 && /^[0-9a-f]+-[0-9a-f]+ /.test(lines[0])) lines.shift();
  if (lines.length === 0) throw parseError(FILE, `no fields in ${excerpt(text)}`);
  const map = parseKeyValueLines(lines.join("\n"), FILE);
  const optional = (key: string) => {
    const value = map.get(key);
    return value === undefined ? null : parseKbValue(value, FILE, key);
  };
  const required = (key: string) => {
    const value = optional(key);
    if (value === null) throw parseError(FILE, `no "${key}:" line`);
    return value;
  };
  return {
    rss: required("Rss"),
    pss: required("Pss"),
    pssDirty: optional("Pss_Dirty"),
    pssAnon: optional("Pss_Anon"),
    pssFile: optional("Pss_File"),
    pssShmem: optional("Pss_Shmem"),
    sharedClean: required("Shared_Clean"),
    sharedDirty: required("Shared_Dirty"),
    privateClean: required("Private_Clean"),
    privateDirty: required("Private_Dirty"),
    referenced: required("Referenced"),
    anonymous: required("Anonymous"),
    swap: required("Swap"),
    swapPss: required("SwapPss"),
    locked: required("Locked"),
  };
}
