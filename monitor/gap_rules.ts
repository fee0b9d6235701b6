/**
 * The rules of the gap analysis (REQ-MON-005, REQ-MCP-006): each finding's id, boundary, severity,
 * title, threshold and sentence, from plain per-container and per-host numbers. `fgm monitor gap`
 * (monitor/gap.ts) feeds it two live sweeps and `gap_analysis` (mcp/gap.ts) a recording's range;
 * the `basis` only changes the sentence's tense and says whether numbers are means or the worst
 * second. Pure.
 *
 * @module
 */

import { plural } from "./format.ts";

/** How much a finding matters. */
export type Severity = "info" | "warning";

/** One gap between two levels. */
export interface GapFinding {
  /** Stable identifier, e.g. `processes-outside-containers`. */
  id: string;
  boundary: "process→container" | "container→host" | "cross-level";
  severity: Severity;
  title: string;
  /** One sentence with the numbers. */
  detail: string;
  /** The numbers behind the sentence. */
  values: Record<string, number | string | null>;
  /** Containers (ids) or PIDs the finding names. */
  subjects: (string | number)[];
}

/** Where the numbers come from: two live sweeps, or the means (and worst seconds) of a recording. */
export type Basis = "live" | "recorded";

/** A container as the rules name it. */
export interface ContainerRef {
  /** The container id. */
  id: string;
  /** Its name, or `null` (the rules then show the first 12 characters of the id). */
  name: string | null;
}

const MiB = 1024 * 1024;

const mib = (bytes: number) => (bytes / MiB).toFixed(0);
const label = (c: ContainerRef) => c.name ?? c.id.slice(0, 12);

/** The processes no container accounts for. */
export interface OutsideProcesses {
  /** User processes outside containers. */
  processes: number;
  /** Processes without a memory map outside containers. */
  kernelThreads: number;
  /** The user processes' summed CPU. */
  cpuMillicores: number;
  /** The user processes' summed RSS. */
  rssBytes: number;
  /** The largest user processes by RSS, largest first (the rules name the first five). */
  largest: { pid: number; comm: string; rssBytes: number }[];
}

/** `processes-outside-containers`: always reported when the processes are known. */
export function processesOutsideContainers(v: OutsideProcesses, basis: Basis): GapFinding {
  const top = v.largest.slice(0, 5);
  const [run, average] = basis === "live" ? ["run", ""] : ["ran", " on average"];
  return {
    id: "processes-outside-containers",
    boundary: "process→container",
    severity: "info",
    title: "Processes outside any container",
    detail: `${plural(v.processes, "user process", "user processes")} (and ${
      plural(v.kernelThreads, "kernel thread")
    }) ${run} outside containers, using ${v.cpuMillicores.toFixed(0)} m CPU and ${
      mib(v.rssBytes)
    } MiB RSS${average}; container metrics never show them. Largest: ${
      top.map((p) => `${p.comm}(${p.pid}) ${mib(p.rssBytes)} MiB`).join(", ") || "none"
    }.`,
    values: {
      processes: v.processes,
      kernelThreads: v.kernelThreads,
      cpuMillicores: Math.round(v.cpuMillicores),
      rssBytes: Math.round(v.rssBytes),
    },
    subjects: top.map((p) => p.pid),
  };
}

/** A container's CPU as its cgroup and as its processes saw it. */
export interface ContainerCpu extends ContainerRef {
  cgroupMillicores: number;
  /** Summed over the processes the container holds. */
  processMillicores: number;
}

/**
 * `cpu-not-in-processes`: the cgroup used more than 50 m and more than 20 % more CPU than its
 * processes account for; `null` otherwise.
 */
export function cpuNotInProcesses(c: ContainerCpu, basis: Basis): GapFinding | null {
  const unaccounted = c.cgroupMillicores - c.processMillicores;
  if (!(unaccounted > 50 && unaccounted > c.cgroupMillicores * 0.2)) return null;
  const [average, which, span] = basis === "live"
    ? ["", "live", "the interval"]
    : [" on average", "recorded", "a second"];
  return {
    id: "cpu-not-in-processes",
    boundary: "process→container",
    severity: "info",
    title: "Container CPU not explained by its current processes",
    detail: `${label(c)}: the cgroup used ${
      c.cgroupMillicores.toFixed(0)
    } m${average} but its ${which} processes only ${c.processMillicores.toFixed(0)} m; ${
      unaccounted.toFixed(0)
    } m went to processes that started and exited within ${span} (per-process tools miss them).`,
    values: {
      cgroupMillicores: Math.round(c.cgroupMillicores),
      processMillicores: Math.round(c.processMillicores),
    },
    subjects: [c.id],
  };
}

