/**
 * One sweep of the node: every process, every container (with its cgroup statistics and its
 * network namespace's interfaces) and the host, read through one {@linkcode HandleFs} so that a
 * 1 Hz loop re-reads open handles. `fgm monitor` takes two sweeps an interval apart; `fgm collect`
 * takes one per tick. This is the one reader both share.
 *
 * @module
 */

import { DEFAULT_ROOTS, type Roots } from "./fs.ts";
import { createHandleFs, type HandleFs } from "./handle_fs.ts";
import { type CgroupLayout, layoutFromMounts, V2_HIERARCHY } from "./cgroup_layout.ts";
import {
  type CgroupLimits,
  type CgroupStats,
  limitsOf,
  type OptionalCgroupStat,
  readCgroupStats,
} from "./cgroup_stats.ts";
import type { CgroupMounts } from "./parse/cgroup_mounts.ts";
import { type NetDevice, parseNetDev } from "./parse/proc_net_dev.ts";
import { parseStatm } from "./parse/proc_pid_statm.ts";
import { parsePidStatus } from "./parse/proc_pid_status.ts";
import type { CgroupIdentity } from "./discovery/classify.ts";
import {
  type ContainerGroup,
  discoverContainers,
  type DiscoveredContainer,
  discoveryNamespaces,
  type GroupOptions,
  type ProcessContainer,
  readCgroupMounts,
  walkCgroupContainers,
} from "./discovery/containers.ts";
import {
  createProcessIdentityCache,
  type ProcessIdentityCache,
} from "./discovery/process_cache.ts";
import { createMetadataCache, type MetadataCache } from "./discovery/metadata.ts";
import {
  type HostCache,
  type HostIdentity,
  hostReferencePid,
  type HostSample,
  newHostCache,
  readHost,
  readHostIdentity,
} from "./host.ts";
import {
  listPids,
  type ProcessParts,
  type ProcessSample,
  readProcess,
  readProcessParts,
} from "./process.ts";
import type { PidIo } from "./parse/proc_pid_io.ts";
import { sampleClockMs } from "./clock.ts";

/** Everything a sweep needs that outlives one sweep. */
export interface ReaderContext {
  fs: HandleFs;
  roots: Roots;
  layout: CgroupLayout;
  mounts: CgroupMounts;
  pageSize: number;
  identity: HostIdentity;
  metadata: MetadataCache;
  /** Classification memo by cgroup path, kept across sweeps. */
  memo: Map<string, CgroupIdentity | null>;
  /** sysfs facts about interfaces and disks, kept across sweeps. */
  hostCache: HostCache;
  /** A PID in the host's initial namespaces (see `hostReferencePid`). */
  hostPid: number;
  /** The host's network namespace link, to tell host-network containers apart. */
  hostNetNs: string | null;
  /** Containers of processes, kept across sweeps (see {@linkcode SweepOptions.cacheProcessCgroups}). */
  identities: ProcessIdentityCache;
  /** The last cgroup walk (see {@linkcode SweepOptions.walkIntervalMs}), or `null`. */
  lastWalk: { atMs: number; groups: Map<string, ContainerGroup> } | null;
  /** Sweeps taken with this context. */
  sweeps: number;
  /** Each container's limits and the sweep that read them (see `SweepOptions.staticEverySweeps`). */
  limits: Map<string, { limits: CgroupLimits; sweep: number }>;
  /** Each container's network namespace link, the PID it was read through, and when. */
  netns: Map<string, { pid: number; link: string; sweep: number }>;
  /**
   * Each container's CPU and memory usage at the sweep that read them (see
   * `SweepOptions.carryIdle` and `SweepOptions.carryIdleStats`).
   */
  cpuUsage: Map<string, { usageNs: number | null; memoryBytes: number | null; sweep: number }>;
  /** The `io` and `fds` of containers' processes, as read or carried (see `carryIdle`). */
  carried: Map<number, CarriedParts>;
  /**
   * The processes of the previous sweep when it carried stats (see
   * `SweepOptions.carryIdleStats`), else `null`.
   */
  lastProcesses: Map<number, ProcessSample> | null;
  /** PIDs whose stat a sweep put off until their container's statistics are read. */
  deferred: Set<number>;
  /**
   * PIDs whose sample of the previous sweep was read or carried after their container's
   * counters: only those may be carried (see `SweepOptions.carryIdleStats`).
   */
  afterCounters: Set<number>;
  /** The same being filled by the current sweep. */
  afterCountersNext: Set<number>;
}

