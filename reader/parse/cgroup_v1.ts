/**
 * Parsers for cgroup v1 interface files of the cpu, cpuacct, memory, blkio and pids controllers,
 * see Documentation/admin-guide/cgroup-v1/ (cpuacct.rst, memory.rst, blkio-controller.rst,
 * pids.rst) and Documentation/scheduler/sched-bwc.rst.
 *
 * **Unlimited memory.** v1 has no `max` keyword: an unlimited `memory.limit_in_bytes` reads as
 * PAGE_COUNTER_MAX × PAGE_SIZE rounded down to a page, i.e. 9223372036854771712 with 4 KiB pages
 * and other large values with 16 KiB or 64 KiB pages or on 32-bit kernels. The rule used here:
 * **a limit ≥ 2^62 bytes (4 EiB) means unlimited and is returned as `null`**. No machine has that
 * much memory, and every variant of the kernel's "unlimited" value is above it.
 *
 * @module
 */

import { excerpt, fields, nonBlankLines, parseError, parseInteger } from "./parse_util.ts";
import {
  optionalKey,
  parseCgroupInteger,
  parseCgroupSignedInteger,
  parseFlatKeyed,
  parsePidsCurrent,
  parsePidsMax,
  requiredKey,
} from "./cgroup_util.ts";

export { parsePidsCurrent, parsePidsMax };

/** Byte limits at or above this (2^62) are v1's way of saying "unlimited". */
export const V1_UNLIMITED_BYTES = 2 ** 62;

/** Keys of v1 `memory.stat` that hold a limit rather than a usage. */
const V1_MEMORY_STAT_LIMIT_KEYS = ["hierarchical_memory_limit", "hierarchical_memsw_limit"];

/**
 * Parse `cpu.cfs_quota_us`: CPU time in µs the cgroup may use per period. The one signed cgroup
 * file this reader reads: the kernel prints `-1` for no quota (`cpu_cfs_quota_read_s64()`), and
 * never another negative value.
 *
 * @returns The quota in µs, or `null` for `-1` (no quota).
 * @throws {SyntaxError} when the file is not one integer, or is negative but not `-1`.
 */
export function parseCfsQuotaUs(text: string): number | null {
  const file = "cpu.cfs_quota_us";
  const quota = parseCgroupSignedInteger(text, file);
  if (quota === -1) return null;
  if (quota < 0) throw parseError(file, `quota is negative but not -1 (no quota): ${quota}`);
  return quota;
}

/**
 * Parse `cpu.cfs_period_us`: length of a CFS bandwidth period in µs (default 100000).
 *
 * @throws {SyntaxError} when the file is not one integer.
 */
export function parseCfsPeriodUs(text: string): number {
  return parseCgroupInteger(text, "cpu.cfs_period_us");
}

/**
 * Parse `cpu.shares`: the cgroup's relative CPU weight (default 1024, range 2…262144).
 *
 * @throws {SyntaxError} when the file is not one integer.
 */
export function parseCpuShares(text: string): number {
  return parseCgroupInteger(text, "cpu.shares");
}

/** The v1 `cpu.stat` of the CFS bandwidth controller. */
export interface V1CpuStat {
  /** Enforcement periods that have elapsed (only counted while a quota is set). */
  nrPeriods: number;
  /** Periods in which the cgroup was throttled. */
  nrThrottled: number;
  /** Total time the cgroup's runqueues were throttled, in ns. */
  throttledTimeNs: number;
  /** Periods in which burst capacity was used; `null` on kernels before 5.14. */
  nrBursts: number | null;
  /** Total burst time used, in ns; `null` on kernels before 5.14. */
  burstTimeNs: number | null;
}

/**
 * Parse v1 `cpu.stat` (`nr_periods`, `nr_throttled`, `throttled_time`, and since Linux 5.14
 * `nr_bursts`, `burst_time`).
 *
 * @throws {SyntaxError} when a line is malformed or one of the first three keys is missing.
 */
