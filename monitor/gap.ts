/**
 * Gap analysis: what each isolation level hides that the next one shows, computed from live data.
 * Every finding carries numbers from this node and a severity, so the same command on two nodes
 * gives two different answers.
 *
 * @module
 */

import type { Observation } from "./model.ts";
import { hostView, processCpuSum, ratesOf, rssOf } from "./model.ts";
import {
  containerMemoryVsHost,
  containerPressure,
  containersWithoutLimits,
  cpuNotInProcesses,
  type GapFinding,
  hostNetwork,
  nearMemoryLimit,
  pidNamespaces,
  processesOutsideContainers,
  type RenumberedProcess,
  rssVsCgroupMemory,
  throttledWithIdleHost,
} from "./gap_rules.ts";

export type { GapFinding, Severity } from "./gap_rules.ts";

/** `monitor gap`. */
export interface GapView {
  intervalSeconds: number;
  /** Host CPU busy share over the interval (100 = every CPU busy), or `null`. */
  hostBusyPercent: number | null;
  findings: GapFinding[];
}

/** Computes every finding from two sweeps: the live numbers of each rule of monitor/gap_rules.ts. */
export function gapView(o: Observation): GapView {
  const findings: GapFinding[] = [];
  const add = (f: GapFinding | null) => {
    if (f) findings.push(f);
  };
  const host = hostView(o);
  const containers = [...o.after.containers.values()];
  const inContainer = o.after.processContainer;
  const ref = (c: (typeof containers)[number]) => ({ id: c.container.id, name: c.container.name });

  // process→container: processes no container accounts for (kernel threads have no mm).
  const outside = [...o.after.processes.values()].filter((p) => !inContainer.has(p.pid));
  const userOutside = outside.filter((p) => p.stat.vsizeBytes > 0);
  add(processesOutsideContainers({
    processes: userOutside.length,
    kernelThreads: outside.length - userOutside.length,
    cpuMillicores: processCpuSum(o, userOutside.map((p) => p.pid)),
    rssBytes: userOutside.reduce((sum, p) => sum + rssOf(p), 0),
    largest: userOutside
      .map((p) => ({ pid: p.pid, comm: p.stat.comm, rssBytes: rssOf(p) }))
      .sort((a, b) => b.rssBytes - a.rssBytes),
  }, "live"));

  // process→container: CPU the cgroup saw that no live process accounts for (short-lived work).
  for (const snap of containers) {
    const cgroupMillicores = ratesOf(o, snap)?.cpuMillicores;
    if (cgroupMillicores == null) continue;
    const processMillicores = processCpuSum(o, snap.container.pids);
    add(cpuNotInProcesses({ ...ref(snap), cgroupMillicores, processMillicores }, "live"));
  }

  // process→container: PIDs differ inside and outside the PID namespace.
  const renumbered: RenumberedProcess[] = [];
  for (const [pid, containerId] of inContainer) {
    const nsPid = o.after.processes.get(pid)?.status?.nsPids?.at(-1);
    if (nsPid !== undefined && nsPid !== pid) renumbered.push({ pid, nsPid, containerId });
  }
  add(pidNamespaces(renumbered));

  // process→container: RSS summed over processes vs the cgroup's charge.
  for (const snap of containers) {
    const usage = snap.stats.memory.usageBytes;
    if (usage === null || snap.container.pids.length === 0) continue;
    let rss = 0;
    for (const pid of snap.container.pids) {
      const p = o.after.processes.get(pid);
      if (p) rss += rssOf(p);
    }
    add(rssVsCgroupMemory({
      ...ref(snap),
      processRssBytes: rss,
      cgroupUsageBytes: usage,
      cgroupFileBytes: snap.stats.memory.fileBytes ?? 0,
    }));
  }

  // container→host.
  add(containersWithoutLimits(containers.map((c) => ({
    id: c.container.id,
    cpuLimitMillicores: c.stats.cpu.limitMillicores,
    memoryLimitBytes: c.stats.memory.limitBytes,
  }))));
  const busy = host.cpu.busyPercent;
  add(throttledWithIdleHost(
    containers.map((c) => ({
      ...ref(c),
      throttledPeriods: ratesOf(o, c)?.cpuThrottledPeriods ?? null,
    })),
    { busyPercent: busy, cpuCount: host.cpuCount },
  ));
  add(containerMemoryVsHost(
    containers.map((c) => c.stats.memory.workingSetBytes),
    host.memory.usedBytes,
  ));
  for (const c of containers) {
    add(nearMemoryLimit(
      {
        ...ref(c),
        workingSetBytes: c.stats.memory.workingSetBytes,
        limitBytes: c.stats.memory.limitBytes,
      },
      host.memory.availableBytes,
      "live",
    ));
  }
  add(hostNetwork(
    containers.filter((c) => c.networkNote === "host network namespace").map((c) => c.container.id),
  ));

  // cross-level: PSI shows stalls that utilisation hides.
  const hostPressure = {
    cpuSomeAvg10: host.pressure.cpu?.someAvg10 ?? null,
    memorySomeAvg10: host.pressure.memory?.someAvg10 ?? null,
  };
  for (const c of containers) {
    add(containerPressure(
      {
        ...ref(c),
        cpuSomeAvg10: c.stats.pressure.cpu?.some.avg10 ?? 0,
        memorySomeAvg10: c.stats.pressure.memory?.some.avg10 ?? 0,
      },
      hostPressure,
      "live",
    ));
  }

  return {
    intervalSeconds: (o.after.timeMs - o.before.timeMs) / 1000,
    hostBusyPercent: busy,
    findings,
  };
}
