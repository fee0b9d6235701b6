/**
 * One sweep of the node: every process, every container (with its cgroup statistics and its
 * network namespace's interfaces) and the host, read through one {@linkcode HandleFs} so that a
 * 1 Hz loop re-reads open handles. `fgm monitor` takes two sweeps an interval apart; `fgm collect`
 * takes one per tick. This is the one reader both share.
 *
 * Reaches: /proc, /sys and cgroup files, through the context's `HandleFs`.
 *
 * @module
 */

import { DEFAULT_ROOTS, type Roots } from "./fs.ts";
import { createHandleFs, type HandleFs } from "./handle_fs.ts";
import {
  type CgroupLayout,
  type CgroupPathMemo,
  createCgroupPathMemo,
  layoutFromMounts,
  V2_HIERARCHY,
} from "./cgroup_layout.ts";
import { type CgroupLimits, type CgroupStats, limitsOf, readCgroupStats } from "./cgroup_stats.ts";
import type { CgroupMounts } from "./parse/cgroup_mounts.ts";
import { type NetDevice, parseNetDev } from "./parse/proc_net_dev.ts";
import { parseStatm } from "./parse/proc_pid_statm.ts";
import { parsePidStatus } from "./parse/proc_pid_status.ts";
import type { CgroupIdentity } from "./discovery/classify.ts";
import {
  type CgroupWalk,
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
import {
  type CarriedParts,
  type ContainerActivity,
  containerActivity,
  type CountersAt,
  mayDefer,
  partsDecision,
  statsDecision,
} from "./carry.ts";
import {
  type ContainerPartsPlan,
  planSweep,
  type SweepOptions,
  type SweepPlan,
} from "./sweep_plan.ts";

export type { SweepOptions, SweepPlan };
export { collectSweep, monitorSweep, planSweep } from "./sweep_plan.ts";

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
  /** Cgroup directories and file paths, remembered across sweeps. */
  paths: CgroupPathMemo;
  /** The last cgroup walk (see {@linkcode SweepOptions.walkIntervalMs}), or `null`. */
  lastWalk: CgroupWalk | null;
  /** Sweeps taken with this context. */
  sweeps: number;
  /**
   * What the sweeps remember of each container, dropped with the container: its limits, its
   * network namespace, its counters and its processes' `io` and `fds`.
   */
  containerMemory: Map<string, ContainerMemory>;
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

/** What the sweeps remember of one container (see {@linkcode ReaderContext.containerMemory}). */
export interface ContainerMemory {
  /** Its limits and the sweep that read them (see `SweepOptions.staticEverySweeps`). */
  limits: { limits: CgroupLimits; sweep: number } | null;
  /** Its network namespace link, the PID it was read through, and when. */
  netns: { pid: number; link: string; sweep: number } | null;
  /** Its CPU and memory usage at the sweep that read them (`carry.ts`). */
  counters: CountersAt | null;
  /** Its processes' `io` and `fds` as read or carried (see `SweepOptions.carryIdle`). */
  carried: Map<number, CarriedParts<PidIo>>;
  /** The last sweep that saw the container. */
  seen: number;
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
    paths: createCgroupPathMemo(),
    lastWalk: null,
    sweeps: 0,
    containerMemory: new Map(),
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

/**
 * Reads the node once. Processes and containers that vanish mid-sweep are left out. `options` is
 * resolved by {@linkcode planSweep} (a loop passes a plan resolved once: {@linkcode collectSweep},
 * {@linkcode monitorSweep}).
 *
 * @throws {TypeError} when `options` mean nothing as given (see {@linkcode planSweep}).
 */
export function sweep(ctx: ReaderContext, options: SweepOptions | SweepPlan = {}): Snapshot {
  const plan = planSweep(options);
  const { processParts, detail, detailParts, containers, cacheProcessCgroups } = plan;
  const { fs, roots } = ctx;
  const start = performance.now();
  const timeMs = performance.timeOrigin + start; // the samples' clock (clock.ts)
  const processes = new Map<number, ProcessSample>();
  let carriedProcesses = 0;
  let carriedStats = 0;
  const cgroupTexts: [number, string][] = [];
  const identified: [number, ProcessContainer][] = [];
  const groupOptions = { containerdNamespaces: discoveryNamespaces(ctx.metadata), memo: ctx.memo };
  const last = plan.carryStats ? ctx.lastProcesses : null;
  const deferred = ctx.deferred;
  deferred.clear();
  ctx.afterCountersNext.clear();
  const dropped: number[] = [];
  const pids = listPids(fs, roots);
  for (const pid of pids) {
    if (plan.skipSettledOutside && ctx.identities.settledOutside(pid)) continue;
    if (last !== null) {
      const before = last.get(pid);
      if (
        before !== undefined &&
        mayDefer({ state: before.stat.state, notes: before.notes.length }) &&
        !detail?.pids.has(pid)
      ) {
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
    let walked: CgroupWalk | undefined;
    if (plan.walkCgroups && plan.walkIntervalMs > 0 && ctx.mounts !== null) {
      if (ctx.lastWalk === null || timeMs - ctx.lastWalk.atMs >= plan.walkIntervalMs) {
        ctx.lastWalk = walkCgroupContainers(fs, ctx.mounts, {
          ...groupOptions,
          hierarchies: "primary",
          atMs: timeMs,
        });
      }
      walked = ctx.lastWalk;
    }
    const found = discoverContainers(fs, roots, {
      metadata: ctx.metadata,
      mounts: ctx.mounts,
      ...(cacheProcessCgroups ? { identified } : { cgroupTexts }),
      walkCgroups: plan.walkCgroups,
      walked,
      memo: ctx.memo,
      containerdNamespaces: groupOptions.containerdNamespaces,
      paths: ctx.paths,
    });
    for (const container of found) {
      for (const pid of container.pids) processContainer.set(pid, container.id);
      const paths = container.cgroupPaths;
      const relPath = paths.unified ?? paths.v1.memory ?? paths.v1.cpu ??
        Object.values(paths.v1)[0];
      if (relPath === undefined) continue;
      const controllerPaths: Record<string, string> = { ...paths.v1 };
      if (paths.unified !== null) controllerPaths[V2_HIERARCHY] = paths.unified;
      const memory = memoryOf(ctx, container.id);
      const known = memory.limits;
      const fresh = known === null || ctx.sweeps - known.sweep >= plan.staticEverySweeps;
      const stats = readCgroupStats(fs, ctx.layout, relPath, {
        controllerPaths,
        skip: plan.cgroupSkip,
        limits: fresh ? null : known.limits,
        paths: ctx.paths,
      });
      if (fresh) memory.limits = { limits: limitsOf(stats), sweep: ctx.sweeps };
      containerMap.set(container.id, {
        container,
        stats,
        ...readNetwork(ctx, container, memory, plan.staticEverySweeps),
        hostVeths: null,
      });
      const activity = observeCounters(memory, stats, ctx.sweeps);
      if (deferred.size > 0) {
        carriedStats += resolveDeferred(ctx, container.pids, activity, processes, {
          parts: processParts,
          groupOptions,
          containerId: container.id,
          dropped,
        });
      }
      carriedProcesses += readContainerProcessParts(
        ctx,
        container,
        memory,
        activity,
        processes,
        plan.containerParts,
      );
    }
    // Deferred processes of containers left out above (no cgroup path, gone): read them now.
    if (deferred.size > 0) {
      resolveDeferred(ctx, [...deferred], NOT_STILL, processes, {
        parts: processParts,
        groupOptions,
        containerId: null,
        dropped,
      });
    }
    // Exited, or its PID reused by a process outside this container: not listed in it.
    for (const pid of dropped) processContainer.delete(pid);
    ctx.metadata.prune(containerMap.keys());
    // One memory per container, dropped with it; of its processes, those this sweep saw.
    ctx.containerMemory.forEach((memory, id) => {
      if (memory.seen !== ctx.sweeps) ctx.containerMemory.delete(id);
      else {
        memory.carried.forEach((entry, pid) => {
          if (entry.sweep !== ctx.sweeps) memory.carried.delete(pid);
        });
      }
    });
  }
  if (cacheProcessCgroups && containers) ctx.identities.endSweep();
  ctx.lastProcesses = plan.carryStats ? processes : null;
  [ctx.afterCounters, ctx.afterCountersNext] = [ctx.afterCountersNext, ctx.afterCounters];
  const hostSample = plan.host ? readHost(fs, roots, ctx.hostPid, ctx.hostCache) : null;
  if (plan.vethPeers && hostSample !== null) {
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

/** The memory of container `id`, made at its first sweep; marks it seen at this sweep. */
function memoryOf(ctx: ReaderContext, id: string): ContainerMemory {
  let memory = ctx.containerMemory.get(id);
  if (memory === undefined) {
    memory = { limits: null, netns: null, counters: null, carried: new Map(), seen: ctx.sweeps };
    ctx.containerMemory.set(id, memory);
  }
  memory.seen = ctx.sweeps;
  return memory;
}

/** What the container did since the previous sweep (`carry.ts`); remembers its counters. */
function observeCounters(
  memory: ContainerMemory,
  stats: CgroupStats,
  sweep: number,
): ContainerActivity {
  const now = { usageNs: stats.cpu.usageNs, memoryBytes: stats.memory.usageBytes };
  const activity = containerActivity(memory.counters ?? undefined, now, sweep);
  if (memory.counters === null) memory.counters = { ...now, sweep };
  else {
    memory.counters.usageNs = now.usageNs;
    memory.counters.memoryBytes = now.memoryBytes;
    memory.counters.sweep = sweep;
  }
  return activity;
}

/** The activity of a container whose counters were not read: nothing carries. */
const NOT_STILL: ContainerActivity = { ran: true, still: false };

/**
 * Resolves the deferred PIDs among `pids` (see `SweepOptions.carryIdleStats`): where
 * {@linkcode statsDecision} says so, carries the previous sample (the placeholder in `processes`)
 * into a new sample of this sweep; otherwise reads the process now and passes its stat to the
 * identity cache as the PID loop would have. A process that exited, or whose PID now belongs to a
 * process outside `o.containerId`, is left out and added to `o.dropped`. Returns how many were
 * carried.
 */
function resolveDeferred(
  ctx: ReaderContext,
  pids: readonly number[],
  activity: ContainerActivity,
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
    if (statsDecision(activity, ctx.afterCounters.has(pid)) === "carry") {
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
 * and {@linkcode partsDecision} says so. Returns how many processes were carried.
 */
function readContainerProcessParts(
  ctx: ReaderContext,
  container: DiscoveredContainer,
  memory: ContainerMemory,
  activity: ContainerActivity,
  processes: Map<number, ProcessSample>,
  plan: ContainerPartsPlan | null,
): number {
  if (plan === null) return 0;
  let carried = 0;
  for (const pid of container.pids) {
    const sample = processes.get(pid);
    if (sample === undefined) continue;
    const { parts, carries, rest } = plan.detailPids?.has(pid) ? plan.detail : plan.plain;
    // Only values read after the usage counter (here, not in the PID loop) may be carried.
    const known = plan.carryIdle && carries ? memory.carried.get(pid) : undefined;
    const decision = known === undefined ? "read" : partsDecision(known, activity, {
      sweep: ctx.sweeps,
      startTimeTicks: sample.stat.startTimeTicks,
      io: parts.io === true,
      fds: parts.fds === true,
    });
    if (decision === "carry") {
      if (parts.io) sample.io = known!.io;
      if (parts.fds) sample.fds = known!.fds;
      if (rest !== null) readProcessParts(ctx.fs, ctx.roots, sample, rest);
      carried++;
    } else {
      readProcessParts(ctx.fs, ctx.roots, sample, parts);
    }
    if (carries) remember(memory, pid, sample, ctx.sweeps);
  }
  return carried;
}

/** Records the `io` and `fds` of `sample` for the next sweep's {@linkcode readContainerProcessParts}. */
function remember(memory: ContainerMemory, pid: number, sample: ProcessSample, sweep: number) {
  const entry = memory.carried.get(pid);
  if (entry === undefined) {
    memory.carried.set(pid, {
      startTimeTicks: sample.stat.startTimeTicks,
      io: sample.io,
      fds: sample.fds,
      sweep,
    });
    return;
  }
  entry.startTimeTicks = sample.stat.startTimeTicks;
  entry.io = sample.io;
  entry.fds = sample.fds;
  entry.sweep = sweep;
}

function readNetwork(
  ctx: ReaderContext,
  container: DiscoveredContainer,
  memory: ContainerMemory,
  everySweeps: number,
): { network: NetDevice[] | null; networkNote: string | null } {
  const { fs, roots } = ctx;
  for (const pid of container.pids) {
    // A process keeps its network namespace (short of setns/unshare): the link read through the
    // same PID a few sweeps ago still holds while the PID is in the container.
    const known = memory.netns;
    let ns: string | null;
    if (known !== null && known.pid === pid && ctx.sweeps - known.sweep < everySweeps) {
      ns = known.link;
    } else {
      ns = fs.readLink(`${roots.proc}/${pid}/ns/net`);
      if (ns !== null) memory.netns = { pid, link: ns, sweep: ctx.sweeps };
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