/** What {@linkcode SweepOptions.carryIdle} carries over for one process. */
interface CarriedParts {
  containerId: string;
  startTimeTicks: number;
  io: PidIo | null;
  fds: number | null;
  /** The sweep that read or carried these. */
  sweep: number;
}

/** Options of {@linkcode createReaderContext}. */
export interface ReaderContextOptions {
  roots?: Partial<Roots>;
  /** Most file handles kept open; default half the soft RLIMIT_NOFILE, at most 16 384. */
  maxHandles?: number;
  /**
   * Sweeps a file handle may go unread before it is closed (see `HandleFsOptions.idleSweeps`);
   * default 1. A 1 Hz collector with {@linkcode SweepOptions.cacheProcessCgroups} sets it above
   * {@linkcode PROCESS_CGROUP_RECHECK_SWEEPS}, so that re-checked cgroup files stay open.
   */
  handleIdleSweeps?: number;
}

/** Opens a reader: finds the cgroup mounts, the page size and the host's identity. */
export function createReaderContext(
  { roots: given = {}, maxHandles, handleIdleSweeps = 1 }: ReaderContextOptions = {},
): ReaderContext {
  const roots: Roots = { ...DEFAULT_ROOTS, ...given };
  const fs = createHandleFs({
    maxHandles: maxHandles ?? handleBudget(),
    idleSweeps: handleIdleSweeps,
  });
  if (fs.readText(`${roots.proc}/stat`) === null) {
    throw new Error(
      `Cannot read "${roots.proc}/stat": ${fs.lastFailure} (is ${roots.proc} a procfs?)`,
    );
  }
  // One read of mountinfo, with mount points moved under `roots.cgroup`, serves both the stats
  // layout and discovery, so `--cgroup-root` applies to both.
  const mounts = readCgroupMounts(fs, roots);
  if (mounts === null) {
    throw new Error(`Cannot read "${roots.proc}/self/mountinfo": ${fs.lastFailure ?? "error"}`);
  }
  const layout = layoutFromMounts(fs, mounts);
  const hostPid = hostReferencePid(fs, roots);
  return {
    fs,
    roots,
    layout,
    mounts,
    pageSize: detectPageSize(fs, roots),
    identity: readHostIdentity(fs, roots),
    metadata: createMetadataCache(fs, roots),
    memo: new Map(),
    hostCache: newHostCache(),
    hostPid,
    hostNetNs: fs.readLink(`${roots.proc}/${hostPid}/ns/net`),
    identities: createProcessIdentityCache({ recheckSweeps: PROCESS_CGROUP_RECHECK_SWEEPS }),
    lastWalk: null,
    sweeps: 0,
    limits: new Map(),
    netns: new Map(),
    cpuUsage: new Map(),
    carried: new Map(),
    lastProcesses: null,
    deferred: new Set(),
    afterCounters: new Set(),
    afterCountersNext: new Set(),
  };
}

/**
 * With {@linkcode SweepOptions.cacheProcessCgroups}, the cgroup file of a process whose start
 * time and comm are unchanged is re-read once every this many sweeps.
 */
export const PROCESS_CGROUP_RECHECK_SWEEPS = 10;

/** Half our own soft RLIMIT_NOFILE (from /proc/self/limits: ours, whatever the roots). */
function handleBudget(): number {
  let text = "";
  try {
    text = Deno.readTextFileSync("/proc/self/limits");
  } catch { /* not Linux procfs: use the default */ }
  const m = text.match(/^Max open files\s+(\d+|unlimited)/m);
  const soft = m === null || m[1] === "unlimited" ? 4096 : Number(m[1]);
  return Math.max(64, Math.min(16384, Math.floor(soft / 2)));
}

