/**
 * One reader for the resource statistics of a cgroup on cgroup v1, v2, or a v1 host with a v2
 * mirror, returning the same record on all three.
 *
 * Sources per layout:
 * - v1: limits and throttling from the `cpu` hierarchy, CPU usage from the `cpuacct` hierarchy
 *   (these are often SEPARATE mounts), memory from `memory`, I/O from `blkio`
 *   (`blkio.throttle.*_recursive`), task counts from `pids`; where a cgroup2 hierarchy mirrors the
 *   tree (hybrid hosts), pressure (PSI) from the mirror.
 * - v2: everything from the cgroup's directory in the unified hierarchy.
 *
 * Every value the kernel does not give is `null`, never 0. Files that are missing (no such
 * controller, older kernel, cgroup gone) give `null` silently; files that exist but cannot be read
 * or parsed give `null` and an entry in {@linkcode CgroupStats.errors}.
 *
 * Reaches: cgroup files, through an `Fs`; the parsing is in `parse/`.
 *
 * @module
 */

import { type Fs, type ParseFailure, readParsed } from "./fs.ts";
import {
  cgroupDir,
  type CgroupLayout,
  type CgroupPathMemo,
  type CgroupVersion,
  DIRECT_CGROUP_PATHS,
  V2_HIERARCHY,
} from "./cgroup_layout.ts";
import type { PidCgroupEntry } from "./parse/proc_pid_cgroup.ts";
import { parsePressure, type Pressure } from "./parse/pressure.ts";
import {
  type BlkioStat,
  parseBlkioStat,
  parseCfsPeriodUs,
  parseCfsQuotaUs,
  parseCpuacctStat,
  parseCpuacctUsage,
  parseCpuShares,
  parseV1CpuStat,
  parseV1MemoryCounter,
  parseV1MemoryLimit,
  parseV1MemoryStat,
  parseV1OomControl,
} from "./parse/cgroup_v1.ts";
import {
  parseCpuMax,
  parseCpuWeight,
  parseIoStat,
  parseMemoryEvents,
  parseV2CpuStat,
  parseV2MemoryBytes,
  parseV2MemoryLimit,
  parseV2MemoryStat,
} from "./parse/cgroup_v2.ts";
import { parsePidsCurrent, parsePidsMax } from "./parse/cgroup_util.ts";

export { cgroupDir, V2_HIERARCHY };
export type { CgroupLayout, CgroupVersion };

/** USER_HZ: the unit of `cpuacct.stat` (and /proc tick counts) on every mainstream kernel. */
export const USER_HZ = 100;

const NS_PER_TICK = 1e9 / USER_HZ;
const NS_PER_US = 1000;

/** CPU statistics of a cgroup. */
export interface CgroupCpuStats {
  /** CPU time used by the cgroup and its descendants, in ns. */
  usageNs: number | null;
  /** User-mode CPU time in ns (v1 from `cpuacct.usage_user`, else ticks × 10 ms). */
  userNs: number | null;
  /** Kernel-mode CPU time in ns (v1 from `cpuacct.usage_sys`, else ticks × 10 ms). */
  systemNs: number | null;
  /** CFS bandwidth periods elapsed (counted only while a quota is set). */
  periods: number | null;
  /** Periods in which the cgroup was throttled. */
  throttledPeriods: number | null;
  /** Total time throttled, in ns. */
  throttledNs: number | null;
  /** CPU quota per period in µs; `null` when unlimited or unknown (then `limitMillicores` too). */
  quotaUs: number | null;
  /** CFS period in µs; `null` when unknown. */
  periodUs: number | null;
  /**
   * CPU limit in millicores (quota / period × 1000, e.g. 20000/100000 → 200); `null` when there
   * is no quota (unlimited: `periodUs` is then known) or the files cannot be read.
   */
  limitMillicores: number | null;
  /** v1 `cpu.shares` (default 1024); `null` on v2. */
  shares: number | null;
  /** v2 `cpu.weight` (default 100); `null` on v1. */
  weight: number | null;
}

