/**
 * Factories for synthetic sweeps, for the monitor's unit tests: every record the readers would
 * return, with defaults that mean "unknown" (`null`) unless a test says otherwise, so that a test
 * states only the counters it is about.
 *
 * @module
 */

import type { CgroupStats } from "../reader/cgroup_stats.ts";
import type { DiscoveredContainer } from "../reader/discovery/containers.ts";
import type { ContainerMetadata } from "../reader/discovery/metadata.ts";
import type { FilesystemUse, HostIdentity, HostInterface, HostSample } from "../reader/host.ts";
import type { Loadavg } from "../reader/parse/proc_loadavg.ts";
import type { Meminfo } from "../reader/parse/proc_meminfo.ts";
import type { NetDevice } from "../reader/parse/proc_net_dev.ts";
import type { Socket } from "../reader/parse/proc_net_sockets.ts";
import type { PidIo } from "../reader/parse/proc_pid_io.ts";
import type { PidStatus } from "../reader/parse/proc_pid_status.ts";
import type { CpuTimes } from "../reader/parse/proc_stat.ts";
import type { Pressure } from "../reader/parse/pressure.ts";
import type { Namespaces, ProcessSample } from "../reader/process.ts";
import type { ContainerSnapshot, Snapshot } from "../reader/sweep.ts";
import type { Observation } from "./model.ts";

/** A fixed instant (2023-11-14T22:13:20Z) the synthetic sweeps count from, in ms since the epoch. */
export const T0 = 1_700_000_000_000;

/** One mebibyte. */
export const MiB = 1024 * 1024;

/** A 64-hex-digit container id made of one repeated character, e.g. `id("a")`. */
export function id(char: string): string {
  return char.repeat(64);
}

/** What a test may say about one process; everything else gets a neutral default. */
export interface ProcessInit {
  pid: number;
  comm?: string;
  state?: string;
  ppid?: number;
  utimeTicks?: number;
  stimeTicks?: number;
  /** Start time in ticks since boot; change it to simulate PID reuse. */
  startTimeTicks?: number;
  numThreads?: number;
  /** 0 makes a kernel thread (no mm). */
  vsizeBytes?: number;
  /** stat's RSS in bytes (pages × 4096). */
  rssBytes?: number;
  /** Sets `status` (with `uids`, `nsPids`, `vmRssBytes`, `vmSwapBytes`). */
  status?: Partial<PidStatus>;
  cmdline?: string[] | null;
  io?: Partial<PidIo> | null;
  fds?: number | null;
  pssBytes?: number | null;
  sockets?: Socket[] | null;
  namespaces?: Namespaces | null;
  /** `/proc/<pid>/cgroup` path, recorded as the unified (`0::`) line. */
  cgroupPath?: string | null;
  notes?: string[];
}