/** The page size from our own statm (pages) against status VmRSS (kB); 4096 when unsure. */
export function detectPageSize(fs: HandleFs, roots: Roots): number {
  const statm = fs.readText(`${roots.proc}/self/statm`);
  const status = fs.readText(`${roots.proc}/self/status`);
  if (statm === null || status === null) return 4096;
  const pages = parseStatm(statm).resident;
  const bytes = parsePidStatus(status).vmRssBytes;
  if (!pages || !bytes) return 4096;
  const ratio = bytes / pages;
  for (const size of [4096, 16384, 65536]) if (Math.abs(ratio - size) / size < 0.25) return size;
  return 4096;
}

/** One container at one sweep. */
export interface ContainerSnapshot {
  container: DiscoveredContainer;
  stats: CgroupStats;
  /**
   * Interfaces of the container's network namespace (loopback left out), or `null` when it has
   * no process to enter it through or shares the host's network namespace.
   */
  network: NetDevice[] | null;
  /** Why `network` is null. */
  networkNote: string | null;
  /**
   * Host-side veth of each container interface, by the container's interface name (read when
   * {@linkcode SweepOptions.vethPeers} is set), else `null`.
   */
  hostVeths: Record<string, string> | null;
}

/** A whole node at one instant. */
export interface Snapshot {
  /** Milliseconds since the epoch at the start of the sweep. */
  timeMs: number;
  host: HostSample | null;
  processes: Map<number, ProcessSample>;
  /**
   * PIDs in procfs at this sweep; more than `processes.size` when settled processes outside
   * containers were not read (see {@linkcode SweepOptions.uncontainedProcesses}).
   */
  processCount: number;
  /** Container id of each containerised PID. */
  processContainer: Map<number, string>;
  /**
   * Containers' processes whose `io` and `fds` were carried over from the previous sweep, not
   * read (see {@linkcode SweepOptions.carryIdle}).
   */
  carriedProcesses: number;
  /**
   * Containers' processes whose whole sample (stat included) was carried over from the previous
   * sweep, not read (see {@linkcode SweepOptions.carryIdleStats}).
   */
  carriedStats: number;
  containers: Map<string, ContainerSnapshot>;
  /** Sweep duration in milliseconds. */
  durationMs: number;
}