export function parseV1CpuStat(text: string): V1CpuStat {
  const file = "cpu.stat";
  const values = parseFlatKeyed(text, file);
  return {
    nrPeriods: requiredKey(values, "nr_periods", file),
    nrThrottled: requiredKey(values, "nr_throttled", file),
    throttledTimeNs: requiredKey(values, "throttled_time", file),
    nrBursts: optionalKey(values, "nr_bursts"),
    burstTimeNs: optionalKey(values, "burst_time"),
  };
}

/**
 * Parse `cpuacct.usage`, `cpuacct.usage_user` or `cpuacct.usage_sys`: CPU time consumed by the
 * cgroup and its descendants, in ns.
 *
 * @param text The file's text.
 * @param file Which of the three files, for error messages.
 * @throws {SyntaxError} when the file is not one integer.
 */
export function parseCpuacctUsage(text: string, file = "cpuacct.usage"): number {
  return parseCgroupInteger(text, file);
}

/** `cpuacct.stat`: CPU time split into user and system, in USER_HZ ticks. */
export interface CpuacctStat {
  /** User-mode CPU time in USER_HZ ticks (1/100 s on every mainstream kernel). */
  userTicks: number;
  /** Kernel-mode CPU time in USER_HZ ticks. */
  systemTicks: number;
}

/**
 * Parse `cpuacct.stat` (`user <ticks>` and `system <ticks>`).
 *
 * @throws {SyntaxError} when a line is malformed or a key is missing.
 */
export function parseCpuacctStat(text: string): CpuacctStat {
  const file = "cpuacct.stat";
  const values = parseFlatKeyed(text, file);
  return {
    userTicks: requiredKey(values, "user", file),
    systemTicks: requiredKey(values, "system", file),
  };
}

/**
 * Parse a v1 memory counter that holds one integer: `memory.usage_in_bytes`,
 * `memory.max_usage_in_bytes`, `memory.failcnt`, `memory.memsw.usage_in_bytes`,
 * `memory.kmem.usage_in_bytes`, …
 *
 * @param text The file's text.
 * @param file Which file, for error messages.
 * @throws {SyntaxError} when the file is not one integer.
 */
export function parseV1MemoryCounter(text: string, file: string): number {
  return parseCgroupInteger(text, file);
}

/**
 * Parse a v1 memory limit: `memory.limit_in_bytes`, `memory.memsw.limit_in_bytes`,
 * `memory.soft_limit_in_bytes`, `memory.kmem.limit_in_bytes`.
 *
 * @param text The file's text.
 * @param file Which file, for error messages.
 * @returns The limit in bytes, or `null` when it is ≥ 2^62 (the kernel's "unlimited").
 * @throws {SyntaxError} when the file is not one integer.
 */
export function parseV1MemoryLimit(text: string, file = "memory.limit_in_bytes"): number | null {
  const limit = parseCgroupInteger(text, file);
  return limit >= V1_UNLIMITED_BYTES ? null : limit;
}

/**
 * Parse v1 `memory.stat`: every key, including the hierarchical `total_*` ones, in bytes or
 * pages/events as the key says (`pgfault` etc. are counts).
 *
 * @param only When given, only these keys are returned (see `parseFlatKeyed()`).
 * @returns Key → value. `hierarchical_memory_limit` and `hierarchical_memsw_limit` are `null` when
 *   unlimited (≥ 2^62); every other value is a number.
 * @throws {SyntaxError} when a line is not `<key> <integer>`.
 */
export function parseV1MemoryStat(
  text: string,
  only?: readonly string[],
): Record<string, number | null> {
  const out: Record<string, number | null> = parseFlatKeyed(text, "memory.stat", only);
  for (const key of V1_MEMORY_STAT_LIMIT_KEYS) {
    const value = out[key];
    if (value !== undefined && value !== null && value >= V1_UNLIMITED_BYTES) out[key] = null;
  }
  return out;
}

/** v1 `memory.oom_control`. */
export interface V1OomControl {
  /** True when the OOM killer is disabled for the cgroup (tasks then wait under OOM). */
  oomKillDisable: boolean;
  /** True while the cgroup is under OOM (only possible with the killer disabled). */
  underOom: boolean;
  /** Processes killed by the OOM killer in this cgroup; `null` on kernels before 4.13. */
  oomKill: number | null;
}