/** A process sample read at `timeMs`. */
export function processSample(init: ProcessInit, timeMs: number): ProcessSample {
  const rss = init.rssBytes ?? 4 * MiB;
  const status: PidStatus | null = init.status
    ? {
      name: init.comm ?? `proc${init.pid}`,
      state: init.state ?? "S",
      tgid: init.pid,
      pid: init.pid,
      ppid: init.ppid ?? 1,
      uids: [0, 0, 0, 0],
      gids: [0, 0, 0, 0],
      nsPids: [init.pid],
      nsTgids: [init.pid],
      threads: init.numThreads ?? 1,
      vmRssBytes: rss,
      vmSizeBytes: init.vsizeBytes ?? 64 * MiB,
      vmSwapBytes: 0,
      rssAnonBytes: null,
      rssFileBytes: null,
      rssShmemBytes: null,
      voluntaryCtxtSwitches: null,
      nonvoluntaryCtxtSwitches: null,
      ...init.status,
    }
    : null;
  return {
    pid: init.pid,
    timeMs,
    stat: {
      pid: init.pid,
      comm: init.comm ?? `proc${init.pid}`,
      state: init.state ?? "S",
      ppid: init.ppid ?? 1,
      pgrp: init.pid,
      session: init.pid,
      ttyNr: 0,
      minflt: 0,
      majflt: 0,
      utimeTicks: init.utimeTicks ?? 0,
      stimeTicks: init.stimeTicks ?? 0,
      cutimeTicks: 0,
      cstimeTicks: 0,
      priority: 20,
      nice: 0,
      numThreads: init.numThreads ?? 1,
      startTimeTicks: init.startTimeTicks ?? 1000,
      vsizeBytes: init.vsizeBytes ?? 64 * MiB,
      rssPages: Math.round(rss / 4096),
      processor: 0,
    },
    rssBytes: rss,
    status,
    cmdline: init.cmdline ?? null,
    io: init.io
      ? {
        rchar: 0,
        wchar: 0,
        syscr: 0,
        syscw: 0,
        readBytes: 0,
        writeBytes: 0,
        cancelledWriteBytes: 0,
        ...init.io,
      }
      : null,
    fds: init.fds ?? null,
    smaps: init.pssBytes == null ? null : {
      rss,
      pss: init.pssBytes,
      pssDirty: null,
      pssAnon: null,
      pssFile: null,
      pssShmem: null,
      sharedClean: 0,
      sharedDirty: 0,
      privateClean: 0,
      privateDirty: 0,
      referenced: 0,
      anonymous: 0,
      swap: 0,
      swapPss: 0,
      locked: 0,
    },
    cgroup: init.cgroupPath == null
      ? null
      : [{ hierarchyId: 0, controllers: [], path: init.cgroupPath, deleted: false }],
    sockets: init.sockets ?? null,
    namespaces: init.namespaces ?? null,
    notes: init.notes ?? [],
  };
}

/** What a test may say about a cgroup's statistics, per group. */
export interface StatsInit {
  version?: CgroupStats["version"];
  cpu?: Partial<CgroupStats["cpu"]>;
  memory?: Partial<CgroupStats["memory"]>;
  io?: Partial<CgroupStats["io"]>;
  pids?: Partial<CgroupStats["pids"]>;
  pressure?: Partial<CgroupStats["pressure"]>;
  errors?: string[];
}

/** Cgroup statistics with every value unknown (`null`) except those given. */
export function cgroupStats(init: StatsInit = {}): CgroupStats {
  return {
    version: init.version ?? "v2",
    cpu: {
      usageNs: null,
      userNs: null,
      systemNs: null,
      periods: null,
      throttledPeriods: null,
      throttledNs: null,
      quotaUs: null,
      periodUs: null,
      limitMillicores: null,
      shares: null,
      weight: null,
      ...init.cpu,
    },
    memory: {
      usageBytes: null,
      limitBytes: null,
      highBytes: null,
      workingSetBytes: null,
      anonBytes: null,
      fileBytes: null,
      kernelBytes: null,
      shmemBytes: null,
      swapBytes: null,
      swapLimitBytes: null,
      oomKills: null,
      failcnt: null,
      highEvents: null,
      maxEvents: null,
      oomEvents: null,
      maxUsageBytes: null,
      ...init.memory,
    },
    io: { readBytes: null, writeBytes: null, readOps: null, writeOps: null, ...init.io },
    pids: { current: null, limit: null, ...init.pids },
    pressure: { cpu: null, memory: null, io: null, ...init.pressure },
    errors: init.errors ?? [],
  };
}

/** Pressure with `some` (and optionally `full`) avg10 as given and avg60 = avg10 / 2. */
export function pressure(someAvg10: number, fullAvg10: number | null = null): Pressure {
  const line = (avg10: number) => ({ avg10, avg60: avg10 / 2, avg300: 0, totalUs: 0 });
  return { some: line(someAvg10), full: fullAvg10 === null ? null : line(fullAvg10) };
}