/** Memory statistics of a cgroup, in bytes (the `*Events` and `oomKills` are counts). Hierarchical. */
export interface CgroupMemoryStats {
  /** Charged memory: v1 `memory.usage_in_bytes`, v2 `memory.current`. */
  usageBytes: number | null;
  /** Hard limit; `null` when unlimited (v2 `max`, v1 ≥ 2^62) or unknown. */
  limitBytes: number | null;
  /** v2 `memory.high` throttling threshold; `null` when `max`, unknown, or on v1 (no such knob). */
  highBytes: number | null;
  /**
   * Kubelet's working set: usage − inactive file pages (v1 `total_inactive_file`, v2
   * `inactive_file`), floored at 0; `null` when either is unknown.
   */
  workingSetBytes: number | null;
  /** Anonymous memory: v1 `total_rss`, v2 `anon`. */
  anonBytes: number | null;
  /** Page cache (includes shmem): v1 `total_cache`, v2 `file`. */
  fileBytes: number | null;
  /**
   * Kernel memory: v1 `memory.kmem.usage_in_bytes`, v2 `memory.stat` `kernel` (Linux 5.18+;
   * `null` before).
   */
  kernelBytes: number | null;
  /** Shared memory and tmpfs: v1 `total_shmem`, v2 `shmem`. */
  shmemBytes: number | null;
  /**
   * Swap used: v1 `total_swap` (only with swap accounting) else memsw − usage, v2
   * `memory.swap.current`.
   */
  swapBytes: number | null;
  /**
   * Swap limit: v2 `memory.swap.max`; v1 memsw limit − memory limit. `null` when unlimited or
   * unknown.
   */
  swapLimitBytes: number | null;
  /** Processes killed by the OOM killer (v1 `oom_control` `oom_kill`, v2 `memory.events`). */
  oomKills: number | null;
  /** v1 `memory.failcnt` (times usage hit the limit); `null` on v2, which has no such counter. */
  failcnt: number | null;
  /**
   * Times usage went over `memory.high` and was throttled into reclaim, since the cgroup was
   * created: v2 `memory.events` `high`; `null` on v1, which has no `memory.high`.
   */
  highEvents: number | null;
  /**
   * Times usage hit the memory limit and the kernel reclaimed (or went to OOM) to stay under it:
   * v2 `memory.events` `max`, v1 `memory.failcnt` (`null` when `memory.failcnt` is skipped).
   */
  maxEvents: number | null;
  /**
   * Times an allocation failed at the limit and the OOM killer was invoked (whether or not it
   * killed): v2 `memory.events` `oom`; `null` on v1, which keeps no such count.
   */
  oomEvents: number | null;
  /** Peak usage: v1 `memory.max_usage_in_bytes`, v2 `memory.peak` (Linux 5.19+). */
  maxUsageBytes: number | null;
}

/** Block I/O of a cgroup, summed over devices. */
export interface CgroupIoStats {
  /** Bytes read. */
  readBytes: number | null;
  /** Bytes written. */
  writeBytes: number | null;
  /** Read operations. */
  readOps: number | null;
  /** Write operations. */
  writeOps: number | null;
}

/** Task counts of a cgroup (pids controller). */
export interface CgroupPidsStats {
  /** Tasks (threads) in the cgroup and its descendants. */
  current: number | null;
  /** Task limit; `null` when `max` (unlimited) or unknown. */
  limit: number | null;
}

/** Pressure stall information of a cgroup (cgroup2 only, Linux 4.20+ with PSI enabled). */
export interface CgroupPressureStats {
  /** `cpu.pressure`. */
  cpu: Pressure | null;
  /** `memory.pressure`. */
  memory: Pressure | null;
  /** `io.pressure`. */
  io: Pressure | null;
}