/** Options of {@linkcode sweep}. */
export interface SweepOptions {
  /** Parts read for every process (stat is always read). */
  processParts?: ProcessParts;
  /** Extra parts for some PIDs (`monitor process <pid>`). */
  detail?: { pids: ReadonlySet<number>; parts: ProcessParts };
  /**
   * Extra parts for the processes of containers, read after the containers' cgroup statistics
   * (parts already read through `processParts` or `detail` are not read twice). Default none.
   */
  containerProcessParts?: ProcessParts;
  /**
   * With {@linkcode containerProcessParts}, a process's `io` and `fds` are carried over from the
   * previous sweep instead of read when its container used no CPU in between (the cgroup's CPU
   * usage counter — ns on v1, µs on v2 — did not move) and it is the same process (PID, start
   * time) in the same container. Exact: a process that did not run did no I/O and opened or
   * closed no file, and reading them after the usage counter makes the carried values current
   * as of this sweep. (The RSS of a process that did not run can still shrink under reclaim, so
   * stat is read every sweep unless {@linkcode carryIdleStats} carries it.) Default `false`.
   */
  carryIdle?: boolean;
  /**
   * With {@linkcode cacheProcessCgroups}, a process remembered in a container has its stat read
   * after its container's cgroup statistics instead of in the PID loop, and its whole sample
   * (stat, RSS, `io` and `fds`) carried over from the previous sweep when the container neither
   * ran (CPU usage counter unmoved) nor gained or lost memory (memory usage unmoved) in between,
   * and that sample was itself read or carried after the container's counters. A process that
   * did not run changed no CPU time, thread count, size or state, and kept its PID; the memory
   * check covers reclaim of its pages. Not carried: a process last seen running (`R`), a zombie,
   * one with a part it could not read, `detail` PIDs, and each process at its staggered re-check
   * (once every {@linkcode PROCESS_CGROUP_RECHECK_SWEEPS} sweeps) and the sweep after it, when it
   * is read and its cgroup file re-checked. What the two counters cannot show — a page charged to
   * another cgroup and reclaimed from there, a thread in another v1 cgroup, a move to another
   * cgroup without an exec, a parent outside the container exiting (`ppid`) — is that many sweeps
   * late at most. Off whatever this says when `processParts` asks for more than `io` and `fds`
   * (PSS, sockets and the rest can change without the process running). Default `false`.
   */
  carryIdleStats?: boolean;
  /** Walk the cgroup trees for containers without processes (costs a directory walk). */
  walkCgroups?: boolean;
  /**
   * With `walkCgroups`, walk at most once per this many milliseconds and in between reuse the
   * last walk, dropping the containers without processes whose cgroup is gone (one
   * `cgroup.procs` read each). Containers with processes are found every sweep whatever this
   * is; one created without processes shows up within this time. 0 (default) walks every sweep.
   */
  walkIntervalMs?: number;
  /**
   * Keep each process's container across sweeps and re-read its `/proc/<pid>/cgroup` only when
   * the PID is new, its start time or comm changed (PID reuse, exec), or once every
   * {@linkcode PROCESS_CGROUP_RECHECK_SWEEPS} sweeps (a move without exec). Default `false`:
   * read every process's cgroup file every sweep.
   */
  cacheProcessCgroups?: boolean;
  /**
   * Read processes outside containers (default `true`). With `false` and
   * {@linkcode cacheProcessCgroups}, a process known to be outside containers for a whole
   * re-check period is not read at all except at its staggered re-check (see
   * `ProcessIdentityCache.settledOutside`), and is missing from {@linkcode Snapshot.processes}:
   * for a collector that records only containerised processes.
   */
  uncontainedProcesses?: boolean;
  /**
   * Facts that change only when someone changes them — a container's limits (CPU quota and
   * period, memory limit, pids limit) and its network namespace — are read once every this many
   * sweeps and carried over in between (a changed limit shows up that many sweeps late at most).
   * Default 1: read every sweep.
   */
  staticEverySweeps?: number;
  /** Cgroup statistics not to read (their fields stay `null`); default none. */
  cgroupSkip?: ReadonlySet<OptionalCgroupStat>;
  host?: boolean;
  containers?: boolean;
  /** Find the host-side veth of container interfaces (needs `host`). */
  vethPeers?: boolean;
}