/** Interface counters. */
export function netDevice(
  name: string,
  rxBytes: number,
  txBytes: number,
  packets: { rx?: number; tx?: number } = {},
): NetDevice {
  return {
    name,
    rxBytes,
    rxPackets: packets.rx ?? 0,
    rxErrors: 0,
    rxDropped: 0,
    txBytes,
    txPackets: packets.tx ?? 0,
    txErrors: 0,
    txDropped: 0,
  };
}

/** What a test may say about one container. */
export interface ContainerInit {
  id: string;
  name?: string | null;
  runtime?: DiscoveredContainer["runtime"];
  pids?: number[];
  stats?: StatsInit;
  /** Interfaces of its network namespace; `null` (default `[]`) with a `networkNote`. */
  network?: NetDevice[] | null;
  networkNote?: string | null;
  hostVeths?: Record<string, string> | null;
  cgroupPath?: string;
  podName?: string | null;
  podNamespace?: string | null;
  podUid?: string | null;
  qosClass?: DiscoveredContainer["qosClass"];
  containerName?: string | null;
  sandbox?: boolean;
  metadata?: Partial<ContainerMetadata> | null;
}

/** A container at one sweep. */
export function containerSnapshot(init: ContainerInit): ContainerSnapshot {
  const path = init.cgroupPath ?? `/docker/${init.id}`;
  const runtime = init.runtime ?? "docker";
  return {
    container: {
      id: init.id,
      runtime,
      podUid: init.podUid ?? null,
      qosClass: init.qosClass ?? null,
      cgroupPaths: { unified: path, v1: {} },
      pids: [...(init.pids ?? [])].sort((a, b) => a - b),
      cgroupDirs: { unified: `/sys/fs/cgroup${path}`, v1: {} },
      name: init.name ?? null,
      podName: init.podName ?? null,
      podNamespace: init.podNamespace ?? null,
      containerName: init.containerName ?? null,
      sandbox: init.sandbox ?? false,
      metadata: init.metadata
        ? {
          id: init.id,
          name: init.name ?? null,
          runtime,
          image: null,
          state: null,
          podName: init.podName ?? null,
          podNamespace: init.podNamespace ?? null,
          podUid: init.podUid ?? null,
          containerName: init.containerName ?? null,
          qosClass: init.qosClass ?? null,
          labels: {},
          hostname: null,
          storagePath: null,
          sandbox: init.sandbox ?? false,
          startedAtMs: null,
          pid: init.pids?.[0] ?? null,
          exitCode: null,
          cgroupsPath: path,
          containerdNamespace: null,
          ...init.metadata,
        }
        : null,
    },
    stats: cgroupStats(init.stats),
    network: init.network === undefined ? [] : init.network,
    networkNote: init.networkNote ?? null,
    hostVeths: init.hostVeths ?? null,
  };
}

/** What a test may say about the host at one sweep. */
export interface HostInit {
  /** Ticks summed over all CPUs, per mode; missing modes are 0. `null` leaves /proc/stat unread. */
  cpu?: Partial<CpuTimes> | null;
  /** Online CPUs in /proc/stat (default 4). */
  cpuCount?: number;
  meminfo?: Partial<Meminfo> | null;
  loadavg?: Loadavg | null;
  pressure?: Partial<HostSample["pressure"]>;
  interfaces?: HostInterface[];
  disks?: HostSample["disks"];
  uptimeSeconds?: number | null;
  notes?: string[];
}

/** A host interface of `kind` with the given counters. */
export function hostInterface(
  name: string,
  kind: HostInterface["kind"],
  rxBytes: number,
  txBytes: number,
): HostInterface {
  return { ...netDevice(name, rxBytes, txBytes), kind, ifindex: null, iflink: null };
}

function cpuTimes(t: Partial<CpuTimes>): CpuTimes {
  return {
    user: 0,
    nice: 0,
    system: 0,
    idle: 0,
    iowait: 0,
    irq: 0,
    softirq: 0,
    steal: 0,
    guest: 0,
    guestNice: 0,
    ...t,
  };
}

