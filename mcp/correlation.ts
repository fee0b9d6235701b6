/**
 * The isolation table of `fgm monitor correlation <id>` (monitor/correlation.ts) from a recording:
 * the same rows (spec, on disk, in memory, in network, runtime context, isolation) and metric rows
 * (process, container, host side by side) filled with what `fgm collect` records over a range,
 * and `"not recorded"` in the cells a recording cannot fill, listed in `notRecorded`. Pure.
 *
 * @module
 */

import type { CorrelationRow, MetricRow } from "../monitor/correlation.ts";
import type { LevelFacts } from "./levels.ts";

/** The correlation document of one container over a range. */
export interface RecordedCorrelation {
  containerId: string;
  name: string | null;
  node: string;
  fromMs: number;
  toMs: number;
  /** The container's main process (lowest host PID recorded in the range). */
  mainPid: number | null;
  table: CorrelationRow[];
  metrics: MetricRow[];
  /** What `fgm monitor correlation` shows that a recording does not hold. */
  notRecorded: string[];
}

/** Text of a cell the recording cannot fill. */
export const NOT_RECORDED = "not recorded";

const NOT_RECORDED_LIST = [
  "the process's command line and executable path (only its command name, comm, is recorded)",
  "the container's image and storage path",
  "the host's OS, kernel version and root filesystem",
  "sockets, network interfaces and host veths",
  "namespaces (isolation) and PIDs inside the container's PID namespace",
];

/**
 * The correlation of container `containerId` (a full id) in `f`, or `null` when `f` has no such
 * container.
 */
export function recordedCorrelation(
  f: LevelFacts,
  containerId: string,
): RecordedCorrelation | null {
  const c = f.containers.find((x) => x.containerId === containerId);
  if (!c) return null;
  const procs = f.processes.filter((p) => p.containerId === containerId)
    .sort((a, b) => a.pid - b.pid);
  const main = procs[0] ?? null;
  const perSecond = (sum: number | null, samples: number) =>
    sum === null || samples === 0 ? null : sum / samples;
  const label = (k: string) => (c.labels[k] == null ? null : String(c.labels[k]));
  const host = f.host;
  const pod = label("pod_name");
  const table: CorrelationRow[] = [
    {
      aspect: "spec",
      process: main?.comm ?? "-",
      container: NOT_RECORDED,
      host: NOT_RECORDED,
    },
    { aspect: "on disk", process: NOT_RECORDED, container: NOT_RECORDED, host: NOT_RECORDED },
    {
      aspect: "in memory",
      process: procs.length > 0 ? `PID ${procs.map((p) => p.pid).join(", ")}` : "-",
      container: `${c.name ?? "-"} (${containerId.slice(0, 12)})${
        pod ? `, pod ${label("namespace") ?? "-"}/${pod}` : ""
      }`,
      host: f.node,
    },
    { aspect: "in network", process: NOT_RECORDED, container: NOT_RECORDED, host: NOT_RECORDED },
    {
      aspect: "runtime context",
      process: main?.threads != null ? `${main.threads} threads` : "-",
      container: `${label("runtime") ?? "?"} on ${f.node}${
        label("qos_class") ? `, QoS ${label("qos_class")}` : ""
      }`,
      host: host?.cpuCount != null ? `${host.cpuCount} CPUs` : "-",
    },
    {
      aspect: "isolation",
      process: "own memory space, shares the container's namespaces",
      container: NOT_RECORDED,
      host: "full: own kernel and page cache",
    },
  ];
  const metrics: MetricRow[] = [
    {
      metric: "cpu",
      unit: "millicores",
      process: main ? perSecond(main.cpuMillicoresSum, main.samples) : null,
      container: c.cpuMillicores,
      host: host?.cpuMillicores ?? null,
    },
    {
      metric: "cpu limit",
      unit: "millicores",
      process: null,
      container: c.cpuLimitMillicores,
      host: host?.cpuCount != null ? host.cpuCount * 1000 : null,
    },
    {
      metric: "memory",
      unit: "bytes",
      process: main ? perSecond(main.rssBytesSum, main.samples) : null,
      container: c.workingSetBytes,
      host: host?.memoryUsedBytes ?? null,
    },
    {
      metric: "memory limit",
      unit: "bytes",
      process: null,
      container: c.memoryLimitBytes,
      host: host?.memoryTotalBytes ?? null,
    },
    {
      metric: "processes",
      unit: "count",
      process: main ? 1 : null,
      container: procs.length > 0 ? procs.length : c.pids,
      host: host?.processes ?? null,
    },
    {
      metric: "cpu pressure some avg10",
      unit: "percent",
      process: null,
      container: c.cpuSomeAvg10Max,
      host: host?.cpuSomeAvg10Max ?? null,
    },
  ];
  return {
    containerId,
    name: c.name,
    node: f.node,
    fromMs: f.fromMs,
    toMs: f.toMs,
    mainPid: main?.pid ?? null,
    table,
    metrics,
    notRecorded: NOT_RECORDED_LIST,
  };
}
