/**
 * The gap analysis of `fgm monitor gap` (monitor/gap.ts) computed from a recording: the same
 * findings — ids, boundaries, severities, titles and thresholds — from what `fgm collect` wrote
 * over a range instead of two live sweeps, and the findings a recording cannot support, with why.
 * Rates and gauges are means over the range, per-interval counts totals, and the two alarms on a
 * threshold (near the memory limit, stalled on resources) use the worst second. Pure.
 *
 * @module
 */

import {
  containerMemoryVsHost,
  containerPressure,
  containersWithoutLimits,
  cpuNotInProcesses,
  type GapFinding,
  nearMemoryLimit,
  processesOutsideContainers,
  rssVsCgroupMemory,
  throttledWithIdleHost,
} from "../monitor/gap_rules.ts";
import type { ContainerFacts, LevelFacts } from "./levels.ts";

/** The gap analysis of a range of a recording. */
export interface RecordedGap {
  node: string;
  fromMs: number;
  toMs: number;
  intervalSeconds: number;
  /** Host CPU busy share over the range (100 = every CPU busy), or `null`. */
  hostBusyPercent: number | null;
  findings: GapFinding[];
  /** Findings of `fgm monitor gap` this recording cannot support, and why. */
  notComputable: { id: string; why: string }[];
}

const ref = (c: ContainerFacts) => ({ id: c.containerId, name: c.name });

/** Computes the findings of `f` (see the module documentation) with monitor/gap_rules.ts. */
export function recordedGap(f: LevelFacts): RecordedGap {
  const findings: GapFinding[] = [];
  const add = (finding: GapFinding | null) => {
    if (finding) findings.push(finding);
  };
  const notComputable: RecordedGap["notComputable"] = [];
  const host = f.host;
  const busy = host?.cpuMillicores != null && host.cpuCount
    ? Math.min(100, (host.cpuMillicores / (host.cpuCount * 1000)) * 100)
    : null;
  const byContainer = new Map<string, typeof f.processes>();
  for (const p of f.processes) {
    if (p.containerId === null) continue;
    const list = byContainer.get(p.containerId) ?? [];
    list.push(p);
    byContainer.set(p.containerId, list);
  }

  // process→container: processes no container accounts for (a process counts for its seconds).
  if (f.hostProcessesRecorded) {
    const outside = f.processes.filter((p) => p.containerId === null);
    const user = outside.filter((p) => (p.vszBytes ?? 1) > 0);
    const seconds = Math.max(1, ...outside.map((p) => p.samples));
    const rssOf = (p: (typeof user)[number]) => (p.rssBytesSum ?? 0) / p.samples;
    add(processesOutsideContainers({
      processes: user.length,
      kernelThreads: outside.length - user.length,
      cpuMillicores: user.reduce((s, p) => s + (p.cpuMillicoresSum ?? 0), 0) / seconds,
      rssBytes: user.reduce((s, p) => s + rssOf(p), 0),
      largest: user.map((p) => ({ pid: p.pid, comm: p.comm ?? "?", rssBytes: rssOf(p) }))
        .sort((a, b) => b.rssBytes - a.rssBytes),
    }, "recorded"));
  } else {
    notComputable.push({
      id: "processes-outside-containers",
      why: "processes outside containers are recorded only by fgm collect --host-processes",
    });
  }

  // process→container: a container's CPU and memory against its recorded processes' means.
  for (const c of f.containers) {
    const procs = byContainer.get(c.containerId);
    if (!procs || c.samples === 0) continue;
    if (c.cpuMillicores !== null) {
      add(cpuNotInProcesses({
        ...ref(c),
        cgroupMillicores: c.cpuMillicores,
        processMillicores: procs.reduce((s, p) => s + (p.cpuMillicoresSum ?? 0), 0) / c.samples,
      }, "recorded"));
    }
    if (c.memoryUsageBytes !== null) {
      add(rssVsCgroupMemory({
        ...ref(c),
        processRssBytes: procs.reduce((s, p) => s + (p.rssBytesSum ?? 0), 0) / c.samples,
        cgroupUsageBytes: c.memoryUsageBytes,
        cgroupFileBytes: c.memoryFileBytes ?? 0,
      }));
    }
  }
  if (!f.processesRecorded) {
    for (const id of ["cpu-not-in-processes", "rss-vs-cgroup-memory"]) {
      notComputable.push({ id, why: "the range holds no process rows" });
    }
  }
  notComputable.push({
    id: "pid-namespaces",
    why: "a process's PID inside its container's PID namespace (NSpid) is not recorded",
  });

  // container→host: means over the range, throttled periods as totals.
  const containers = f.containers;
  add(containersWithoutLimits(containers.map((c) => ({
    id: c.containerId,
    cpuLimitMillicores: c.cpuLimitMillicores,
    memoryLimitBytes: c.memoryLimitBytes,
  }))));
  add(throttledWithIdleHost(
    containers.map((c) => ({ ...ref(c), throttledPeriods: c.throttledPeriods })),
    { busyPercent: busy, cpuCount: host?.cpuCount ?? 0 },
  ));
  add(containerMemoryVsHost(
    containers.map((c) => c.workingSetBytes),
    host?.memoryUsedBytes ?? null,
  ));
  // near the memory limit: the worst second (a limit of 0 is no limit to be near).
  for (const c of containers) {
    const limit = c.memoryLimitBytes;
    add(nearMemoryLimit(
      {
        ...ref(c),
        workingSetBytes: c.workingSetMaxBytes,
        limitBytes: limit !== null && limit > 0 ? limit : null,
      },
      host?.memoryAvailableBytes ?? null,
      "recorded",
    ));
  }
  notComputable.push({
    id: "host-network",
    why: "whether a container shares the host's network namespace is not recorded",
  });

  // cross-level: PSI shows stalls that utilisation hides (the worst 10-s average).
  const hostPressure = {
    cpuSomeAvg10: host?.cpuSomeAvg10Max ?? null,
    memorySomeAvg10: host?.memorySomeAvg10Max ?? null,
  };
  for (const c of containers) {
    add(containerPressure(
      {
        ...ref(c),
        cpuSomeAvg10: c.cpuSomeAvg10Max ?? 0,
        memorySomeAvg10: c.memorySomeAvg10Max ?? 0,
      },
      hostPressure,
      "recorded",
    ));
  }

  return {
    node: f.node,
    fromMs: f.fromMs,
    toMs: f.toMs,
    intervalSeconds: (f.toMs - f.fromMs) / 1000,
    hostBusyPercent: busy,
    findings,
    notComputable,
  };
}

/** The first `n` findings of each id, in order, and how many of each id were left out. */
export function limitPerKind(
  findings: readonly GapFinding[],
  n: number,
): { kept: GapFinding[]; omitted: Record<string, number> } {
  const seen = new Map<string, number>();
  const kept = findings.filter((f) => {
    seen.set(f.id, (seen.get(f.id) ?? 0) + 1);
    return seen.get(f.id)! <= n;
  });
  const omitted = Object.fromEntries(
    [...seen].filter(([, count]) => count > n).map(([id, count]) => [id, count - n]),
  );
  return { kept, omitted };
}