/** Reads the node once. Processes and containers that vanish mid-sweep are left out. */
export function sweep(
  ctx: ReaderContext,
  {
    processParts = {},
    detail,
    containerProcessParts = NO_PARTS,
    carryIdle = false,
    carryIdleStats = false,
    walkCgroups = true,
    walkIntervalMs = 0,
    cacheProcessCgroups = false,
    uncontainedProcesses = true,
    staticEverySweeps = 1,
    cgroupSkip,
    host = true,
    containers = true,
    vethPeers = false,
  }: SweepOptions = {},
): Snapshot {
  const { fs, roots } = ctx;
  const start = performance.now();
  const timeMs = performance.timeOrigin + start; // the samples' clock (clock.ts)
  const processes = new Map<number, ProcessSample>();
  let carriedProcesses = 0;
  let carriedStats = 0;
  const cgroupTexts: [number, string][] = [];
  const identified: [number, ProcessContainer][] = [];
  const groupOptions = { containerdNamespaces: discoveryNamespaces(ctx.metadata), memo: ctx.memo };
  const detailParts = detail ? { ...processParts, ...detail.parts } : processParts;
  const plan = planContainerParts(containerProcessParts, processParts, detail, carryIdle);
  const skipSettled = !uncontainedProcesses && cacheProcessCgroups && containers;
  const carryStats = carryIdleStats && cacheProcessCgroups && containers &&
    onlyCarriableParts(processParts);
  const last = carryStats ? ctx.lastProcesses : null;
  const deferred = ctx.deferred;
  deferred.clear();
  ctx.afterCountersNext.clear();
  const dropped: number[] = [];
  const pids = listPids(fs, roots);
  for (const pid of pids) {
    if (skipSettled && ctx.identities.settledOutside(pid)) continue;
    if (last !== null) {
      const before = last.get(pid);
      if (before !== undefined && deferrable(before) && !detail?.pids.has(pid)) {
        const found = ctx.identities.remembered(pid, groupOptions);
        if (found !== null) {
          // Placeholder, so that the map keeps PID order; replaced (or deleted) once the
          // container's statistics are read.
          processes.set(pid, before);
          identified.push([pid, found]);
          deferred.add(pid);
          continue;
        }
      }
    }
    const parts = detail?.pids.has(pid) ? detailParts : processParts;
    const sample = readProcess(fs, roots, pid, parts, ctx.pageSize);
    if (sample === null) continue;
    processes.set(pid, sample);
    if (!containers) continue;
    if (cacheProcessCgroups) {
      const found = ctx.identities.identify(
        pid,
        sample.stat,
        () => fs.readText(`${roots.proc}/${pid}/cgroup`),
        groupOptions,
      );
      if (found !== null) identified.push([pid, found]);
    } else {
      const text = fs.readText(`${roots.proc}/${pid}/cgroup`);
      if (text !== null) cgroupTexts.push([pid, text]);
    }
  }
  const processContainer = new Map<number, string>();
  const containerMap = new Map<string, ContainerSnapshot>();
  if (containers) {
    let walked: Map<string, ContainerGroup> | undefined;
    if (walkCgroups && walkIntervalMs > 0 && ctx.mounts !== null) {
      if (ctx.lastWalk === null || timeMs - ctx.lastWalk.atMs >= walkIntervalMs) {
        ctx.lastWalk = {
          atMs: timeMs,
          groups: walkCgroupContainers(fs, ctx.mounts, { ...groupOptions, hierarchies: "primary" }),
        };
      }
      walked = ctx.lastWalk.groups;
    }
    const found = discoverContainers(fs, roots, {
      metadata: ctx.metadata,
      mounts: ctx.mounts,
      ...(cacheProcessCgroups ? { identified } : { cgroupTexts }),
      walkCgroups,
      walked,
      memo: ctx.memo,
      containerdNamespaces: groupOptions.containerdNamespaces,
    });
    for (const container of found) {
      for (const pid of container.pids) processContainer.set(pid, container.id);
      const paths = container.cgroupPaths;
      const relPath = paths.unified ?? paths.v1.memory ?? paths.v1.cpu ??
        Object.values(paths.v1)[0];
      if (relPath === undefined) continue;
      const controllerPaths: Record<string, string> = { ...paths.v1 };
      if (paths.unified !== null) controllerPaths[V2_HIERARCHY] = paths.unified;
      const known = ctx.limits.get(container.id);
      const fresh = known === undefined || ctx.sweeps - known.sweep >= staticEverySweeps;
      const stats = readCgroupStats(fs, ctx.layout, relPath, {
        controllerPaths,
        skip: cgroupSkip,
        limits: fresh ? null : known.limits,
      });
      if (fresh) ctx.limits.set(container.id, { limits: limitsOf(stats), sweep: ctx.sweeps });
      containerMap.set(container.id, {
        container,
        stats,
        ...readNetwork(ctx, container, staticEverySweeps),
        hostVeths: null,
      });
      const idle = containerIdle(ctx, container.id, stats);
      if (deferred.size > 0) {
        carriedStats += resolveDeferred(ctx, container.pids, idle.still, processes, {
          parts: processParts,
          groupOptions,
          containerId: container.id,
          dropped,
        });
      }
      carriedProcesses += readContainerProcessParts(ctx, container, idle.ran, processes, plan);
    }
    // Deferred processes of containers left out above (no cgroup path, gone): read them now.
    if (deferred.size > 0) {
      resolveDeferred(ctx, [...deferred], false, processes, {
        parts: processParts,
        groupOptions,
        containerId: null,
        dropped,
      });
    }
    // Exited, or its PID reused by a process outside this container: not listed in it.
    for (const pid of dropped) processContainer.delete(pid);
    ctx.metadata.prune(containerMap.keys());
    for (const map of [ctx.limits, ctx.netns, ctx.cpuUsage]) {
      for (const id of map.keys()) if (!containerMap.has(id)) map.delete(id);
    }
    ctx.carried.forEach((entry, pid) => {
      if (entry.sweep !== ctx.sweeps) ctx.carried.delete(pid);
    });
  }
  if (cacheProcessCgroups && containers) ctx.identities.endSweep();
  ctx.lastProcesses = carryStats ? processes : null;
  [ctx.afterCounters, ctx.afterCountersNext] = [ctx.afterCountersNext, ctx.afterCounters];
  const hostSample = host ? readHost(fs, roots, ctx.hostPid, ctx.hostCache) : null;
  if (vethPeers && hostSample !== null) {
    const byIndex = new Map(hostSample.interfaces.map((i) => [i.ifindex, i.name]));
    for (const snap of containerMap.values()) snap.hostVeths = findHostVeths(ctx, snap, byIndex);
  }
  fs.endSweep();
  ctx.sweeps++;
  return {
    timeMs,
    host: hostSample,
    processes,
    processCount: pids.length,
    processContainer,
    carriedProcesses,
    carriedStats,
    containers: containerMap,
    durationMs: performance.now() - start,
  };
}

