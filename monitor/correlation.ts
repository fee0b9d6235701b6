/**
 * `monitor correlation <id>`: the isolation-level table of "The Docker monitoring problem"
 * (spec, on disk, in memory, in network, runtime context, isolation) filled with one container's
 * real values at the process, container and host level, then the three levels' metrics side by
 * side.
 *
 * @module
 */

import type { ContainerView, HostView, Observation, ProcessView } from "./model.ts";
import { containerView, hostView, processView } from "./model.ts";

/** One row of the isolation table. */
export interface CorrelationRow {
  aspect: string;
  process: string;
  container: string;
  host: string;
}

/** One metric at the three levels. */
export interface MetricRow {
  metric: string;
  unit: string;
  process: number | null;
  container: number | null;
  host: number | null;
}

/** The correlation document. */
export interface CorrelationView {
  containerId: string;
  /** The container's main process (lowest host PID). */
  mainPid: number | null;
  table: CorrelationRow[];
  metrics: MetricRow[];
  process: ProcessView | null;
  container: ContainerView;
  host: HostView;
}

const NAMESPACE_ISOLATION = ["pid", "mnt", "net", "uts", "ipc", "user", "cgroup"];

/** Builds the document for container `id`, or `null` when it is gone. */
export function correlationView(
  o: Observation,
  id: string,
  hostNamespaces: Record<string, number | null> | null,
  exePath: string | null,
): CorrelationView | null {
  const container = containerView(o, id);
  if (!container) return null;
  const host = hostView(o);
  const mainPid = container.processes[0]?.pid ?? null;
  const process = mainPid === null ? null : processView(o, mainPid);
  const own = NAMESPACE_ISOLATION.filter((t) =>
    process?.namespaces?.[t] != null && hostNamespaces?.[t] != null &&
    process.namespaces[t] !== hostNamespaces[t]
  );
  const shared = NAMESPACE_ISOLATION.filter((t) =>
    process?.namespaces?.[t] != null && !own.includes(t)
  );
  const physical = host.interfaces.filter((i) => i.kind === "physical").map((i) => i.name);
  const root = host.filesystems.find((f) => f.mountPoint === "/");
  const sockets = process?.sockets;
  const pids = container.processes.map((p) =>
    p.nsPid !== null && p.nsPid !== p.pid ? `${p.pid}→${p.nsPid}` : `${p.pid}`
  );
  const ifaces = container.network.interfaces.map((i) =>
    i.hostVeth ? `${i.name}@${i.hostVeth}` : i.name
  );
  const table: CorrelationRow[] = [
    {
      aspect: "spec",
      process: process?.cmdline ?? process?.name ?? "-",
      container: container.image ?? "-",
      host: host.os ?? "-",
    },
    {
      aspect: "on disk",
      process: exePath ?? "-",
      container: container.storagePath ?? "-",
      host: root ? `${root.device} on / (${root.fsType})` : "/",
    },
    {
      aspect: "in memory",
      process: pids.length > 0 ? `PID ${pids.join(", ")}` : "-",
      container: `${container.name ?? "-"} (${id.slice(0, 12)})`,
      host: host.hostname ?? "-",
    },
    {
      aspect: "in network",
      process: sockets
        ? `${sockets.count} sockets${
          sockets.list.length > 0
            ? ": " + sockets.list.slice(0, 3).map((s) => `${s.protocol} ${s.local}`).join(", ")
            : ""
        }`
        : "-",
      container: ifaces.length > 0 ? ifaces.join(", ") : container.network.note ?? "no interfaces",
      host: physical.join(", ") || "-",
    },
    {
      aspect: "runtime context",
      process: process ? `${process.threads} threads, ${process.state}` : "-",
      container: `${container.runtime ?? "?"} on ${host.hostname ?? "?"}`,
      host: `${host.cpuCount} CPUs, kernel ${host.kernel ?? "?"}`,
    },
    {
      aspect: "isolation",
      process: "own memory space, shares the container's namespaces",
      container: own.length > 0
        ? `own ${own.join(", ")} namespaces${
          shared.length > 0 ? `; shares ${shared.join(", ")} with the host` : ""
        }`
        : "no namespace of its own",
      host: "full: own kernel and page cache",
    },
  ];
  const metrics: MetricRow[] = [
    {
      metric: "cpu",
      unit: "millicores",
      process: process?.cpuMillicores ?? null,
      container: container.cpu.usageMillicores,
      host: host.cpu.userMillicores !== null && host.cpu.systemMillicores !== null
        ? host.cpu.userMillicores + host.cpu.systemMillicores
        : null,
    },
    {
      metric: "cpu limit",
      unit: "millicores",
      process: null,
      container: container.cpu.limitMillicores,
      host: host.cpuCount * 1000,
    },
    {
      metric: "memory",
      unit: "bytes",
      process: process?.rssBytes ?? null,
      container: container.memory.workingSetBytes,
      host: host.memory.usedBytes,
    },
    {
      metric: "memory limit",
      unit: "bytes",
      process: null,
      container: container.memory.limitBytes,
      host: host.memory.totalBytes,
    },
    {
      metric: "processes",
      unit: "count",
      process: 1,
      container: container.processes.length,
      host: host.processes,
    },
    {
      metric: "cpu pressure some avg10",
      unit: "percent",
      process: null,
      container: container.pressure.cpu?.someAvg10 ?? null,
      host: host.pressure.cpu?.someAvg10 ?? null,
    },
  ];
  return { containerId: id, mainPid, table, metrics, process, container, host };
}
