/**
 * Parsers for cgroup v2 interface files of the cpu, memory, io and pids controllers, see
 * Documentation/admin-guide/cgroup-v2.rst. Pressure (`*.pressure`) files are parsed by
 * `parsePressure()` in ./pressure.ts.
 *
 * @module
 */

import { excerpt, fields, nonBlankLines, parseError, parseInteger } from "./parse_util.ts";
import {
  optionalKey,
  parseCgroupInteger,
  parseCgroupMaxOrInteger,
  parseFlatKeyed,
  parsePidsCurrent,
  parsePidsMax,
  requiredKey,
} from "./cgroup_util.ts";

export { parsePidsCurrent, parsePidsMax };

/**
 * v2 `cpu.stat`. The three usage lines are always there (they are a core file of every cgroup);
 * the bandwidth lines only when the cpu controller is enabled for the cgroup, so they are `null`
 * otherwise (e.g. in the controller-less v2 mirror of a hybrid host).
 */
export interface V2CpuStat {
  /** CPU time used by the cgroup and its descendants, in µs. */
  usageUsec: number;
  /** User-mode part of `usageUsec`, in µs. */
  userUsec: number;
  /** Kernel-mode part of `usageUsec`, in µs. */
  systemUsec: number;
  /** Enforcement periods that elapsed; `null` without the cpu controller. */
  nrPeriods: number | null;
  /** Periods in which the cgroup was throttled; `null` without the cpu controller. */
  nrThrottled: number | null;
  /** Total throttled time in µs; `null` without the cpu controller. */
  throttledUsec: number | null;
  /** Periods in which burst was used; `null` without the cpu controller or before Linux 5.14. */
  nrBursts: number | null;
  /** Total burst time used in µs; `null` without the cpu controller or before Linux 5.14. */
  burstUsec: number | null;
}

/**
 * Parse v2 `cpu.stat`. Unknown keys (`nice_usec`, `core_sched.force_idle_usec`, …) are ignored.
 *
 * @throws {SyntaxError} when a line is malformed or a usage line is missing.
 */
export function parseV2CpuStat(text: string): V2CpuStat {
  const file = "cpu.stat";
  const values = parseFlatKeyed(text, file);
  return {
    usageUsec: requiredKey(values, "usage_usec", file),
    userUsec: requiredKey(values, "user_usec", file),
    systemUsec: requiredKey(values, "system_usec", file),
    nrPeriods: optionalKey(values, "nr_periods"),
    nrThrottled: optionalKey(values, "nr_throttled"),
    throttledUsec: optionalKey(values, "throttled_usec"),
    nrBursts: optionalKey(values, "nr_bursts"),
    burstUsec: optionalKey(values, "burst_usec"),
  };
}

/** v2 `cpu.max`: the CFS bandwidth limit. */
export interface CpuMax {
  /** CPU time in µs the cgroup may use per period, or `null` for `max` (no limit). */
  quotaUs: number | null;
  /** Length of the period in µs (default 100000). */
  periodUs: number;
}

/**
 * Parse v2 `cpu.max` (`$MAX $PERIOD`, e.g. `max 100000` or `50000 100000`).
 *
 * @throws {SyntaxError} when the file is not two values.
 */
export function parseCpuMax(text: string): CpuMax {
  const file = "cpu.max";
  const parts = fields(text);
  if (parts.length !== 2) throw parseError(file, `expected "$MAX $PERIOD", got ${excerpt(text)}`);
  return {
    quotaUs: parts[0] === "max" ? null : parseInteger(parts[0], file, "quota"),
    periodUs: parseInteger(parts[1], file, "period"),
  };
}

/**
 * Parse v2 `cpu.weight`: the relative CPU weight (default 100, range 1…10000).
 *
 * @throws {SyntaxError} when the file is not one integer.
 */
export function parseCpuWeight(text: string): number {
  return parseCgroupInteger(text, "cpu.weight");
}

/**
 * Parse a v2 memory amount in bytes: `memory.current`, `memory.peak`, `memory.swap.current`, …
 *
 * @param text The file's text.
 * @param file Which file, for error messages.
 * @throws {SyntaxError} when the file is not one integer.
 */
export function parseV2MemoryBytes(text: string, file = "memory.current"): number {
  return parseCgroupInteger(text, file);
}

/**
 * Parse a v2 memory limit or protection: `memory.max`, `memory.high`, `memory.low`,
 * `memory.min`, `memory.swap.max`, `memory.swap.high`.
 *
 * @param text The file's text.
 * @param file Which file, for error messages.
 * @returns Bytes, or `null` for `max` (unlimited).
 * @throws {SyntaxError} when the file is neither `max` nor an integer.
 */
export function parseV2MemoryLimit(text: string, file = "memory.max"): number | null {
  return parseCgroupMaxOrInteger(text, file);
}

