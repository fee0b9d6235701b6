/**
 * The gap analysis of `fgm monitor gap` (monitor/gap.ts) computed from a recording: the same
 * findings — ids, boundaries, severities, titles and thresholds — from what `fgm collect` wrote
 * over a range instead of two live sweeps, and the findings a recording cannot support, with why.
 * Rates and gauges are means over the range, per-interval counts totals, and the two alarms on a
 * threshold (near the memory limit, stalled on resources) use the worst second. Pure.
 *
 * @module
 */

import type { GapFinding } from "../monitor/gap.ts";
import { plural } from "../monitor/format.ts";
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

const MiB = 1024 * 1024;

const nameOf = (c: ContainerFacts) => c.name ?? c.containerId.slice(0, 12);

/** Computes the findings of `f` (see the module documentation). */
export function recordedGap(f: LevelFacts): RecordedGap {
  const findings: GapFinding[] = [];
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

  // process→container: processes no container accounts for.
  if (f.hostProcessesRecorded) {
    const outside = f.processes.filter((p) => p.containerId === null);
    const user = outside.filter((p) => (p.vszBytes ?? 1) > 0);
    const seconds = Math.max(1, ...outside.map((p) => p.samples));
    const cpu = user.reduce((s, p) => s + (p.cpuMillicoresSum ?? 0), 0) / seconds;
    const rssOf = (p: (typeof user)[number]) => (p.rssBytesSum ?? 0) / p.samples;
    const rss = user.reduce((s, p) => s + rssOf(p), 0);
    const top = user.map((p) => ({ pid: p.pid, comm: p.comm ?? "?", rss: rssOf(p) }))
      .sort((a, b) => b.rss - a.rss).slice(0, 5);
    findings.push({
      id: "processes-outside-containers",
      boundary: "process→container",
      severity: "info",
      title: "Processes outside any container",
      detail: `${plural(user.length, "user process", "user processes")} (and ${
        plural(outside.length - user.length, "kernel thread")
      }) ran outside containers, using ${cpu.toFixed(0)} m CPU and ${
        (rss / MiB).toFixed(0)
      } MiB RSS on average; container metrics never show them. Largest: ${
        top.map((p) => `${p.comm}(${p.pid}) ${(p.rss / MiB).toFixed(0)} MiB`).join(", ") || "none"
      }.`,
      values: {
        processes: user.length,
        kernelThreads: outside.length - user.length,
        cpuMillicores: Math.round(cpu),
        rssBytes: Math.round(rss),
      },
      subjects: top.map((p) => p.pid),
    });
  } else {
    notComputable.push({
      id: "processes-outside-containers",
      why: "processes outside containers are recorded only by fgm collect --host-processes",
    });
  }

  for (const c of f.containers) {
    const procs = byContainer.get(c.containerId);
    if (!procs || c.samples === 0) continue;
    // process→container: CPU the cgroup saw that no recorded process accounts for.
    if (c.cpuMillicores !== null) {
      const inProcs = procs.reduce((s, p) => s + (p.cpuMillicoresSum ?? 0), 0) / c.samples;
      const unaccounted = c.cpuMillicores - inProcs;
      if (unaccounted > 50 && unaccounted > c.cpuMillicores * 0.2) {
        findings.push({
          id: "cpu-not-in-processes",
          boundary: "process→container",
          severity: "info",
          title: "Container CPU not explained by its current processes",
          detail: `${nameOf(c)}: the cgroup used ${
            c.cpuMillicores.toFixed(0)
          } m on average but its recorded processes only ${inProcs.toFixed(0)} m; ${
            unaccounted.toFixed(0)
          } m went to processes that started and exited within a second (per-process tools miss them).`,
          values: {
            cgroupMillicores: Math.round(c.cpuMillicores),
            processMillicores: Math.round(inProcs),
          },
          subjects: [c.containerId],
        });
      }
    }
    // process→container: RSS summed over processes vs the cgroup's charge.
    const usage = c.memoryUsageBytes;
    if (usage !== null && usage > 0) {
      const rss = procs.reduce((s, p) => s + (p.rssBytesSum ?? 0), 0) / c.samples;
      const file = c.memoryFileBytes ?? 0;
      if (Math.abs(usage - rss) > 16 * MiB) {
        findings.push({
          id: "rss-vs-cgroup-memory",
          boundary: "process→container",
          severity: "info",
          title: "Process RSS and cgroup memory disagree",
          detail: `${nameOf(c)}: processes' RSS sums to ${
            (rss / MiB).toFixed(0)
          } MiB, the cgroup is charged ${(usage / MiB).toFixed(0)} MiB (${
            (file / MiB).toFixed(0)
          } MiB page cache, shared pages counted once, kernel memory).`,
          values: {
            processRssBytes: Math.round(rss),
            cgroupUsageBytes: Math.round(usage),
            cgroupFileBytes: Math.round(file),
          },
          subjects: [c.containerId],
        });
      }
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

  // container→host: containers without limits.
  const containers = f.containers;
  const noCpu = containers.filter((c) => c.cpuLimitMillicores === null);
  const noMem = containers.filter((c) => c.memoryLimitBytes === null);
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
      subjects: [...new Set([...noCpu, ...noMem].map((c) => c.containerId))],
    });
  }

  // container→host: throttled while the host has idle CPU.
  const throttled = containers.filter((c) => (c.throttledPeriods ?? 0) > 0);
  if (throttled.length > 0 && busy !== null && busy < 80) {
    const idleCores = ((100 - busy) / 100) * (host?.cpuCount ?? 0);
    findings.push({
      id: "throttled-with-idle-host",
      boundary: "container→host",
      severity: "warning",
      title: "Containers throttled while the host has idle CPU",
      detail: `${plural(throttled.length, "container")} ${
        throttled.length === 1 ? "was" : "were"
      } throttled (${
        throttled.map((c) => `${nameOf(c)}: ${c.throttledPeriods} periods`).join(", ")
      }) while the host was ${busy.toFixed(0)}% busy with ${
        idleCores.toFixed(2)
      } cores idle: their CFS quota, not the host, limits them.`,
      values: { containers: throttled.length, hostBusyPercent: busy, idleCores },
      subjects: throttled.map((c) => c.containerId),
    });
  }

  // container→host: memory summed over containers vs host used.
  const used = host?.memoryUsedBytes ?? null;
  if (used !== null) {
    const sum = containers.reduce((s, c) => s + (c.workingSetBytes ?? 0), 0);
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
      values: { containerWorkingSetBytes: Math.round(sum), hostUsedBytes: Math.round(used) },
      subjects: [],
    });
  }

  // container→host: near the memory limit (the worst second).
  for (const c of containers) {
    const ws = c.workingSetMaxBytes;
    const limit = c.memoryLimitBytes;
    if (ws !== null && limit !== null && limit > 0 && ws / limit > 0.9) {
      findings.push({
        id: "near-memory-limit",
        boundary: "container→host",
        severity: "warning",
        title: "Container near its memory limit",
        detail: `${nameOf(c)} used up to ${((ws / limit) * 100).toFixed(0)}% of its ${
          (limit / MiB).toFixed(0)
        } MiB limit while the host had ${
          ((host?.memoryAvailableBytes ?? 0) / MiB).toFixed(0)
        } MiB available: it will be OOM-killed or reclaimed long before the host notices.`,
        values: { workingSetBytes: ws, limitBytes: limit },
        subjects: [c.containerId],
      });
    }
  }
  notComputable.push({
    id: "host-network",
    why: "whether a container shares the host's network namespace is not recorded",
  });

  // cross-level: PSI shows stalls that utilisation hides (the worst 10-s average).
  for (const c of containers) {
    const cpuSome = c.cpuSomeAvg10Max ?? 0;
    const memSome = c.memorySomeAvg10Max ?? 0;
    if (cpuSome > 10 || memSome > 10) {
      findings.push({
        id: "container-pressure",
        boundary: "cross-level",
        severity: "warning",
        title: "Container stalled on resources",
        detail: `${nameOf(c)} spent up to ${
          cpuSome.toFixed(1)
        }% of 10 s waiting for CPU and up to ${memSome.toFixed(1)}% waiting for memory (host: cpu ${
          host?.cpuSomeAvg10Max?.toFixed(1) ?? "-"
        }%, memory ${host?.memorySomeAvg10Max?.toFixed(1) ?? "-"}%).`,
        values: { cpuSomeAvg10: cpuSome, memorySomeAvg10: memSome },
        subjects: [c.containerId],
      });
    }
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