/** Everything {@linkcode readCgroupStats} returns for one cgroup. */
export interface CgroupStats {
  /** The machine's layout the values were read from. */
  version: CgroupVersion;
  /** CPU. */
  cpu: CgroupCpuStats;
  /** Memory. */
  memory: CgroupMemoryStats;
  /** Block I/O. */
  io: CgroupIoStats;
  /** Tasks. */
  pids: CgroupPidsStats;
  /** Pressure stall information. */
  pressure: CgroupPressureStats;
  /**
   * Files that exist but could not be read (`<path>: permission denied`) or parsed (the parser's
   * message); empty normally. Missing files are not errors.
   */
  errors: string[];
}

/**
 * Statistics {@linkcode readCgroupStats} can leave out to read fewer files; a skipped field is
 * `null` (not read, whatever the kernel has):
 * - `cpu.shares`: v1 `cpu.shares` → `cpu.shares`;
 * - `cpu.weight`: v2 `cpu.weight` → `cpu.weight`;
 * - `memory.high`: v2 `memory.high` → `memory.highBytes`;
 * - `memory.kernel`: v1 `memory.kmem.usage_in_bytes` → `memory.kernelBytes` (v2 reads it from
 *   `memory.stat` anyway, so it is kept there);
 * - `memory.swapLimit`: v1 `memory.memsw.limit_in_bytes` (and `memory.memsw.usage_in_bytes`
 *   when `memory.stat` has `total_swap`), v2 `memory.swap.max` → `memory.swapLimitBytes`;
 * - `memory.failcnt`: v1 `memory.failcnt` → `memory.failcnt` and `memory.maxEvents`;
 * - `memory.maxUsage`: v1 `memory.max_usage_in_bytes`, v2 `memory.peak` →
 *   `memory.maxUsageBytes`;
 * - `io.ops`: v1 `blkio.throttle.io_serviced[_recursive]` → `io.readOps`, `io.writeOps` (v2
 *   reads them from `io.stat` anyway, so they are kept there).
 */
export type OptionalCgroupStat =
  | "cpu.shares"
  | "cpu.weight"
  | "memory.high"
  | "memory.kernel"
  | "memory.swapLimit"
  | "memory.failcnt"
  | "memory.maxUsage"
  | "io.ops";

/**
 * The limits of a cgroup, which change only when someone sets them: a reader that samples often
 * can read them less often and pass the last values (see {@linkcode ReadCgroupStatsOptions.limits}).
 */
export interface CgroupLimits {
  /** {@linkcode CgroupCpuStats.quotaUs}. */
  quotaUs: number | null;
  /** {@linkcode CgroupCpuStats.periodUs}. */
  periodUs: number | null;
  /** {@linkcode CgroupMemoryStats.limitBytes}. */
  memoryLimitBytes: number | null;
  /** {@linkcode CgroupPidsStats.limit}. */
  pidsLimit: number | null;
}

/** The limits in `stats`, to pass to a later {@linkcode readCgroupStats}. */
export function limitsOf(stats: CgroupStats): CgroupLimits {
  return {
    quotaUs: stats.cpu.quotaUs,
    periodUs: stats.cpu.periodUs,
    memoryLimitBytes: stats.memory.limitBytes,
    pidsLimit: stats.pids.limit,
  };
}

/** Options of {@linkcode readCgroupStats}. */
export interface ReadCgroupStatsOptions {
  /**
   * Limits read before: their files (v1 `cpu.cfs_quota_us`, `cpu.cfs_period_us`,
   * `memory.limit_in_bytes`, `pids.max`; v2 `cpu.max`, `memory.max`, `pids.max`) are not read and
   * these values are returned instead. Default: read them.
   */
  limits?: CgroupLimits | null;
  /** Statistics not to read (see {@linkcode OptionalCgroupStat}); default none. */
  skip?: ReadonlySet<OptionalCgroupStat>;
  /**
   * Per-hierarchy cgroup paths that differ from `relPath`, keyed by v1 controller (`cpu`,
   * `cpuacct`, `memory`, `blkio`, `pids`) or {@linkcode V2_HIERARCHY} (`""`) for the cgroup2
   * hierarchy — e.g. from {@linkcode controllerPaths}. A process's v1 and v2 paths can differ.
   */
  controllerPaths?: Record<string, string>;
  /**
   * Where the cgroup's directories and file paths are remembered across calls (the reader
   * context's); default none.
   */
  paths?: CgroupPathMemo;
}