const NO_PARTS: ProcessParts = {};

/** The parts of `parts` that `done` does not have. */
function without(parts: ProcessParts, done: ProcessParts): ProcessParts {
  const out: ProcessParts = {};
  for (const key of Object.keys(parts) as (keyof ProcessParts)[]) {
    if (parts[key] && !done[key]) out[key] = true;
  }
  return out;
}

/** The parts one process of a container still needs, worked out once per sweep. */
interface PartsToRead {
  parts: ProcessParts;
  /** Whether `io` or `fds` is among them: values read after the usage counter can be carried. */
  carries: boolean;
  /** `parts` without `io` and `fds`, or `null` when nothing else is left. */
  rest: ProcessParts | null;
}

/** What {@linkcode readContainerProcessParts} reads for plain and `detail` PIDs. */
interface ContainerPartsPlan {
  plain: PartsToRead;
  /** For `detail` PIDs, whose detail parts were read already. */
  detail: PartsToRead;
  detailPids: ReadonlySet<number> | null;
  carryIdle: boolean;
}

function partsToRead(parts: ProcessParts): PartsToRead {
  const rest = without(parts, { io: true, fds: true });
  return {
    parts,
    carries: parts.io === true || parts.fds === true,
    rest: Object.keys(rest).length > 0 ? rest : null,
  };
}

function planContainerParts(
  containerParts: ProcessParts,
  processParts: ProcessParts,
  detail: SweepOptions["detail"],
  carryIdle: boolean,
): ContainerPartsPlan | null {
  const parts = without(containerParts, processParts);
  if (Object.keys(parts).length === 0) return null;
  return {
    plain: partsToRead(parts),
    detail: partsToRead(detail ? without(parts, detail.parts) : parts),
    detailPids: detail?.pids ?? null,
    carryIdle,
  };
}

/**
 * Whether container `id` ran since the previous sweep (`ran`: its CPU usage counter moved, or
 * is unknown), and whether it neither ran nor saw its memory usage move (`still`); records both
 * counters for the next sweep.
 */