/**
 * Parse v1 `memory.oom_control` (`oom_kill_disable`, `under_oom`, and since 4.13 `oom_kill`).
 *
 * @throws {SyntaxError} when a line is malformed or one of the first two keys is missing.
 */
export function parseV1OomControl(text: string): V1OomControl {
  const file = "memory.oom_control";
  const values = parseFlatKeyed(text, file);
  return {
    oomKillDisable: requiredKey(values, "oom_kill_disable", file) !== 0,
    underOom: requiredKey(values, "under_oom", file) !== 0,
    oomKill: optionalKey(values, "oom_kill"),
  };
}

/** One device of a v1 blkio statistics file; values are bytes or I/O counts per the file. */
export interface BlkioDeviceStat {
  /** Device major number. */
  major: number;
  /** Device minor number. */
  minor: number;
  /** Read bytes or operations. */
  read: number;
  /** Written bytes or operations. */
  write: number;
  /** Synchronous bytes or operations; `null` when the line is absent. */
  sync: number | null;
  /** Asynchronous bytes or operations; `null` when the line is absent. */
  async: number | null;
  /** Discarded bytes or operations; `null` on kernels before 4.19. */
  discard: number | null;
  /** The device's total; `null` when the line is absent. */
  total: number | null;
}

/** A v1 blkio statistics file. */
export interface BlkioStat {
  /** One entry per device, in file order; empty when the kernel listed no device. */
  devices: BlkioDeviceStat[];
  /** The closing `Total <n>` line; `null` when absent. */
  total: number | null;
}

const BLKIO_OPS = ["Read", "Write", "Sync", "Async", "Discard", "Total"];

/**
 * Parse a v1 blkio statistics file in `<major>:<minor> <Op> <value>` form, closed by `Total <n>`:
 * `blkio.throttle.io_service_bytes[_recursive]`, `blkio.throttle.io_serviced[_recursive]` (and the
 * CFQ/BFQ `blkio.io_service_bytes`, `blkio.bfq.io_serviced`, … which share the format).
 *
 * Note (observed on Linux 6.18): the blk-throttle counters stay at a bare `Total 0` until some
 * cgroup has set a throttle limit on the device's queue; from then on all I/O is counted.
 *
 * @param text The file's text.
 * @param file Which file, for error messages.
 * @throws {SyntaxError} when a line is malformed or a device lacks its Read or Write line.
 */
export function parseBlkioStat(
  text: string,
  file = "blkio.throttle.io_service_bytes",
): BlkioStat {
  const byDevice = new Map<string, Record<string, number>>();
  let total: number | null = null;
  for (const line of nonBlankLines(text)) {
    const parts = fields(line);
    if (parts.length === 2 && parts[0] === "Total") {
      total = parseInteger(parts[1], file, "Total");
      continue;
    }
    if (parts.length !== 3 || !/^\d+:\d+$/.test(parts[0]) || !BLKIO_OPS.includes(parts[1])) {
      throw parseError(file, `line ${excerpt(line)} is not "<major>:<minor> <Op> <value>"`);
    }
    let ops = byDevice.get(parts[0]);
    if (ops === undefined) byDevice.set(parts[0], ops = {});
    ops[parts[1]] = parseInteger(parts[2], file, `${parts[0]} ${parts[1]}`);
  }
  const devices = [...byDevice].map(([device, ops]) => {
    const colon = device.indexOf(":");
    const major = parseInteger(device.slice(0, colon), file, "major");
    const minor = parseInteger(device.slice(colon + 1), file, "minor");
    if (ops.Read === undefined || ops.Write === undefined) {
      throw parseError(file, `device ${device} lacks its Read or Write line`);
    }
    return {
      major,
      minor,
      read: ops.Read,
      write: ops.Write,
      sync: ops.Sync ?? null,
      async: ops.Async ?? null,
      discard: ops.Discard ?? null,
      total: ops.Total ?? null,
    };
  });
  return { devices, total };
}