/**
 * Parse v2 `memory.stat`: every key (`anon`, `file`, `kernel`, `shmem`, `inactive_file`, …, in
 * bytes; event keys such as `pgfault` are counts). Hierarchical: includes descendants.
 *
 * @param only When given, only these keys are returned (see `parseFlatKeyed()`).
 * @throws {SyntaxError} when a line is not `<key> <integer>`.
 */
export function parseV2MemoryStat(text: string, only?: readonly string[]): Record<string, number> {
  return parseFlatKeyed(text, "memory.stat", only);
}

/** v2 `memory.events` (or `memory.events.local`): event counts since the cgroup was created. */
export interface MemoryEvents {
  /** Times usage was reclaimed while below `memory.low` (protection breached). */
  low: number | null;
  /** Times usage went over `memory.high` and was throttled into reclaim. */
  high: number | null;
  /** Times usage was about to go over `memory.max`. */
  max: number | null;
  /** Times an allocation failed at `memory.max` and the OOM killer was considered. */
  oom: number | null;
  /** Processes killed by the OOM killer (since Linux 4.13). */
  oomKill: number | null;
  /** Group OOM kills, `memory.oom.group` (since Linux 5.17). */
  oomGroupKill: number | null;
}

/**
 * Parse v2 `memory.events`. Every field is `null` when its line is absent (older kernels).
 *
 * @throws {SyntaxError} when a line is not `<key> <integer>`.
 */
export function parseMemoryEvents(text: string): MemoryEvents {
  const values = parseFlatKeyed(text, "memory.events");
  return {
    low: optionalKey(values, "low"),
    high: optionalKey(values, "high"),
    max: optionalKey(values, "max"),
    oom: optionalKey(values, "oom"),
    oomKill: optionalKey(values, "oom_kill"),
    oomGroupKill: optionalKey(values, "oom_group_kill"),
  };
}

/** One device line of v2 `io.stat`. */
export interface IoStatDevice {
  /** Device major number. */
  major: number;
  /** Device minor number. */
  minor: number;
  /** Bytes read (`rbytes`). */
  readBytes: number;
  /** Bytes written (`wbytes`). */
  writeBytes: number;
  /** Read operations (`rios`). */
  readOps: number;
  /** Write operations (`wios`). */
  writeOps: number;
  /** Bytes discarded (`dbytes`); `null` before Linux 5.0. */
  discardBytes: number | null;
  /** Discard operations (`dios`); `null` before Linux 5.0. */
  discardOps: number | null;
}

const READ_WRITE_KEYS = ["rbytes", "wbytes", "rios", "wios"];

/**
 * Parse v2 `io.stat`: `<major>:<minor> rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…` per
 * device with I/O. Extra `key=value` pairs (iocost `cost.*`, latency debug keys) are ignored; a
 * line with only such pairs means zero reads and writes (the kernel omits the four when all zero).
 *
 * @returns One entry per device line, in file order; `[]` when no device saw I/O.
 * @throws {SyntaxError} when a line is malformed or has some but not all four read/write keys.
 */
export function parseIoStat(text: string): IoStatDevice[] {
  const file = "io.stat";
  return nonBlankLines(text).map((line) => {
    const [device, ...pairs] = fields(line);
    const match = /^(\d+):(\d+)$/.exec(device);
    if (match === null) throw parseError(file, `line ${excerpt(line)} does not start "maj:min"`);
    const values: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw parseError(file, `${excerpt(pair)} is not "key=value"`);
      values[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    // The kernel leaves out all four read/write keys when they are all zero but another policy
    // (iocost, iolatency) still prints keys for the device.
    const anyReadWrite = READ_WRITE_KEYS.some((key) => values[key] !== undefined);
    const required = (key: string) => {
      if (!anyReadWrite) return 0;
      if (values[key] === undefined) throw parseError(file, `${device} lacks "${key}"`);
      return parseInteger(values[key], file, key);
    };
    const optional = (key: string) =>
      values[key] === undefined ? null : parseInteger(values[key], file, key);
    return {
      major: parseInteger(match[1], file, "major"),
      minor: parseInteger(match[2], file, "minor"),
      readBytes: required("rbytes"),
      writeBytes: required("wbytes"),
      readOps: required("rios"),
      writeOps: required("wios"),
      discardBytes: optional("dbytes"),
      discardOps: optional("dios"),
    };
  });
}

/**
 * Parse `cgroup.controllers` (or `cgroup.subtree_control`): space-separated controller names,
 * e.g. `cpuset cpu io memory hugetlb pids rdma misc`; an empty file (no controllers) → `[]`.
 */
export function parseCgroupControllers(text: string): string[] {
  return fields(text.replace(/\n/g, " "));
}