function containerIdle(
  ctx: ReaderContext,
  id: string,
  stats: CgroupStats,
): { ran: boolean; still: boolean } {
  const usageNs = stats.cpu.usageNs;
  const memoryBytes = stats.memory.usageBytes;
  const before = ctx.cpuUsage.get(id);
  ctx.cpuUsage.set(id, { usageNs, memoryBytes, sweep: ctx.sweeps });
  const idle = usageNs !== null && before !== undefined && before.sweep === ctx.sweeps - 1 &&
    before.usageNs === usageNs;
  return {
    ran: !idle,
    still: idle && memoryBytes !== null && before.memoryBytes === memoryBytes,
  };
}

/**
 * Whether a process's last sample allows putting off its next read (see
 * `SweepOptions.carryIdleStats`): not when it was running (`R`), nor a zombie or dead (`Z`, `X`:
 * reaped by a parent outside the container, its PID can be reused without the container running),
 * nor when a part could not be read (its note would be repeated on every carry).
 */
function deferrable(before: ProcessSample): boolean {
  const state = before.stat.state;
  return state !== "R" && state !== "Z" && state !== "X" && before.notes.length === 0;
}

/** Whether every part in `parts` is one a process that did not run cannot change (io, fds). */
function onlyCarriableParts(parts: ProcessParts): boolean {
  for (const key of Object.keys(parts) as (keyof ProcessParts)[]) {
    if (parts[key] && key !== "io" && key !== "fds") return false;
  }
  return true;
}

/**
 * Resolves the deferred PIDs among `pids` (see `SweepOptions.carryIdleStats`): when `still` and
 * the previous sample was itself taken after the container's counters, carries it (the
 * placeholder in `processes`) into a new sample of this sweep; otherwise reads the process now
 * and passes its stat to the identity cache as the PID loop would have. A process that exited, or
 * whose PID now belongs to a process outside `o.containerId`, is left out and added to
 * `o.dropped`. Returns how many were carried.
 */
function resolveDeferred(
  ctx: ReaderContext,
  pids: readonly number[],
  still: boolean,
  processes: Map<number, ProcessSample>,
  o: {
    parts: ProcessParts;
    groupOptions: GroupOptions;
    /** The container whose counters were just read, or `null` (none: read them all). */
    containerId: string | null;
    dropped: number[];
  },
): number {
  const { fs, roots, deferred } = ctx;
  let carried = 0;
  for (const pid of pids) {
    if (!deferred.delete(pid)) continue;
    const before = processes.get(pid)!;
    if (still && ctx.afterCounters.has(pid)) {
      processes.set(pid, { ...before, timeMs: sampleClockMs(), smaps: null, notes: [] });
      ctx.afterCountersNext.add(pid);
      carried++;
      continue;
    }
    const sample = readProcess(fs, roots, pid, o.parts, ctx.pageSize);
    if (sample === null) {
      processes.delete(pid);
      o.dropped.push(pid);
      continue;
    }
    // The container it is listed in came from the memo: re-classify it from this stat (an exec
    // or a reused PID re-reads its cgroup file).
    const found = ctx.identities.identify(
      pid,
      sample.stat,
      () => fs.readText(`${roots.proc}/${pid}/cgroup`),
      o.groupOptions,
    );
    if (
      sample.stat.startTimeTicks !== before.stat.startTimeTicks &&
      found?.identity.id !== o.containerId
    ) {
      // Another process now has this PID, elsewhere: seen there from the next sweep on.
      processes.delete(pid);
      o.dropped.push(pid);
      continue;
    }
    processes.set(pid, sample);
    if (o.containerId !== null) ctx.afterCountersNext.add(pid);
  }
  return carried;
}

/**
 * Reads the parts `plan` names for the processes of one container (see
 * `SweepOptions.containerProcessParts`), carrying `io` and `fds` over where `carryIdle` allows
 * and the container did not run (`ran` false). Returns how many processes were carried.
 */