/**
 * The per-hierarchy paths of a process, from its parsed /proc/<pid>/cgroup, in the form
 * {@linkcode ReadCgroupStatsOptions.controllerPaths} takes: every v1 controller of every line, and
 * `""` for the `0::` cgroup2 line.
 */
export function controllerPaths(entries: readonly PidCgroupEntry[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    if (entry.hierarchyId === 0) out[V2_HIERARCHY] = entry.path;
    else for (const controller of entry.controllers) out[controller] = entry.path;
  }
  return out;
}

/**
 * The path of one interface file of a cgroup, for callers that keep handles open.
 *
 * @param layout The machine's layout.
 * @param controller The v1 controller or v2 controller the file belongs to, or
 *   {@linkcode V2_HIERARCHY} (`""`) for files of the cgroup2 hierarchy itself (`cpu.pressure`…).
 * @param relPath Cgroup path as in /proc/<pid>/cgroup, e.g. `/docker/<id>`.
 * @param file Interface file name, e.g. `cpu.stat`.
 * @returns The absolute path, or `null` when the controller is not mounted or the cgroup lies
 *   outside the mounted subtree.
 */
export function cgroupFilePath(
  layout: CgroupLayout,
  controller: string,
  relPath: string,
  file: string,
): string | null {
  const dir = cgroupDir(layout, controller, relPath);
  return dir === null ? null : `${dir === "/" ? "" : dir}/${file}`;
}

/** Reads and parses files of one directory, collecting errors; `null` directory → all `null`. */
class DirReader {
  constructor(
    private readonly fs: Fs,
    private readonly dir: string | null,
    private readonly errors: string[],
    private readonly paths: CgroupPathMemo,
  ) {}

  read<T>(file: string, parse: (text: string) => T): T | null {
    if (this.dir === null) return null;
    return readParsed(this.fs, this.paths.file(this.dir, file), parse, this.#failed);
  }

  /** A missing file is no error (no such controller, older kernel, cgroup gone). */
  readonly #failed = (failure: ParseFailure, path: string): void => {
    if (failure.stage === "parse") this.errors.push(`${path}: ${failure.why}`);
    else if (failure.why !== "missing") this.errors.push(`${path}: ${failure.why ?? "error"}`);
  };
}

const NOTHING: ReadonlySet<OptionalCgroupStat> = new Set();

/** Whether an optional statistic is to be read. */
type Want = (stat: OptionalCgroupStat) => boolean;

const times = (value: number | null | undefined, factor: number): number | null =>
  value === null || value === undefined ? null : value * factor;

const minus = (a: number | null, b: number | null | undefined): number | null =>
  a === null || b === null || b === undefined ? null : Math.max(0, a - b);

function millicores(quotaUs: number | null, periodUs: number | null): number | null {
  return quotaUs === null || periodUs === null || periodUs <= 0
    ? null
    : (quotaUs / periodUs) * 1000;
}

/**
 * Read the statistics of one cgroup.
 *
 * @param fs Where to read.
 * @param layout The machine's layout (`detectCgroupLayout()` or `buildCgroupLayout()`).
 * @param relPath Cgroup path as in /proc/<pid>/cgroup, e.g. `/docker/<id>` or
 *   `/kubepods.slice/…/cri-containerd-<id>.scope`; used for every hierarchy not overridden in
 *   `options.controllerPaths`.
 * @param options Per-hierarchy path overrides.
 * @returns The statistics; fields the kernel does not provide are `null`. Never throws for
 *   missing or malformed files (see {@linkcode CgroupStats.errors}).
 */
