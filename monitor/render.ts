/**
 * Terminal rendering of the monitor documents: `render*(view) -> string`, pure and tested as text.
 *
 * @module
 */

import type { CorrelationView } from "./correlation.ts";
import type { GapView } from "./gap.ts";
import type {
  ContainerSummary,
  ContainerView,
  HostView,
  PressureView,
  ProcessView,
} from "./model.ts";
import {
  formatBytes,
  formatDuration,
  formatLimit,
  formatMillicores,
  formatNumber,
  formatPercent,
  formatRate,
  UNKNOWN,
} from "./format.ts";
import { renderSection, renderTable } from "./table.ts";

function pressure(p: PressureView | null): string {
  if (!p) return "not available";
  const full = p.fullAvg10 === null ? "" : `, full ${p.fullAvg10.toFixed(2)}%`;
  return `some ${p.someAvg10.toFixed(2)}%${full} (avg10)`;
}

function time(ms: number | null): string {
  return ms === null ? UNKNOWN : new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}

function notes(list: string[]): string {
  return list.length === 0 ? "" : `\nNotes:\n${list.map((n) => `  - ${n}`).join("\n")}`;
}

/** The host's container table. */
export function renderContainerTable(rows: ContainerSummary[]): string {
  if (rows.length === 0) return "  (no containers)";
  return renderTable(
    ["CONTAINER", "NAME", "RUNTIME", "POD", "CPU", "LIMIT", "THROTTLED", "MEMORY", "LIMIT", "PIDS"],
    rows.map((c) => [
      c.id.slice(0, 12),
      c.name ?? UNKNOWN,
      c.runtime ?? UNKNOWN,
      c.pod ?? UNKNOWN,
      formatMillicores(c.cpuMillicores),
      c.cpuLimitMillicores === null ? "none" : formatMillicores(c.cpuLimitMillicores),
      formatNumber(c.throttledPeriods),
      formatBytes(c.memoryWorkingSetBytes),
      formatLimit(c.memoryLimitBytes),
      String(c.pids),
    ]),
    {
      indent: "  ",
      align: ["left", "left", "left", "left", "right", "right", "right", "right", "right", "right"],
    },
  );
}

/** Renders `monitor host`. */
export function renderHost(v: HostView): string {
  const m = v.memory;
  const parts = [
    renderSection(`Host ${v.hostname ?? UNKNOWN}`, [
      ["os", v.os ?? UNKNOWN],
      ["kernel", v.kernel ?? UNKNOWN],
      ["uptime", formatDuration(v.uptimeSeconds)],
      [
        "cpu",
        `${v.cpuCount} CPUs, ${formatPercent(v.cpu.busyPercent)} busy (user ${
          formatMillicores(v.cpu.userMillicores)
        }, system ${formatMillicores(v.cpu.systemMillicores)}, iowait ${
          formatMillicores(v.cpu.iowaitMillicores)
        }, steal ${formatMillicores(v.cpu.stealMillicores)})`,
      ],
      [
        "load",
        v.load
          ? `${v.load.load1.toFixed(2)} ${v.load.load5.toFixed(2)} ${
            v.load.load15.toFixed(2)
          } (${v.load.runnable} runnable of ${v.load.total})`
          : UNKNOWN,
      ],
      [
        "memory",
        `${formatBytes(m.usedBytes)} used of ${formatBytes(m.totalBytes)}, ${
          formatBytes(m.availableBytes)
        } available, ${formatBytes(m.cachedBytes)} cached`,
      ],
      [
        "swap",
        m.swapTotalBytes === 0
          ? "none"
          : `${formatBytes(m.swapUsedBytes)} used of ${formatBytes(m.swapTotalBytes)}`,
      ],
      ["pressure cpu", pressure(v.pressure.cpu)],
      ["pressure memory", pressure(v.pressure.memory)],
      ["pressure io", pressure(v.pressure.io)],
      ["processes", String(v.processes)],
    ]),
    "\nFilesystems",
    v.filesystems.length === 0 ? "  (none readable)" : renderTable(
      ["MOUNT", "DEVICE", "TYPE", "SIZE", "USED", "AVAIL", "USE%"],
      v.filesystems.map((f) => [
        f.mountPoint,
        f.device,
        f.fsType,
        formatBytes(f.sizeBytes),
        formatBytes(f.usedBytes),
        formatBytes(f.availableBytes),
        formatPercent(
          f.usedBytes + f.availableBytes > 0
            ? (f.usedBytes / (f.usedBytes + f.availableBytes)) * 100
            : null,
        ),
      ]),
      { indent: "  ", align: ["left", "left", "left", "right", "right", "right", "right"] },
    ),
    "\nNetwork interfaces",
    renderTable(
      ["NAME", "KIND", "RX/s", "TX/s", "RX", "TX", "RX PKTS", "TX PKTS"],
      v.interfaces.map((i) => [
        i.name,
        i.kind,
        formatRate(i.rxBytesPerSecond),
        formatRate(i.txBytesPerSecond),
        formatBytes(i.rxBytesTotal),
        formatBytes(i.txBytesTotal),
        String(i.rxPacketsTotal),
        String(i.txPacketsTotal),
      ]),
      {
        indent: "  ",
        align: ["left", "left", "right", "right", "right", "right", "right", "right"],
      },
    ),
    `\nContainers (${v.containers.length})`,
    renderContainerTable(v.containers),
  ];
  return parts.join("\n") + notes(v.notes);
}