/** A containerised process whose PID inside its PID namespace differs from the host's. */
export interface RenumberedProcess {
  /** The host PID. */
  pid: number;
  /** Its PID inside the container's namespace. */
  nsPid: number;
  containerId: string;
}

/** `pid-namespaces`: reported when at least one process is renumbered; `null` otherwise. */
export function pidNamespaces(renumbered: readonly RenumberedProcess[]): GapFinding | null {
  const n = renumbered.length;
  if (n === 0) return null;
  return {
    id: "pid-namespaces",
    boundary: "process→container",
    severity: "info",
    title: "PIDs differ inside and outside containers",
    detail: `${plural(n, "containerised process", "containerised processes")} ${
      n === 1 ? "has" : "have"
    } another PID inside ${n === 1 ? "its" : "their"} PID namespace (e.g. ${
      renumbered.slice(0, 3).map((r) =>
        `host ${r.pid} = ${r.nsPid} in ${r.containerId.slice(0, 12)}`
      )
        .join(", ")
    }): a PID from a container's logs is not the host's.`,
    values: { processes: n },
    subjects: renumbered.slice(0, 10).map((r) => r.pid),
  };
}

/** A container's memory as its processes' RSS and as its cgroup's charge. */
export interface ContainerMemory extends ContainerRef {
  /** Summed over the processes the container holds. */
  processRssBytes: number;
  cgroupUsageBytes: number;
  /** Page cache; 0 when unknown. */
  cgroupFileBytes: number;
}

/**
 * `rss-vs-cgroup-memory`: the cgroup is charged something and its processes' RSS differs from the
 * charge by more than 16 MiB; `null` otherwise.
 */
export function rssVsCgroupMemory(c: ContainerMemory): GapFinding | null {
  const { processRssBytes: rss, cgroupUsageBytes: usage, cgroupFileBytes: file } = c;
  if (!(usage > 0 && Math.abs(usage - rss) > 16 * MiB)) return null;
  return {
    id: "rss-vs-cgroup-memory",
    boundary: "process→container",
    severity: "info",
    title: "Process RSS and cgroup memory disagree",
    detail: `${label(c)}: processes' RSS sums to ${mib(rss)} MiB, the cgroup is charged ${
      mib(usage)
    } MiB (${mib(file)} MiB page cache, shared pages counted once, kernel memory).`,
    values: {
      processRssBytes: Math.round(rss),
      cgroupUsageBytes: Math.round(usage),
      cgroupFileBytes: Math.round(file),
    },
    subjects: [c.id],
  };
}

/** A container's limits (`null`: none, or unreadable). */
export interface ContainerLimits {
  id: string;
  cpuLimitMillicores: number | null;
  memoryLimitBytes: number | null;
}

/** `containers-without-limits`: some container lacks a CPU or memory limit; `null` otherwise. */
export function containersWithoutLimits(containers: readonly ContainerLimits[]): GapFinding | null {
  const noCpu = containers.filter((c) => c.cpuLimitMillicores === null);
  const noMem = containers.filter((c) => c.memoryLimitBytes === null);
  if (noCpu.length + noMem.length === 0) return null;
  return {
    id: "containers-without-limits",
    boundary: "container→host",
    severity: "warning",
    title: "Containers without limits",
    detail: `${noCpu.length} of ${plural(containers.length, "container")} ${
      noCpu.length === 1 ? "has" : "have"
    } no CPU limit and ${noMem.length} no memory limit: they compete with everything on the host, and only host-level metrics show the contention.`,
    values: {
      containers: containers.length,
      withoutCpuLimit: noCpu.length,
      withoutMemoryLimit: noMem.length,
    },
    subjects: [...new Set([...noCpu, ...noMem].map((c) => c.id))],
  };
}

/** A container's throttled CFS periods (`null`: unknown). */
export interface ContainerThrottling extends ContainerRef {
  throttledPeriods: number | null;
}

/**
 * `throttled-with-idle-host`: some container was throttled while the host was less than 80 % busy;
 * `null` otherwise, or when host CPU is unknown.
 */
export function throttledWithIdleHost(
  containers: readonly ContainerThrottling[],
  host: { busyPercent: number | null; cpuCount: number },
): GapFinding | null {
  const throttled = containers.filter((c) => (c.throttledPeriods ?? 0) > 0);
  const busy = host.busyPercent;
  if (throttled.length === 0 || busy === null || !(busy < 80)) return null;
  const idleCores = ((100 - busy) / 100) * host.cpuCount;
  return {
    id: "throttled-with-idle-host",
    boundary: "container→host",
    severity: "warning",
    title: "Containers throttled while the host has idle CPU",
    detail: `${plural(throttled.length, "container")} ${
      throttled.length === 1 ? "was" : "were"
    } throttled (${
      throttled.map((c) => `${label(c)}: ${c.throttledPeriods} periods`).join(", ")
    }) while the host was ${busy.toFixed(0)}% busy with ${
      idleCores.toFixed(2)
    } cores idle: their CFS quota, not the host, limits them.`,
    values: { containers: throttled.length, hostBusyPercent: busy, idleCores },
    subjects: throttled.map((c) => c.id),
  };
}

