/**
 * The documents `fgm monitor` prints, built from two sweeps an interval apart. Pure: snapshots
 * in, plain JSON-ready objects out (documented field by field in specs/monitor.md). Unknown values
 * are `null`; the `notes` arrays say why.
 *
 * @module
 */

import type { HostIdentity } from "../reader/host.ts";
import { type FilesystemUse, hostCpuUse } from "../reader/host.ts";
import type { Pressure } from "../reader/parse/pressure.ts";
import type { ContainerSnapshot, Snapshot } from "../reader/sweep.ts";
import type { Namespaces, ProcessSample } from "../reader/process.ts";
import { processCpuMillicores, USER_HZ } from "../reader/process.ts";
import { containerRates, counterDelta, perSecond } from "../reader/rates.ts";

/** Two sweeps and what is known of the host besides. */
export interface Observation {
  before: Snapshot;
  after: Snapshot;
  identity: HostIdentity;
  filesystems: FilesystemUse[];
  /** User names by uid (from /etc/passwd), for display. */
  users: Map<number, string>;
}

/** Pressure stall averages of one resource, in percent of wall time. */
export interface PressureView {
  someAvg10: number;
  someAvg60: number;
  fullAvg10: number | null;
  fullAvg60: number | null;
}

function pressureView(p: Pressure | null | undefined): PressureView | null {
  if (!p) return null;
  return {
    someAvg10: p.some.avg10,
    someAvg60: p.some.avg60,
    fullAvg10: p.full?.avg10 ?? null,
    fullAvg60: p.full?.avg60 ?? null,
  };
}