/** The host's counters at `timeMs`. */
export function hostSample(init: HostInit, timeMs: number): HostSample {
  const cpus = init.cpuCount ?? 4;
  return {
    timeMs,
    uptimeSeconds: init.uptimeSeconds === undefined ? 3600 : init.uptimeSeconds,
    stat: init.cpu === null ? null : {
      cpu: cpuTimes(init.cpu ?? {}),
      cpus: Array.from({ length: cpus }, (_, cpu) => ({ ...cpuTimes({}), cpu })),
      ctxt: 0,
      btimeSeconds: 1_699_990_000,
      processes: 0,
      procsRunning: 1,
      procsBlocked: 0,
    },
    meminfo: init.meminfo === null ? null : {
      fields: {},
      memTotalBytes: null,
      memFreeBytes: null,
      memAvailableBytes: null,
      buffersBytes: null,
      cachedBytes: null,
      swapTotalBytes: null,
      swapFreeBytes: null,
      shmemBytes: null,
      sReclaimableBytes: null,
      ...init.meminfo,
    },
    loadavg: init.loadavg ?? null,
    pressure: { cpu: null, memory: null, io: null, ...init.pressure },
    interfaces: init.interfaces ?? [],
    disks: init.disks ?? [],
    notes: init.notes ?? [],
  };
}

/** What one synthetic sweep saw. */
export interface SnapshotInit {
  /** `null` for a sweep that did not read the host. */
  host?: HostInit | null;
  processes?: ProcessInit[];
  /** PIDs listed in procfs; default the number of `processes`. */
  processCount?: number;
  containers?: ContainerInit[];
}

/**
 * A sweep at `timeMs`: every process read at that instant, each container's PIDs mapped to it in
 * `processContainer`.
 */
export function snapshot(timeMs: number, init: SnapshotInit = {}): Snapshot {
  const containers = (init.containers ?? []).map(containerSnapshot);
  const processContainer = new Map<number, string>();
  for (const c of containers) {
    for (const pid of c.container.pids) processContainer.set(pid, c.container.id);
  }
  return {
    timeMs,
    host: init.host === null ? null : hostSample(init.host ?? {}, timeMs),
    processes: new Map((init.processes ?? []).map((p) => [p.pid, processSample(p, timeMs)])),
    processCount: init.processCount ?? init.processes?.length ?? 0,
    processContainer,
    carriedProcesses: 0,
    carriedStats: 0,
    containers: new Map(containers.map((c) => [c.container.id, c])),
    durationMs: 5,
  };
}

/** The identity used unless a test gives another. */
export const IDENTITY: HostIdentity = {
  hostname: "node-a",
  kernel: "6.1.0-18-amd64",
  os: "Debian GNU/Linux 12 (bookworm)",
  cpuCount: 4,
  bootTimeSeconds: 1_699_990_000,
};

/** Two sweeps and the host facts around them. */
export function observation(
  before: Snapshot,
  after: Snapshot,
  extra: {
    identity?: Partial<HostIdentity>;
    users?: Map<number, string>;
    filesystems?: FilesystemUse[];
  } = {},
): Observation {
  return {
    before,
    after,
    identity: { ...IDENTITY, ...extra.identity },
    filesystems: extra.filesystems ?? [],
    users: extra.users ?? new Map([[0, "root"], [1000, "alice"]]),
  };
}

/**
 * Two sweeps one `seconds` apart (default 1): `before` and `after` describe each sweep. The usual
 * way to build an observation in a test.
 */
export function pair(
  before: SnapshotInit,
  after: SnapshotInit,
  { seconds = 1, identity }: { seconds?: number; identity?: Partial<HostIdentity> } = {},
): Observation {
  return observation(snapshot(T0, before), snapshot(T0 + seconds * 1000, after), { identity });
}