export function readCgroupStats(
  fs: Fs,
  layout: CgroupLayout,
  relPath: string,
  {
    controllerPaths = {},
    skip = NOTHING,
    limits = null,
    paths = DIRECT_CGROUP_PATHS,
  }: ReadCgroupStatsOptions = {},
): CgroupStats {
  const errors: string[] = [];
  const want = (stat: OptionalCgroupStat) => !skip.has(stat);
  const pathOf = (hierarchy: string) => controllerPaths[hierarchy] ?? relPath;
  const v2 = new DirReader(
    fs,
    layout.v2 === null ? null : cgroupDir(layout, V2_HIERARCHY, pathOf(V2_HIERARCHY), paths),
    errors,
    paths,
  );
  const v1 = (controller: string) => {
    const mount = layout.v1[controller];
    return mount === undefined
      ? null
      : new DirReader(fs, cgroupDir(layout, controller, pathOf(controller), paths), errors, paths);
  };

  const cpuV1 = v1("cpu");
  const cpuacctV1 = v1("cpuacct");
  const memoryV1 = v1("memory");
  const blkioV1 = v1("blkio");
  const pidsV1 = v1("pids");

  return {
    version: layout.version,
    cpu: cpuV1 !== null || cpuacctV1 !== null
      ? readCpuV1(cpuV1, cpuacctV1, v2, want, limits)
      : readCpuV2(v2, want, limits),
    memory: memoryV1 !== null
      ? readMemoryV1(memoryV1, want, limits)
      : readMemoryV2(v2, want, limits),
    io: blkioV1 !== null ? readIoV1(blkioV1, want) : readIoV2(v2),
    pids: readPids(pidsV1 ?? v2, limits),
    pressure: {
      cpu: v2.read("cpu.pressure", parsePressure),
      memory: v2.read("memory.pressure", parsePressure),
      io: v2.read("io.pressure", parsePressure),
    },
    errors,
  };
}

/**
 * v1 CPU: bandwidth from the cpu hierarchy; usage from the cgroup2 mirror's `cpu.stat` where the
 * cgroup has one (hybrid hosts), else from cpuacct.
 *
 * The mirror's one file holds usage, user and system time, and the kernel scales its tick-sampled
 * user/system split so that the two add up to the usage (`cputime_adjust()`), as on a v2 host and
 * in `/proc/<pid>/stat`. cpuacct needs three files for the same, and its `usage_user` and
 * `usage_sys` are raw tick samples that need not add up to `cpuacct.usage` (REQ-RDR-214).
 */
function readCpuV1(
  cpu: DirReader | null,
  cpuacct: DirReader | null,
  v2: DirReader,
  want: Want,
  limits: CgroupLimits | null,
): CgroupCpuStats {
  const quotaUs = limits ? limits.quotaUs : cpu?.read("cpu.cfs_quota_us", parseCfsQuotaUs) ?? null;
  const periodUs = limits
    ? limits.periodUs
    : cpu?.read("cpu.cfs_period_us", parseCfsPeriodUs) ?? null;
  const stat = cpu?.read("cpu.stat", parseV1CpuStat) ?? null;
  let usageNs: number | null;
  let userNs: number | null;
  let systemNs: number | null;
  const usage = v2.read("cpu.stat", parseV2CpuStat);
  if (usage !== null || cpuacct === null) {
    usageNs = times(usage?.usageUsec, NS_PER_US);
    userNs = times(usage?.userUsec, NS_PER_US);
    systemNs = times(usage?.systemUsec, NS_PER_US);
  } else {
    const ns = (file: string) => cpuacct.read(file, (t) => parseCpuacctUsage(t, file));
    usageNs = ns("cpuacct.usage");
    userNs = ns("cpuacct.usage_user");
    systemNs = ns("cpuacct.usage_sys");
    if (userNs === null || systemNs === null) {
      // Kernels before 4.7 have only the tick counts.
      const ticks = cpuacct.read("cpuacct.stat", parseCpuacctStat);
      userNs ??= times(ticks?.userTicks, NS_PER_TICK);
      systemNs ??= times(ticks?.systemTicks, NS_PER_TICK);
    }
  }
  return {
    usageNs,
    userNs,
    systemNs,
    periods: stat?.nrPeriods ?? null,
    throttledPeriods: stat?.nrThrottled ?? null,
    throttledNs: stat?.throttledTimeNs ?? null,
    quotaUs: periodUs === null ? null : quotaUs,
    periodUs,
    limitMillicores: millicores(quotaUs, periodUs),
    shares: want("cpu.shares") ? cpu?.read("cpu.shares", parseCpuShares) ?? null : null,
    weight: null,
  };
}