/**
 * `container-memory-vs-host`: the containers' working sets (unknown ones count 0) against the
 * host's used memory; `null` when that is unknown.
 */
export function containerMemoryVsHost(
  workingSets: readonly (number | null)[],
  hostUsedBytes: number | null,
): GapFinding | null {
  const used = hostUsedBytes;
  if (used === null) return null;
  const sum = workingSets.reduce<number>((s, ws) => s + (ws ?? 0), 0);
  return {
    id: "container-memory-vs-host",
    boundary: "container→host",
    severity: "info",
    title: "Container memory against host memory",
    detail: `Containers' working sets sum to ${mib(sum)} MiB of the host's ${
      mib(used)
    } MiB used (total minus available); the other ${
      mib(Math.max(0, used - sum))
    } MiB belong to host processes, the kernel and caches no container is charged for.`,
    values: { containerWorkingSetBytes: Math.round(sum), hostUsedBytes: Math.round(used) },
    subjects: [],
  };
}

/** A container's working set (the worst second of a recording) against its memory limit. */
export interface ContainerMemoryLimit extends ContainerRef {
  workingSetBytes: number | null;
  limitBytes: number | null;
}

/** `near-memory-limit`: the working set is above 90 % of the limit; `null` otherwise. */
export function nearMemoryLimit(
  c: ContainerMemoryLimit,
  hostAvailableBytes: number | null,
  basis: Basis,
): GapFinding | null {
  const { workingSetBytes: ws, limitBytes: limit } = c;
  if (ws === null || limit === null || !(ws / limit > 0.9)) return null;
  const [uses, has] = basis === "live" ? ["uses", "has"] : ["used up to", "had"];
  return {
    id: "near-memory-limit",
    boundary: "container→host",
    severity: "warning",
    title: "Container near its memory limit",
    detail: `${label(c)} ${uses} ${((ws / limit) * 100).toFixed(0)}% of its ${
      mib(limit)
    } MiB limit while the host ${has} ${
      mib(hostAvailableBytes ?? 0)
    } MiB available: it will be OOM-killed or reclaimed long before the host notices.`,
    values: { workingSetBytes: ws, limitBytes: limit },
    subjects: [c.id],
  };
}

/** `host-network`: some containers (their ids) share the host's network namespace; else `null`. */
export function hostNetwork(containerIds: readonly string[]): GapFinding | null {
  const n = containerIds.length;
  if (n === 0) return null;
  return {
    id: "host-network",
    boundary: "container→host",
    severity: "info",
    title: "Containers sharing the host network namespace",
    detail: `${plural(n, "container")} ${
      n === 1 ? "uses" : "use"
    } the host's network namespace: their traffic is only visible in host interface counters, not per container.`,
    values: { containers: n },
    subjects: [...containerIds],
  };
}

/** PSI `some` avg10 of CPU and memory, percent (0 for a container without PSI for it). */
export interface ContainerPressure extends ContainerRef {
  cpuSomeAvg10: number;
  memorySomeAvg10: number;
}

/**
 * `container-pressure`: the container waited more than 10 % of 10 s for CPU or memory; `null`
 * otherwise. The host's own PSI (`null`: unknown) is quoted alongside.
 */
export function containerPressure(
  c: ContainerPressure,
  host: { cpuSomeAvg10: number | null; memorySomeAvg10: number | null },
  basis: Basis,
): GapFinding | null {
  const { cpuSomeAvg10: cpuSome, memorySomeAvg10: memSome } = c;
  if (!(cpuSome > 10 || memSome > 10)) return null;
  const [upTo, window] = basis === "live" ? ["", "the last 10 s"] : ["up to ", "10 s"];
  return {
    id: "container-pressure",
    boundary: "cross-level",
    severity: "warning",
    title: "Container stalled on resources",
    detail: `${label(c)} spent ${upTo}${
      cpuSome.toFixed(1)
    }% of ${window} waiting for CPU and ${upTo}${
      memSome.toFixed(1)
    }% waiting for memory (host: cpu ${host.cpuSomeAvg10?.toFixed(1) ?? "-"}%, memory ${
      host.memorySomeAvg10?.toFixed(1) ?? "-"
    }%).`,
    values: { cpuSomeAvg10: cpuSome, memorySomeAvg10: memSome },
    subjects: [c.id],
  };
}