function seconds(o: Observation): number {
  return (o.after.timeMs - o.before.timeMs) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Process

/** One socket of a process. */
export interface SocketView {
  protocol: string;
  local: string;
  remote: string;
  state: string;
}

/** `monitor process <pid>`. */
export interface ProcessView {
  pid: number;
  /** The PID as the process sees it inside its own PID namespace. */
  nsPid: number | null;
  ppid: number;
  name: string;
  cmdline: string | null;
  state: string;
  uid: number | null;
  user: string | null;
  threads: number;
  startedAtMs: number | null;
  cpuTimeSeconds: number;
  cpuMillicores: number | null;
  cpuUserMillicores: number | null;
  cpuSystemMillicores: number | null;
  /** Of one core, as top shows it. */
  cpuPercent: number | null;
  rssBytes: number;
  vszBytes: number;
  pssBytes: number | null;
  swapBytes: number | null;
  fds: number | null;
  ioReadBytesPerSecond: number | null;
  ioWriteBytesPerSecond: number | null;
  sockets: { count: number; tcp: number; udp: number; list: SocketView[] } | null;
  namespaces: Namespaces | null;
  cgroupPath: string | null;
  container: { id: string; name: string | null } | null;
  notes: string[];
}

function endpoint(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Builds the process document, or `null` when the PID is absent from the later sweep. */
export function processView(o: Observation, pid: number): ProcessView | null {
  const p = o.after.processes.get(pid);
  if (!p) return null;
  const before = o.before.processes.get(pid);
  const cpu = before ? processCpuMillicores(before, p) : null;
  const containerId = o.after.processContainer.get(pid) ?? null;
  const container = containerId ? o.after.containers.get(containerId) : undefined;
  const unified = p.cgroup?.find((e) => e.hierarchyId === 0)?.path;
  const anyV1 = p.cgroup?.find((e) => e.controllers.includes("memory"))?.path;
  const io = before?.io && p.io
    ? {
      read: perSecond(counterDelta(before.io.readBytes, p.io.readBytes), seconds(o)),
      write: perSecond(counterDelta(before.io.writeBytes, p.io.writeBytes), seconds(o)),
    }
    : { read: null, write: null };
  const uid = p.status?.uids[0] ?? null;
  const sockets = p.sockets
    ? {
      count: p.sockets.length,
      tcp: p.sockets.filter((s) => s.protocol.startsWith("tcp")).length,
      udp: p.sockets.filter((s) => s.protocol.startsWith("udp")).length,
      list: p.sockets.map((s) => ({
        protocol: s.protocol,
        local: endpoint(s.localAddress, s.localPort),
        remote: endpoint(s.remoteAddress, s.remotePort),
        state: s.state,
      })),
    }
    : null;
  const boot = o.identity.bootTimeSeconds;
  return {
    pid,
    nsPid: p.status?.nsPids?.at(-1) ?? null,
    ppid: p.stat.ppid,
    name: p.stat.comm,
    cmdline: p.cmdline && p.cmdline.length > 0 ? p.cmdline.join(" ") : null,
    state: p.stat.state,
    uid,
    user: uid === null ? null : o.users.get(uid) ?? null,
    threads: p.stat.numThreads,
    startedAtMs: boot === null ? null : (boot + p.stat.startTimeTicks / USER_HZ) * 1000,
    cpuTimeSeconds: (p.stat.utimeTicks + p.stat.stimeTicks) / USER_HZ,
    cpuMillicores: cpu?.total ?? null,
    cpuUserMillicores: cpu?.user ?? null,
    cpuSystemMillicores: cpu?.system ?? null,
    cpuPercent: cpu === null ? null : cpu.total / 10,
    rssBytes: p.status?.vmRssBytes ?? p.rssBytes,
    vszBytes: p.stat.vsizeBytes,
    pssBytes: p.smaps?.pss ?? null,
    swapBytes: p.status?.vmSwapBytes ?? null,
    fds: p.fds,
    ioReadBytesPerSecond: io.read,
    ioWriteBytesPerSecond: io.write,
    sockets,
    namespaces: p.namespaces,
    cgroupPath: unified ?? anyV1 ?? null,
    container: containerId ? { id: containerId, name: container?.container.name ?? null } : null,
    notes: p.notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Container

/** One process row of a container. */
export interface ContainerProcessView {
  pid: number;
  nsPid: number | null;
  name: string;
  state: string;
  cpuMillicores: number | null;
  rssBytes: number;
  pssBytes: number | null;
}

/** `monitor container <id>`. */
export interface ContainerView {
  id: string;
  name: string | null;
  runtime: string | null;
  state: string | null;
  image: string | null;
  kubernetes: {
    podName: string | null;
    namespace: string | null;
    podUid: string | null;
    qosClass: string | null;
    containerName: string | null;
    sandbox: boolean;
  } | null;
  cgroupPath: string | null;
  cgroupVersion: string;
  cpu: {
    usageMillicores: number | null;
    userMillicores: number | null;
    systemMillicores: number | null;
    limitMillicores: number | null;
    shares: number | null;
    weight: number | null;
    periods: number | null;
    throttledPeriods: number | null;
    throttledSeconds: number | null;
    /** Share of the interval's periods that were throttled. */
    throttledPercent: number | null;
    throttledPeriodsTotal: number | null;
    throttledSecondsTotal: number | null;
  };
  memory: {
    usageBytes: number | null;
    limitBytes: number | null;
    workingSetBytes: number | null;
    anonBytes: number | null;
    fileBytes: number | null;
    swapBytes: number | null;
    oomKillsTotal: number | null;
    /** Times usage went over `memory.high` and was throttled (v2 `memory.events` high). */
    highEventsTotal: number | null;
    /** Times usage hit the limit (v2 `memory.events` max; v1 `memory.failcnt`). */
    maxEventsTotal: number | null;
    /** Times the OOM killer was invoked for the cgroup (v2 `memory.events` oom). */
    oomEventsTotal: number | null;
    /** Working set as a share of the limit, what the OOM killer compares. */
    limitUsedPercent: number | null;
  };
  pressure: { cpu: PressureView | null; memory: PressureView | null; io: PressureView | null };
  io: {
    readBytesPerSecond: number | null;
    writeBytesPerSecond: number | null;
    readBytesTotal: number | null;
    writeBytesTotal: number | null;
  };
  pids: { current: number | null; limit: number | null };
  network: {
    interfaces: {
      name: string;
      rxBytesPerSecond: number | null;
      txBytesPerSecond: number | null;
      rxBytesTotal: number;
      txBytesTotal: number;
      rxPacketsTotal: number;
      txPacketsTotal: number;
      /** The host-side end of this interface's veth pair, when there is one. */
      hostVeth: string | null;
    }[];
    note: string | null;
  };
  processes: ContainerProcessView[];
  namespaces: Namespaces | null;
  hostname: string | null;
  storagePath: string | null;
  startedAtMs: number | null;
  notes: string[];
}

/** Builds the document of container `id` from both sweeps, or `null` when it is gone. */
export function containerView(o: Observation, id: string): ContainerView | null {
  const after = o.after.containers.get(id);
  if (!after) return null;
  const before = o.before.containers.get(id);
  const c = after.container;
  const s = after.stats;
  const rates = before ? containerRates(before, after, seconds(o)) : null;
  const meta = c.metadata;
  const kube = c.podUid !== null || c.podName !== null;
  const beforeNet = new Map((before?.network ?? []).map((d) => [d.name, d]));
  const processes: ContainerProcessView[] = c.pids.flatMap((pid) => {
    const p = o.after.processes.get(pid);
    if (!p) return [];
    const b = o.before.processes.get(pid);
    return [{
      pid,
      nsPid: p.status?.nsPids?.at(-1) ?? null,
      name: p.stat.comm,
      state: p.stat.state,
      cpuMillicores: b ? processCpuMillicores(b, p)?.total ?? null : null,
      rssBytes: p.status?.vmRssBytes ?? p.rssBytes,
      pssBytes: p.smaps?.pss ?? null,
    }];
  });
  const firstProcess = c.pids.map((pid) => o.after.processes.get(pid)).find((p) => p);
  const working = s.memory.workingSetBytes;
  return {
    id,
    name: c.name,
    runtime: c.runtime,
    state: meta?.state ?? (c.pids.length > 0 ? "running" : null),
    image: meta?.image ?? null,
    kubernetes: kube
      ? {
        podName: c.podName,
        namespace: c.podNamespace,
        podUid: c.podUid,
        qosClass: c.qosClass,
        containerName: c.containerName,
        sandbox: c.sandbox,
      }
      : null,
    cgroupPath: c.cgroupPaths.unified ?? c.cgroupPaths.v1.memory ?? c.cgroupPaths.v1.cpu ?? null,
    cgroupVersion: s.version,
    cpu: {
      usageMillicores: rates?.cpuMillicores ?? null,
      userMillicores: rates?.cpuUserMillicores ?? null,
      systemMillicores: rates?.cpuSystemMillicores ?? null,
      limitMillicores: s.cpu.limitMillicores,
      shares: s.cpu.shares,
      weight: s.cpu.weight,
      periods: rates?.cpuPeriods ?? null,
      throttledPeriods: rates?.cpuThrottledPeriods ?? null,
      throttledSeconds: rates?.cpuThrottledSeconds ?? null,
      throttledPercent: rates && rates.cpuPeriods && rates.cpuThrottledPeriods !== null
        ? (rates.cpuThrottledPeriods / rates.cpuPeriods) * 100
        : null,
      throttledPeriodsTotal: s.cpu.throttledPeriods,
      throttledSecondsTotal: s.cpu.throttledNs === null ? null : s.cpu.throttledNs / 1e9,
    },
    memory: {
      usageBytes: s.memory.usageBytes,
      limitBytes: s.memory.limitBytes,
      workingSetBytes: working,
      anonBytes: s.memory.anonBytes,
      fileBytes: s.memory.fileBytes,
      swapBytes: s.memory.swapBytes,
      oomKillsTotal: s.memory.oomKills,
      highEventsTotal: s.memory.highEvents ?? null,
      maxEventsTotal: s.memory.maxEvents ?? null,
      oomEventsTotal: s.memory.oomEvents ?? null,
      limitUsedPercent: working !== null && s.memory.limitBytes
        ? (working / s.memory.limitBytes) * 100
        : null,
    },
    pressure: {
      cpu: pressureView(s.pressure.cpu),
      memory: pressureView(s.pressure.memory),
      io: pressureView(s.pressure.io),
    },
    io: {
      readBytesPerSecond: rates?.ioReadBytesPerSecond ?? null,
      writeBytesPerSecond: rates?.ioWriteBytesPerSecond ?? null,
      readBytesTotal: s.io.readBytes,
      writeBytesTotal: s.io.writeBytes,
    },
    pids: { current: s.pids.current, limit: s.pids.limit },
    network: {
      interfaces: (after.network ?? []).map((d) => {
        const b = beforeNet.get(d.name);
        return {
          name: d.name,
          rxBytesPerSecond: b ? perSecond(counterDelta(b.rxBytes, d.rxBytes), seconds(o)) : null,
          txBytesPerSecond: b ? perSecond(counterDelta(b.txBytes, d.txBytes), seconds(o)) : null,
          rxBytesTotal: d.rxBytes,
          txBytesTotal: d.txBytes,
          rxPacketsTotal: d.rxPackets,
          txPacketsTotal: d.txPackets,
          hostVeth: after.hostVeths?.[d.name] ?? null,
        };
      }),
      note: after.networkNote,
    },
    processes,
    namespaces: firstProcess?.namespaces ?? null,
    hostname: meta?.hostname ?? null,
    storagePath: meta?.storagePath ?? null,
    startedAtMs: meta?.startedAtMs ?? null,
    notes: [...s.errors, ...(before ? [] : ["first sample: rates need two sweeps"])],
  };
}

// ---------------------------------------------------------------------------------------------
// Host

/** One row of the host's container list. */
export interface ContainerSummary {
  id: string;
  name: string | null;
  runtime: string | null;
  pod: string | null;
  cpuMillicores: number | null;
  cpuLimitMillicores: number | null;
  throttledPeriods: number | null;
  memoryWorkingSetBytes: number | null;
  memoryLimitBytes: number | null;
  pids: number;
}

/** `monitor host`. */
export interface HostView {
  hostname: string | null;
  kernel: string | null;
  os: string | null;
  uptimeSeconds: number | null;
  cpuCount: number;
  cpu: {
    busyPercent: number | null;
    userMillicores: number | null;
    systemMillicores: number | null;
    iowaitMillicores: number | null;
    stealMillicores: number | null;
  };
  load: { load1: number; load5: number; load15: number; runnable: number; total: number } | null;
  memory: {
    totalBytes: number | null;
    availableBytes: number | null;
    /** Total minus available: what `free` calls used once caches are set aside. */
    usedBytes: number | null;
    cachedBytes: number | null;
    swapTotalBytes: number | null;
    swapUsedBytes: number | null;
  };
  pressure: { cpu: PressureView | null; memory: PressureView | null; io: PressureView | null };
  filesystems: FilesystemUse[];
  interfaces: {
    name: string;
    kind: string;
    rxBytesPerSecond: number | null;
    txBytesPerSecond: number | null;
    rxBytesTotal: number;
    txBytesTotal: number;
    rxPacketsTotal: number;
    txPacketsTotal: number;
  }[];
  processes: number;
  containers: ContainerSummary[];
  notes: string[];
}

/** Summary rows of every container, busiest first. */
export function containerSummaries(o: Observation): ContainerSummary[] {
  return [...o.after.containers.values()].map((after) => {
    const before = o.before.containers.get(after.container.id);
    const rates = before ? containerRates(before, after, seconds(o)) : null;
    const c = after.container;
    return {
      id: c.id,
      name: c.name,
      runtime: c.runtime,
      pod: c.podName === null ? null : `${c.podNamespace ?? "?"}/${c.podName}`,
      cpuMillicores: rates?.cpuMillicores ?? null,
      cpuLimitMillicores: after.stats.cpu.limitMillicores,
      throttledPeriods: rates?.cpuThrottledPeriods ?? null,
      memoryWorkingSetBytes: after.stats.memory.workingSetBytes,
      memoryLimitBytes: after.stats.memory.limitBytes,
      pids: c.pids.length,
    };
  }).sort((a, b) => (b.cpuMillicores ?? -1) - (a.cpuMillicores ?? -1) || a.id.localeCompare(b.id));
}

/** Builds the host document. */
export function hostView(o: Observation): HostView {
  const h = o.after.host;
  const cpu = o.before.host && h ? hostCpuUse(o.before.host, h) : null;
  const m = h?.meminfo;
  const total = m?.memTotalBytes ?? null;
  const available = m?.memAvailableBytes ?? null;
  const beforeIf = new Map((o.before.host?.interfaces ?? []).map((i) => [i.name, i]));
  return {
    hostname: o.identity.hostname,
    kernel: o.identity.kernel,
    os: o.identity.os,
    uptimeSeconds: h?.uptimeSeconds ?? null,
    cpuCount: o.identity.cpuCount,
    cpu: {
      busyPercent: cpu?.busyPercent ?? null,
      userMillicores: cpu?.userMillicores ?? null,
      systemMillicores: cpu?.systemMillicores ?? null,
      iowaitMillicores: cpu?.iowaitMillicores ?? null,
      stealMillicores: cpu?.stealMillicores ?? null,
    },
    load: h?.loadavg
      ? {
        load1: h.loadavg.load1,
        load5: h.loadavg.load5,
        load15: h.loadavg.load15,
        runnable: h.loadavg.runnable,
        total: h.loadavg.total,
      }
      : null,
    memory: {
      totalBytes: total,
      availableBytes: available,
      usedBytes: total !== null && available !== null ? total - available : null,
      cachedBytes: m?.cachedBytes ?? null,
      swapTotalBytes: m?.swapTotalBytes ?? null,
      swapUsedBytes: m?.swapTotalBytes != null && m?.swapFreeBytes != null
        ? m.swapTotalBytes - m.swapFreeBytes
        : null,
    },
    pressure: {
      cpu: pressureView(h?.pressure.cpu),
      memory: pressureView(h?.pressure.memory),
      io: pressureView(h?.pressure.io),
    },
    filesystems: o.filesystems,
    interfaces: (h?.interfaces ?? []).map((i) => {
      const b = beforeIf.get(i.name);
      return {
        name: i.name,
        kind: i.kind,
        rxBytesPerSecond: b ? perSecond(counterDelta(b.rxBytes, i.rxBytes), seconds(o)) : null,
        txBytesPerSecond: b ? perSecond(counterDelta(b.txBytes, i.txBytes), seconds(o)) : null,
        rxBytesTotal: i.rxBytes,
        txBytesTotal: i.txBytes,
        rxPacketsTotal: i.rxPackets,
        txPacketsTotal: i.txPackets,
      };
    }),
    processes: o.after.processes.size,
    containers: containerSummaries(o),
    notes: h?.notes ?? [],
  };
}

/** Rates of a container (for views that need only a few numbers). */
export function ratesOf(o: Observation, after: ContainerSnapshot) {
  const before = o.before.containers.get(after.container.id);
  return before ? containerRates(before, after, seconds(o)) : null;
}

/** Sum of per-process CPU (millicores) over `pids`, skipping processes seen only once. */
export function processCpuSum(o: Observation, pids: Iterable<number>): number {
  let sum = 0;
  for (const pid of pids) {
    const a = o.before.processes.get(pid);
    const b = o.after.processes.get(pid);
    if (a && b) sum += processCpuMillicores(a, b)?.total ?? 0;
  }
  return sum;
}

/** Resident bytes of a process sample: VmRSS when read, else stat's RSS. */
export function rssOf(p: ProcessSample): number {
  return p.status?.vmRssBytes ?? p.rssBytes;
}