/** Renders `monitor process <pid>`. */
export function renderProcess(v: ProcessView): string {
  const pairs: [string, string][] = [
    [
      "pid",
      v.nsPid !== null && v.nsPid !== v.pid ? `${v.pid} (${v.nsPid} in its namespace)` : `${v.pid}`,
    ],
    ["ppid", String(v.ppid)],
    ["name", v.name],
    ["cmdline", v.cmdline ?? UNKNOWN],
    ["state", v.state],
    ["user", v.user ?? (v.uid === null ? UNKNOWN : String(v.uid))],
    ["threads", String(v.threads)],
    ["started", time(v.startedAtMs)],
    [
      "cpu",
      `${formatPercent(v.cpuPercent)} of a core (${formatMillicores(v.cpuMillicores)}: user ${
        formatMillicores(v.cpuUserMillicores)
      }, system ${formatMillicores(v.cpuSystemMillicores)}), ${
        formatDuration(v.cpuTimeSeconds)
      } total`,
    ],
    ["rss", formatBytes(v.rssBytes)],
    ["pss", formatBytes(v.pssBytes)],
    ["vsz", formatBytes(v.vszBytes)],
    ["swap", formatBytes(v.swapBytes)],
    ["open fds", formatNumber(v.fds)],
    [
      "io",
      `read ${formatRate(v.ioReadBytesPerSecond)}, write ${formatRate(v.ioWriteBytesPerSecond)}`,
    ],
    [
      "sockets",
      v.sockets ? `${v.sockets.count} (${v.sockets.tcp} tcp, ${v.sockets.udp} udp)` : UNKNOWN,
    ],
    ["cgroup", v.cgroupPath ?? UNKNOWN],
    [
      "container",
      v.container
        ? `${v.container.name ?? UNKNOWN} (${v.container.id.slice(0, 12)})`
        : "none (host)",
    ],
    [
      "namespaces",
      v.namespaces
        ? Object.entries(v.namespaces).map(([k, n]) => `${k}:${n ?? UNKNOWN}`).join(" ")
        : UNKNOWN,
    ],
  ];
  let out = renderSection(`Process ${v.pid} (${v.name})`, pairs);
  if (v.sockets && v.sockets.list.length > 0) {
    out += "\n\nSockets\n" + renderTable(
      ["PROTO", "LOCAL", "REMOTE", "STATE"],
      v.sockets.list.map((s) => [s.protocol, s.local, s.remote, s.state]),
      { indent: "  " },
    );
  }
  return out + notes(v.notes);
}