function readCpuV2(dir: DirReader, want: Want, limits: CgroupLimits | null): CgroupCpuStats {
  const stat = dir.read("cpu.stat", parseV2CpuStat);
  const max = limits ? { quotaUs: limits.quotaUs, periodUs: limits.periodUs } : dir.read(
    "cpu.max",
    parseCpuMax,
  );
  return {
    usageNs: times(stat?.usageUsec, NS_PER_US),
    userNs: times(stat?.userUsec, NS_PER_US),
    systemNs: times(stat?.systemUsec, NS_PER_US),
    periods: stat?.nrPeriods ?? null,
    throttledPeriods: stat?.nrThrottled ?? null,
    throttledNs: times(stat?.throttledUsec, NS_PER_US),
    quotaUs: max?.quotaUs ?? null,
    periodUs: max?.periodUs ?? null,
    limitMillicores: millicores(max?.quotaUs ?? null, max?.periodUs ?? null),
    shares: null,
    weight: want("cpu.weight") ? dir.read("cpu.weight", parseCpuWeight) : null,
  };
}

/** The v1 `memory.stat` keys {@linkcode readMemoryV1} uses: hierarchical `total_*` and local. */
const V1_MEMORY_STAT_KEYS = ["swap", "inactive_file", "rss", "cache", "shmem"].flatMap((k) => [
  `total_${k}`,
  k,
]);

/** The v2 `memory.stat` keys {@linkcode readMemoryV2} uses. */
const V2_MEMORY_STAT_KEYS = ["inactive_file", "anon", "file", "kernel", "shmem"];

function readMemoryV1(
  dir: DirReader,
  want: Want,
  limits: CgroupLimits | null,
): CgroupMemoryStats {
  const counter = (file: string) => dir.read(file, (t) => parseV1MemoryCounter(t, file));
  const limit = (file: string) => dir.read(file, (t) => parseV1MemoryLimit(t, file));
  const usageBytes = counter("memory.usage_in_bytes");
  const limitBytes = limits ? limits.memoryLimitBytes : limit("memory.limit_in_bytes");
  const stat = dir.read("memory.stat", (t) => parseV1MemoryStat(t, V1_MEMORY_STAT_KEYS));
  // Hierarchical total_* keys first (cover descendants, like v2), the local key otherwise.
  const key = (name: string) => stat?.[`total_${name}`] ?? stat?.[name] ?? null;
  let swapBytes = key("swap");
  let swapLimitBytes: number | null = null;
  if (swapBytes === null || want("memory.swapLimit")) {
    const memswUsage = counter("memory.memsw.usage_in_bytes");
    if (swapBytes === null) swapBytes = minus(memswUsage, usageBytes);
    if (memswUsage !== null && want("memory.swapLimit")) {
      swapLimitBytes = minus(limit("memory.memsw.limit_in_bytes"), limitBytes);
    }
  }
  const failcnt = want("memory.failcnt") ? counter("memory.failcnt") : null;
  return {
    usageBytes,
    limitBytes,
    highBytes: null,
    workingSetBytes: minus(usageBytes, key("inactive_file")),
    anonBytes: key("rss"),
    fileBytes: key("cache"),
    kernelBytes: want("memory.kernel") ? counter("memory.kmem.usage_in_bytes") : null,
    shmemBytes: key("shmem"),
    swapBytes,
    swapLimitBytes,
    oomKills: dir.read("memory.oom_control", parseV1OomControl)?.oomKill ?? null,
    failcnt,
    highEvents: null,
    maxEvents: failcnt,
    oomEvents: null,
    maxUsageBytes: want("memory.maxUsage") ? counter("memory.max_usage_in_bytes") : null,
  };
}