function readContainerProcessParts(
  ctx: ReaderContext,
  container: DiscoveredContainer,
  ran: boolean,
  processes: Map<number, ProcessSample>,
  plan: ContainerPartsPlan | null,
): number {
  if (plan === null) return 0;
  const idle = plan.carryIdle && !ran;
  let carried = 0;
  for (const pid of container.pids) {
    const sample = processes.get(pid);
    if (sample === undefined) continue;
    const { parts, carries, rest } = plan.detailPids?.has(pid) ? plan.detail : plan.plain;
    // Only values read after the usage counter (here, not in the PID loop) may be carried.
    const known = idle && carries ? ctx.carried.get(pid) : undefined;
    if (
      known !== undefined && known.sweep === ctx.sweeps - 1 &&
      known.containerId === container.id &&
      known.startTimeTicks === sample.stat.startTimeTicks &&
      (!parts.io || known.io !== null) && (!parts.fds || known.fds !== null)
    ) {
      if (parts.io) sample.io = known.io;
      if (parts.fds) sample.fds = known.fds;
      if (rest !== null) readProcessParts(ctx.fs, ctx.roots, sample, rest);
      carried++;
    } else {
      readProcessParts(ctx.fs, ctx.roots, sample, parts);
    }
    if (carries) remember(ctx, pid, container.id, sample);
  }
  return carried;
}

/** Records the `io` and `fds` of `sample` for the next sweep's {@linkcode readContainerProcessParts}. */
function remember(ctx: ReaderContext, pid: number, containerId: string, sample: ProcessSample) {
  const entry = ctx.carried.get(pid);
  if (entry === undefined) {
    ctx.carried.set(pid, {
      containerId,
      startTimeTicks: sample.stat.startTimeTicks,
      io: sample.io,
      fds: sample.fds,
      sweep: ctx.sweeps,
    });
    return;
  }
  entry.containerId = containerId;
  entry.startTimeTicks = sample.stat.startTimeTicks;
  entry.io = sample.io;
  entry.fds = sample.fds;
  entry.sweep = ctx.sweeps;
}

function readNetwork(
  ctx: ReaderContext,
  container: DiscoveredContainer,
  everySweeps: number,
): { network: NetDevice[] | null; networkNote: string | null } {
  const { fs, roots } = ctx;
  for (const pid of container.pids) {
    // A process keeps its network namespace (short of setns/unshare): the link read through the
    // same PID a few sweeps ago still holds while the PID is in the container.
    const known = ctx.netns.get(container.id);
    let ns: string | null;
    if (known !== undefined && known.pid === pid && ctx.sweeps - known.sweep < everySweeps) {
      ns = known.link;
    } else {
      ns = fs.readLink(`${roots.proc}/${pid}/ns/net`);
      if (ns !== null) ctx.netns.set(container.id, { pid, link: ns, sweep: ctx.sweeps });
    }
    if (ns === null) continue;
    if (ns === ctx.hostNetNs) return { network: null, networkNote: "host network namespace" };
    const text = fs.readText(`${roots.proc}/${pid}/net/dev`);
    if (text === null) continue;
    return { network: parseNetDev(text).filter((d) => d.name !== "lo"), networkNote: null };
  }
  return { network: null, networkNote: "no process to read its network namespace through" };
}

/**
 * Maps each interface of a container to the host interface at the other end of its veth pair:
 * the container's `iflink` (read through its own sysfs at /proc/<pid>/root/sys) is the host
 * peer's ifindex.
 */
function findHostVeths(
  ctx: ReaderContext,
  snap: ContainerSnapshot,
  hostByIndex: Map<number | null, string>,
): Record<string, string> | null {
  const pid = snap.container.pids[0];
  if (pid === undefined || snap.network === null) return null;
  const out: Record<string, string> = {};
  for (const device of snap.network) {
    const text = ctx.fs.readText(
      `${ctx.roots.proc}/${pid}/root/sys/class/net/${device.name}/iflink`,
    );
    const peer = text === null ? undefined : hostByIndex.get(Number(text.trim()));
    if (peer !== undefined) out[device.name] = peer;
  }
  return out;
}