/** Renders `monitor container <id>`. */
export function renderContainer(v: ContainerView): string {
  const k = v.kubernetes;
  const cpu = v.cpu;
  const mem = v.memory;
  const pairs: [string, string][] = [
    ["id", v.id],
    ["name", v.name ?? UNKNOWN],
    ["runtime", v.runtime ?? UNKNOWN],
    ["state", v.state ?? UNKNOWN],
    ["image", v.image ?? UNKNOWN],
  ];
  if (k) {
    pairs.push(
      ["pod", `${k.namespace ?? UNKNOWN}/${k.podName ?? UNKNOWN} (uid ${k.podUid ?? UNKNOWN})`],
      ["qos class", k.qosClass ?? UNKNOWN],
      ["k8s container", k.sandbox ? "POD (sandbox)" : k.containerName ?? UNKNOWN],
    );
  }
  pairs.push(
    ["cgroup", `${v.cgroupPath ?? UNKNOWN} (${v.cgroupVersion})`],
    [
      "cpu",
      `${formatMillicores(cpu.usageMillicores)} (user ${
        formatMillicores(cpu.userMillicores)
      }, system ${formatMillicores(cpu.systemMillicores)}), limit ${
        cpu.limitMillicores === null ? "none" : formatMillicores(cpu.limitMillicores)
      }`,
    ],
    [
      "throttling",
      cpu.periods === null
        ? `${formatNumber(cpu.throttledPeriodsTotal)} periods, ${
          formatNumber(cpu.throttledSecondsTotal)
        } s since start`
        : `${formatNumber(cpu.throttledPeriods)} of ${formatNumber(cpu.periods)} periods (${
          formatPercent(cpu.throttledPercent)
        }), ${formatNumber(cpu.throttledSeconds, 3)} s in the interval; ${
          formatNumber(cpu.throttledPeriodsTotal)
        } periods since start`,
    ],
    [
      "memory",
      `${formatBytes(mem.workingSetBytes)} working set of ${formatLimit(mem.limitBytes)}${
        mem.limitUsedPercent === null ? "" : ` (${formatPercent(mem.limitUsedPercent)})`
      }; usage ${formatBytes(mem.usageBytes)}, anon ${formatBytes(mem.anonBytes)}, file ${
        formatBytes(mem.fileBytes)
      }, swap ${formatBytes(mem.swapBytes)}`,
    ],
    ["oom kills", formatNumber(mem.oomKillsTotal)],
    [
      "memory events",
      `over high ${formatNumber(mem.highEventsTotal)}, at limit ${
        formatNumber(mem.maxEventsTotal)
      }, oom ${formatNumber(mem.oomEventsTotal)} since start`,
    ],
    ["pressure cpu", pressure(v.pressure.cpu)],
    ["pressure memory", pressure(v.pressure.memory)],
    ["pressure io", pressure(v.pressure.io)],
    [
      "block io",
      `read ${formatRate(v.io.readBytesPerSecond)}, write ${formatRate(v.io.writeBytesPerSecond)}`,
    ],
    [
      "pids",
      `${formatNumber(v.pids.current)} of ${v.pids.limit === null ? "unlimited" : v.pids.limit}`,
    ],
    ["hostname", v.hostname ?? UNKNOWN],
    ["storage", v.storagePath ?? UNKNOWN],
    ["started", time(v.startedAtMs)],
    [
      "namespaces",
      v.namespaces
        ? Object.entries(v.namespaces).map(([n, i]) => `${n}:${i ?? UNKNOWN}`).join(" ")
        : UNKNOWN,
    ],
  );
  const net = v.network.interfaces.length === 0
    ? `  ${v.network.note ?? "no interfaces besides lo"}`
    : renderTable(
      ["NAME", "HOST VETH", "RX/s", "TX/s", "RX", "TX"],
      v.network.interfaces.map((i) => [
        i.name,
        i.hostVeth ?? UNKNOWN,
        formatRate(i.rxBytesPerSecond),
        formatRate(i.txBytesPerSecond),
        formatBytes(i.rxBytesTotal),
        formatBytes(i.txBytesTotal),
      ]),
      { indent: "  ", align: ["left", "left", "right", "right", "right", "right"] },
    );
  const procs = v.processes.length === 0 ? "  (no processes)" : renderTable(
    ["PID", "NSPID", "NAME", "STATE", "CPU", "RSS", "PSS"],
    v.processes.map((p) => [
      String(p.pid),
      formatNumber(p.nsPid),
      p.name,
      p.state,
      formatMillicores(p.cpuMillicores),
      formatBytes(p.rssBytes),
      formatBytes(p.pssBytes),
    ]),
    { indent: "  ", align: ["right", "right", "left", "left", "right", "right", "right"] },
  );
  return [
    renderSection(`Container ${v.name ?? v.id.slice(0, 12)}`, pairs),
    "\nNetwork",
    net,
    `\nProcesses (${v.processes.length})`,
    procs,
  ].join("\n") + notes(v.notes);
}

/** Renders `monitor all`. */
export function renderAll(host: HostView, containers: ContainerView[]): string {
  return [renderHost(host), ...containers.map((c) => "\n" + renderContainer(c))].join("\n");
}

/** Renders `monitor gap`. */
export function renderGap(v: GapView): string {
  const lines = [`Gap analysis over ${v.intervalSeconds.toFixed(1)} s`];
  for (const boundary of ["process→container", "container→host", "cross-level"]) {
    const found = v.findings.filter((f) => f.boundary === boundary);
    if (found.length === 0) continue;
    lines.push("", `${boundary}`);
    for (const f of found) {
      lines.push(`  [${f.severity}] ${f.title}`, `    ${f.detail}`);
    }
  }
  return lines.join("\n");
}

/** Renders `monitor correlation <id>`. */
export function renderCorrelation(v: CorrelationView): string {
  const value = (unit: string, n: number | null) =>
    unit === "bytes"
      ? formatBytes(n)
      : unit === "millicores"
      ? formatMillicores(n)
      : unit === "percent"
      ? formatPercent(n)
      : formatNumber(n);
  return [
    `Correlation for container ${v.container.name ?? v.containerId.slice(0, 12)}`,
    "",
    renderTable(
      ["ASPECT", "PROCESS", "CONTAINER", "HOST"],
      v.table.map((r) => [r.aspect, r.process, r.container, r.host]),
      { indent: "  ", maxCell: 48 },
    ),
    "",
    "Metrics by level",
    renderTable(
      ["METRIC", `PROCESS ${v.mainPid ?? ""}`.trim(), "CONTAINER", "HOST"],
      v.metrics.map((m) => [
        m.metric,
        value(m.unit, m.process),
        value(m.unit, m.container),
        value(m.unit, m.host),
      ]),
      { indent: "  ", align: ["left", "right", "right", "right"] },
    ),
  ].join("\n");
}
