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
import { listPids, type ProcessParts, type ProcessSample, readProcess } from "./process.ts";

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
  const timeMs = performance.timeOrigin + start;
  const processes = new Map<number, ProcessSample>();
  const cgroupTexts: [number, string][] = [];
  const identified: [number, ProcessContainer][] = [];
  const groupOptions = { containerdNamespaces: discoveryNamespaces(ctx.metadata), memo: ctx.memo };
  const detailParts = detail ? { ...processParts, ...detail.parts } : processParts;
  const skipSettled = !uncontainedProcesses && cacheProcessCgroups && containers;
  const pids = listPids(fs, roots);
  for (const pid of pids) {
    if (skipSettled && ctx.identities.settledOutside(pid)) continue;
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
  if (cacheProcessCgroups && containers) ctx.identities.endSweep();
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
    }
    ctx.metadata.prune(containerMap.keys());
    for (const map of [ctx.limits, ctx.netns]) {
      for (const id of map.keys()) if (!containerMap.has(id)) map.delete(id);
    }
  }
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
    containers: containerMap,
    durationMs: performance.now() - start,
  };
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