function readMemoryV2(
  dir: DirReader,
  want: Want,
  limits: CgroupLimits | null,
): CgroupMemoryStats {
  const bytes = (file: string) => dir.read(file, (t) => parseV2MemoryBytes(t, file));
  const limit = (file: string) => dir.read(file, (t) => parseV2MemoryLimit(t, file));
  const usageBytes = bytes("memory.current");
  const stat = dir.read("memory.stat", (t) => parseV2MemoryStat(t, V2_MEMORY_STAT_KEYS));
  const key = (name: string) => stat?.[name] ?? null;
  const events = dir.read("memory.events", parseMemoryEvents);
  return {
    usageBytes,
    limitBytes: limits ? limits.memoryLimitBytes : limit("memory.max"),
    highBytes: want("memory.high") ? limit("memory.high") : null,
    workingSetBytes: minus(usageBytes, key("inactive_file")),
    anonBytes: key("anon"),
    fileBytes: key("file"),
    kernelBytes: key("kernel"),
    shmemBytes: key("shmem"),
    swapBytes: bytes("memory.swap.current"),
    swapLimitBytes: want("memory.swapLimit") ? limit("memory.swap.max") : null,
    oomKills: events?.oomKill ?? null,
    failcnt: null,
    highEvents: events?.high ?? null,
    maxEvents: events?.max ?? null,
    oomEvents: events?.oom ?? null,
    maxUsageBytes: want("memory.maxUsage") ? bytes("memory.peak") : null,
  };
}

/**
 * v1 I/O from the blk-throttle counters (recursive variant first). A file that lists no device
 * gives `null`: v1 cannot tell "no I/O" from "not counted" (see `parseBlkioStat()`).
 */
function readIoV1(dir: DirReader, want: Want): CgroupIoStats {
  const read = (name: string) => {
    const recursive = `${name}_recursive`;
    return dir.read(recursive, (t) => parseBlkioStat(t, recursive)) ??
      dir.read(name, (t) => parseBlkioStat(t, name));
  };
  const sum = (stat: BlkioStat | null, op: "read" | "write") =>
    stat === null || stat.devices.length === 0
      ? null
      : stat.devices.reduce((total, device) => total + device[op], 0);
  const bytes = read("blkio.throttle.io_service_bytes");
  const ops = want("io.ops") ? read("blkio.throttle.io_serviced") : null;
  return {
    readBytes: sum(bytes, "read"),
    writeBytes: sum(bytes, "write"),
    readOps: sum(ops, "read"),
    writeOps: sum(ops, "write"),
  };
}

/** v2 I/O from `io.stat`; an empty file is zero I/O (v2 always counts, and lists active devices). */
function readIoV2(dir: DirReader): CgroupIoStats {
  const devices = dir.read("io.stat", parseIoStat);
  const sum = (key: "readBytes" | "writeBytes" | "readOps" | "writeOps") =>
    devices === null ? null : devices.reduce((total, device) => total + device[key], 0);
  return {
    readBytes: sum("readBytes"),
    writeBytes: sum("writeBytes"),
    readOps: sum("readOps"),
    writeOps: sum("writeOps"),
  };
}

function readPids(dir: DirReader, limits: CgroupLimits | null): CgroupPidsStats {
  return {
    current: dir.read("pids.current", parsePidsCurrent),
    limit: limits ? limits.pidsLimit : dir.read("pids.max", parsePidsMax),
  };
}
