/**
 * Gap analysis: what each isolation level hides that the next one shows, computed from live data.
 * Every finding carries numbers from this node and a severity, so the same command on two nodes
 * gives two different answers.
 *
 * @module
 */

import type { Observation } from "./model.ts";
import { hostView, processCpuSum, ratesOf, rssOf } from "./model.ts";
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

/** `monitor gap`. */
export interface GapView {
  intervalSeconds: number;
  /** Host CPU busy share over the interval (100 = every CPU busy), or `null`. */
  hostBusyPercent: number | null;
  findings: GapFinding[];
}

const MiB = 1024 * 1024;

function short(id: string): string {
  return id.slice(0, 12);
}

/** Computes every finding from two sweeps. */
export function gapView(o: Observation): GapView {
  const findings: GapFinding[] = [];
  const host = hostView(o);
  const containers = [...o.after.containers.values()];
  const inContainer = o.after.processContainer;

  // process→container: processes no container accounts for.
  const outside = [...o.after.processes.values()].filter((p) => !inContainer.has(p.pid));
  const userOutside = outside.filter((p) => p.stat.vsizeBytes > 0); // kernel threads have no mm
  const outsideCpu = processCpuSum(o, userOutside.map((p) => p.pid));
  const outsideRss = userOutside.reduce((sum, p) => sum + rssOf(p), 0);
  const topOutside = userOutside
    .map((p) => ({ pid: p.pid, comm: p.stat.comm, rss: rssOf(p) }))
    .sort((a, b) => b.rss - a.rss)
    .slice(0, 5);
  findings.push({
    id: "processes-outside-containers",
    boundary: "process→container",
    severity: "info",
    title: "Processes outside any container",
    detail: `${plural(userOutside.length, "user process", "user processes")} (and ${
      plural(outside.length - userOutside.length, "kernel thread")
    }) run outside containers, using ${outsideCpu.toFixed(0)} m CPU and ${
      (outsideRss / MiB).toFixed(0)
    } MiB RSS; container metrics never show them. Largest: ${
      topOutside.map((p) => `${p.comm}(${p.pid}) ${(p.rss / MiB).toFixed(0)} MiB`).join(", ") ||
      "none"
    }.`,
    values: {
      processes: userOutside.length,
      kernelThreads: outside.length - userOutside.length,
      cpuMillicores: Math.round(outsideCpu),
      rssBytes: outsideRss,
    },
    subjects: topOutside.map((p) => p.pid),
  });

  // process→container: CPU the cgroup saw that no live process accounts for (short-lived work).
  for (const snap of containers) {
    const rates = ratesOf(o, snap);
    if (rates?.cpuMillicores == null) continue;
    const procs = processCpuSum(o, snap.container.pids);
    const unaccounted = rates.cpuMillicores - procs;
    if (unaccounted > 50 && unaccounted > rates.cpuMillicores * 0.2) {
      findings.push({
        id: "cpu-not-in-processes",
        boundary: "process→container",
        severity: "info",
        title: "Container CPU not explained by its current processes",
        detail: `${snap.container.name ?? short(snap.container.id)}: the cgroup used ${
          rates.cpuMillicores.toFixed(0)
        } m but its live processes only ${procs.toFixed(0)} m; ${
          unaccounted.toFixed(0)
        } m went to processes that started and exited within the interval (per-process tools miss them).`,
        values: {
          cgroupMillicores: Math.round(rates.cpuMillicores),
          processMillicores: Math.round(procs),
        },
        subjects: [snap.container.id],
      });
    }
  }

  // process→container: PIDs differ inside and outside the PID namespace.
  const renumbered: { pid: number; nsPid: number; id: string }[] = [];
  for (const [pid, id] of inContainer) {
    const nsPid = o.after.processes.get(pid)?.status?.nsPids?.at(-1);
    if (nsPid !== undefined && nsPid !== pid) renumbered.push({ pid, nsPid, id });
  }
  if (renumbered.length > 0) {
    findings.push({
      id: "pid-namespaces",
      boundary: "process→container",
      severity: "info",
      title: "PIDs differ inside and outside containers",
      detail: `${plural(renumbered.length, "containerised process", "containerised processes")} ${
        renumbered.length === 1 ? "has" : "have"
      } another PID inside ${renumbered.length === 1 ? "its" : "their"} PID namespace (e.g. ${
        renumbered.slice(0, 3).map((r) => `host ${r.pid} = ${r.nsPid} in ${short(r.id)}`).join(
          ", ",
        )
      }): a PID from a container's logs is not the host's.`,
      values: { processes: renumbered.length },
      subjects: renumbered.slice(0, 10).map((r) => r.pid),
    });
  }

  // process→container: RSS summed over processes vs the cgroup's charge.
  for (const snap of containers) {
    const usage = snap.stats.memory.usageBytes;
    if (usage === null || snap.container.pids.length === 0) continue;
    let rss = 0;
    for (const pid of snap.container.pids) {
      const p = o.after.processes.get(pid);
      if (p) rss += rssOf(p);
    }
    const file = snap.stats.memory.fileBytes ?? 0;
    if (usage > 0 && Math.abs(usage - rss) > 16 * MiB) {
      findings.push({
        id: "rss-vs-cgroup-memory",
        boundary: "process→container",
        severity: "info",
        title: "Process RSS and cgroup memory disagree",
        detail: `${snap.container.name ?? short(snap.container.id)}: processes' RSS sums to ${
          (rss / MiB).toFixed(0)
        } MiB, the cgroup is charged ${(usage / MiB).toFixed(0)} MiB (${
          (file / MiB).toFixed(0)
        } MiB page cache, shared pages counted once, kernel memory).`,
        values: { processRssBytes: rss, cgroupUsageBytes: usage, cgroupFileBytes: file },
        subjects: [snap.container.id],
      });
    }
  }

  // container→host: containers without limits.
  const noCpu = containers.filter((c) => c.stats.cpu.limitMillicores === null);
  const noMem = containers.filter((c) => c.stats.memory.limitBytes === null);
  if (noCpu.length + noMem.length > 0) {
    findings.push({
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
      subjects: [...new Set([...noCpu, ...noMem].map((c) => c.container.id))],
    });
  }

  // container→host: throttled while the host has idle CPU.
  const busy = host.cpu.busyPercent;
  const throttled = containers.filter((c) => (ratesOf(o, c)?.cpuThrottledPeriods ?? 0) > 0);
  if (throttled.length > 0 && busy !== null && busy < 80) {
    const idleCores = ((100 - busy) / 100) * host.cpuCount;
    findings.push({
      id: "throttled-with-idle-host",
      boundary: "container→host",
      severity: "warning",
      title: "Containers throttled while the host has idle CPU",
      detail: `${plural(throttled.length, "container")} ${
        throttled.length === 1 ? "was" : "were"
      } throttled (${
        throttled.map((c) =>
          `${c.container.name ?? short(c.container.id)}: ${
            ratesOf(o, c)?.cpuThrottledPeriods
          } periods`
        ).join(", ")
      }) while the host was ${busy.toFixed(0)}% busy with ${
        idleCores.toFixed(2)
      } cores idle: their CFS quota, not the host, limits them.`,
      values: { containers: throttled.length, hostBusyPercent: busy, idleCores },
      subjects: throttled.map((c) => c.container.id),
    });
  }

  // container→host: memory summed over containers vs host used.
  const used = host.memory.usedBytes;
  if (used !== null) {
    const sum = containers.reduce((s, c) => s + (c.stats.memory.workingSetBytes ?? 0), 0);
    findings.push({
      id: "container-memory-vs-host",
      boundary: "container→host",
      severity: "info",
      title: "Container memory against host memory",
      detail: `Containers' working sets sum to ${(sum / MiB).toFixed(0)} MiB of the host's ${
        (used / MiB).toFixed(0)
      } MiB used (total minus available); the other ${
        (Math.max(0, used - sum) / MiB).toFixed(0)
      } MiB belong to host processes, the kernel and caches no container is charged for.`,
      values: { containerWorkingSetBytes: sum, hostUsedBytes: used },
      subjects: [],
    });
  }

  // container→host: near the memory limit.
  for (const c of containers) {
    const ws = c.stats.memory.workingSetBytes;
    const limit = c.stats.memory.limitBytes;
    if (ws !== null && limit !== null && ws / limit > 0.9) {
      findings.push({
        id: "near-memory-limit",
        boundary: "container→host",
        severity: "warning",
        title: "Container near its memory limit",
        detail: `${c.container.name ?? short(c.container.id)} uses ${
          ((ws / limit) * 100).toFixed(0)
        }% of its ${(limit / MiB).toFixed(0)} MiB limit while the host has ${
          ((host.memory.availableBytes ?? 0) / MiB).toFixed(0)
        } MiB available: it will be OOM-killed or reclaimed long before the host notices.`,
        values: { workingSetBytes: ws, limitBytes: limit },
        subjects: [c.container.id],
      });
    }
  }

  // container→host: containers in the host's network namespace.
  const hostNet = containers.filter((c) => c.networkNote === "host network namespace");
  if (hostNet.length > 0) {
    findings.push({
      id: "host-network",
      boundary: "container→host",
      severity: "info",
      title: "Containers sharing the host network namespace",
      detail: `${plural(hostNet.length, "container")} ${
        hostNet.length === 1 ? "uses" : "use"
      } the host's network namespace: their traffic is only visible in host interface counters, not per container.`,
      values: { containers: hostNet.length },
      subjects: hostNet.map((c) => c.container.id),
    });
  }

  // cross-level: PSI shows stalls that utilisation hides.
  for (const c of containers) {
    const cpuSome = c.stats.pressure.cpu?.some.avg10 ?? 0;
    const memSome = c.stats.pressure.memory?.some.avg10 ?? 0;
    if (cpuSome > 10 || memSome > 10) {
      findings.push({
        id: "container-pressure",
        boundary: "cross-level",
        severity: "warning",
        title: "Container stalled on resources",
        detail: `${c.container.name ?? short(c.container.id)} spent ${
          cpuSome.toFixed(1)
        }% of the last 10 s waiting for CPU and ${
          memSome.toFixed(1)
        }% waiting for memory (host: cpu ${
          host.pressure.cpu?.someAvg10.toFixed(1) ?? "-"
        }%, memory ${host.pressure.memory?.someAvg10.toFixed(1) ?? "-"}%).`,
        values: { cpuSomeAvg10: cpuSome, memorySomeAvg10: memSome },
        subjects: [c.container.id],
      });
    }
  }

  return {
    intervalSeconds: (o.after.timeMs - o.before.timeMs) / 1000,
    hostBusyPercent: busy,
    findings,
  };
}
