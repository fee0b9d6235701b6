/**
 * The three wide tables `fgm collect` writes — `containers`, `processes`, `host` — one row per
 * entity per sample. Each column is declared here once: name (with its unit), storage type, unit,
 * kind, description, kernel source, and the function that computes its value from the row's
 * context ({@linkcode ContainerRow}, {@linkcode ProcessRow}, {@linkcode HostRow}). Counters become
 * per-interval amounts or rates between two consecutive sweeps; the first sample of a series has
 * null there, never zeros. Every value is a plain integer, double or string: integer millicores,
 * microseconds and bytes keep what the kernel counts exactly (specs/data_contract.md).
 *
 * @module
 */

import type { ContainerSnapshot, Snapshot } from "../reader/sweep.ts";
import {
  type ContainerRates,
  containerRates,
  counterDelta,
  stallMicroseconds,
  sumInterfaces,
} from "../reader/rates.ts";
import { type HostCpuUse, hostCpuUse, type HostSample } from "../reader/host.ts";
import { processCpuMillicores, type ProcessSample } from "../reader/process.ts";
import type { Pressure } from "../reader/parse/pressure.ts";
import { type ColumnName, defineTable, microsOfMs, type Table, whole } from "./columns.ts";
import { appendRow, type TableBuffer } from "./table_buffer.ts";

/** What one container's row is computed from. */
export interface ContainerRow {
  /** The sweep's time, epoch ms (whole). */
  time: number;
  node: string;
  snap: ContainerSnapshot;
  /** Rates since the container's previous sample; `null` at its first. */
  rates: ContainerRates | null;
  /** The container's pressure readings at its previous sample; `undefined` at its first. */
  pressureBefore: ContainerSnapshot["stats"]["pressure"] | undefined;
  /** Sum of its processes' PSS on a PSS tick, else `null`. */
  pssBytes: number | null;
  /** Pod labels as JSON with sorted keys, or `null`. */
  podLabels: string | null;
}

/** What one process's row is computed from. */
export interface ProcessRow {
  time: number;
  node: string;
  /** Its container, or `null` on the host. */
  containerId: string | null;
  p: ProcessSample;
  /** The same process's previous sample (same PID and start time), or `null`. */
  prev: ProcessSample | null;
  cpu: { total: number; user: number; system: number } | null;
}

/** What the collector knows about itself for the host row. */
export interface CollectorFigures {
  cpuMillicores: number | null;
  rssBytes: number | null;
  sweepMs: number;
  pssMs: number | null;
  missedTicks: number;
  errors: number;
  /** Files that could not be written since the previous row (a full disk, say). */
  writeErrors: number;
}

/** What the host's row is computed from. */
export interface HostRow {
  time: number;
  node: string;
  h: HostSample;
  /** The previous sweep's host sample, or `null`. */
  before: HostSample | null;
  cpu: HostCpuUse | null;
  processes: number;
  containers: number;
  self: CollectorFigures;
}

const avg10 = (p: Pressure | null | undefined, line: "some" | "full"): number | null =>
  !p ? null : line === "some" ? p.some.avg10 : p.full?.avg10 ?? null;

/** Stall µs between two readings (whole, as the kernel counts); `null` without a previous one. */
const stall = (
  before: Pressure | null | undefined,
  after: Pressure | null | undefined,
  line: "some" | "full",
): number | null => (before ? whole(stallMicroseconds(before, after, line)) : null);

/** The first two columns of every table: when, and on which node. */
const timeAndNode = <Row extends { time: number; node: string }>() =>
  [
    {
      name: "time",
      type: "timestamp_ms",
      unit: "timestamp",
      kind: "time",
      nullable: false,
      description: "When the sweep read this entity (UTC)",
      source: "clock",
      value: (r: Row) => r.time,
    },
    {
      name: "node",
      type: "string",
      unit: "text",
      kind: "label",
      nullable: false,
      description: "Node identifier (--identifier, POD_NAME, NODE_NAME or hostname)",
      source: "env",
      value: (r: Row) => r.node,
    },
  ] as const;

type PressureResource = "cpu" | "memory" | "io";

/** Source of a container's PSI column. */
const psiFile = (r: PressureResource, total: boolean) => `${r}.pressure${total ? " total" : ""}`;

/** Column list of the `containers` table. */
export const CONTAINERS = defineTable<ContainerRow>()(
  "containers",
  [
    ...timeAndNode<ContainerRow>(),
    {
      name: "container_id",
      type: "string",
      unit: "text",
      kind: "label",
      nullable: false,
      description: "Full container id",
      source: "cgroup path",
      value: (r) => r.snap.container.id,
    },
    {
      name: "container_name",
      type: "string",
      unit: "text",
      kind: "label",
      description: "Runtime's name",
      source: "runtime metadata",
      value: (r) => r.snap.container.name,
    },
    {
      name: "runtime",
      type: "string",
      unit: "text",
      kind: "label",
      description: "docker, containerd, cri-o, podman, runc",
      source: "cgroup path",
      value: (r) => r.snap.container.runtime,
    },
    {
      name: "pod_name",
      type: "string",
      unit: "text",
      kind: "label",
      description: "Kubernetes pod",
      source: "CRI annotations, /var/log/pods, API",
      value: (r) => r.snap.container.podName,
    },
    {
      name: "namespace",
      type: "string",
      unit: "text",
      kind: "label",
      description: "Kubernetes namespace",
      source: "CRI annotations, /var/log/pods, API",
      value: (r) => r.snap.container.podNamespace,
    },
    {
      name: "pod_uid",
      type: "string",
      unit: "text",
      kind: "label",
      description: "Kubernetes pod UID",
      source: "kubepods cgroup path",
      value: (r) => r.snap.container.podUid,
    },
    {
      name: "qos_class",
      type: "string",
      unit: "text",
      kind: "label",
      description: "Guaranteed, Burstable or BestEffort",
      source: "kubepods cgroup path",
      value: (r) => r.snap.container.qosClass,
    },
    {
      name: "pod_labels",
      type: "string",
      unit: "text",
      kind: "label",
      description:
        "Pod labels as a JSON object with sorted keys; null outside Kubernetes or without the API",
      source: "Kubernetes API (pods on this node)",
      value: (r) => r.podLabels,
    },
    {
      name: "cpu_usage_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "CPU used over the interval",
      source: "cpu.stat usage_usec / cpuacct.usage",
      value: (r) => whole(r.rates?.cpuMillicores),
    },
    {
      name: "cpu_user_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "User CPU over the interval",
      source: "cpu.stat user_usec / cpuacct.usage_user",
      value: (r) => whole(r.rates?.cpuUserMillicores),
    },
    {
      name: "cpu_system_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "System CPU over the interval",
      source: "cpu.stat system_usec / cpuacct.usage_sys",
      value: (r) => whole(r.rates?.cpuSystemMillicores),
    },
    {
      name: "cpu_limit_millicores",
      type: "int32",
      unit: "millicores",
      kind: "gauge",
      description: "CFS quota / period × 1000, rounded; null = unlimited",
      source: "cpu.cfs_quota_us / cpu.max",
      value: (r) => whole(r.snap.stats.cpu.limitMillicores),
    },
    {
      name: "cpu_periods",
      type: "int32",
      unit: "count",
      kind: "interval",
      description: "CFS periods elapsed in the interval",
      source: "cpu.stat nr_periods",
      value: (r) => r.rates?.cpuPeriods ?? null,
    },
    {
      name: "cpu_throttled_periods",
      type: "int32",
      unit: "count",
      kind: "interval",
      description: "Periods throttled in the interval",
      source: "cpu.stat nr_throttled",
      value: (r) => r.rates?.cpuThrottledPeriods ?? null,
    },
    {
      name: "cpu_throttled_usec",
      type: "int64",
      unit: "microseconds",
      kind: "interval",
      description: "Time throttled in the interval",
      source: "cpu.stat throttled_time (ns) / throttled_usec",
      value: (r) => {
        const ns = r.rates?.cpuThrottledNs;
        return ns === null || ns === undefined ? null : whole(ns / 1000);
      },
    },
    {
      name: "memory_usage_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Memory charged to the cgroup",
      source: "memory.usage_in_bytes / memory.current",
      value: (r) => r.snap.stats.memory.usageBytes,
    },
    {
      name: "memory_limit_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Hard limit; null = unlimited",
      source: "memory.limit_in_bytes / memory.max",
      value: (r) => r.snap.stats.memory.limitBytes,
    },
    {
      name: "memory_working_set_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Usage minus inactive file (kubelet's)",
      source: "memory.stat",
      value: (r) => r.snap.stats.memory.workingSetBytes,
    },
    {
      name: "memory_anon_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Anonymous memory",
      source: "memory.stat rss / anon",
      value: (r) => r.snap.stats.memory.anonBytes,
    },
    {
      name: "memory_file_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Page cache",
      source: "memory.stat cache / file",
      value: (r) => r.snap.stats.memory.fileBytes,
    },
    {
      name: "memory_pss_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Sum of the processes' PSS (PSS ticks only, else null)",
      source: "/proc/<pid>/smaps_rollup",
      value: (r) => r.pssBytes,
    },
    {
      name: "memory_swap_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Swap used",
      source: "memory.stat swap / memory.swap.current",
      value: (r) => r.snap.stats.memory.swapBytes,
    },
    {
      name: "memory_oom_kills_total",
      type: "int32",
      unit: "count",
      kind: "total",
      description: "OOM kills since the cgroup was created",
      source: "memory.oom_control / memory.events",
      value: (r) => r.snap.stats.memory.oomKills,
    },
    {
      name: "memory_high_events_total",
      type: "int64",
      unit: "count",
      kind: "total",
      description:
        "Times memory usage went over memory.high and was throttled into reclaim, since the cgroup was created (null on cgroup v1, which has no memory.high)",
      source: "memory.events high",
      value: (r) => r.snap.stats.memory.highEvents,
    },
    {
      name: "memory_max_events_total",
      type: "int64",
      unit: "count",
      kind: "total",
      description:
        "Times memory usage hit the limit and the kernel reclaimed to stay under it, since the cgroup was created",
      source: "memory.events max / memory.failcnt",
      value: (r) => r.snap.stats.memory.maxEvents,
    },
    {
      name: "memory_oom_events_total",
      type: "int64",
      unit: "count",
      kind: "total",
      description:
        "Times an allocation failed at the memory limit and the OOM killer was invoked, since the cgroup was created (null on cgroup v1, which keeps no such count)",
      source: "memory.events oom",
      value: (r) => r.snap.stats.memory.oomEvents,
    },
    ...(["cpu", "memory", "io"] as const).flatMap((res) =>
      (["some", "full"] as const).map((line) => ({
        name: `${res}_pressure_${line}_avg10` as const,
        type: "double" as const,
        unit: "percent" as const,
        kind: "gauge" as const,
        description: `% of time ${line === "some" ? "some task" : "all tasks"} stalled on ${
          res === "io" ? "IO" : res === "cpu" ? "CPU" : res
        } (the kernel's 10-s average, as printed)`,
        source: psiFile(res, false),
        value: (r: ContainerRow) => avg10(r.snap.stats.pressure[res], line),
      }))
    ),
    ...(["cpu", "memory", "io"] as const).flatMap((res) =>
      (["some", "full"] as const).map((line) => ({
        name: `${res}_pressure_${line}_usec` as const,
        type: "int64" as const,
        unit: "microseconds" as const,
        kind: "interval" as const,
        description: `Time ${line === "some" ? "some task" : "all tasks"} stalled on ${
          res === "io" ? "IO" : res === "cpu" ? "CPU" : res
        } in the interval`,
        source: psiFile(res, true),
        value: (r: ContainerRow) =>
          stall(r.pressureBefore?.[res], r.snap.stats.pressure[res], line),
      }))
    ),
    {
      name: "io_read_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Bytes read from block devices in the interval",
      source: "blkio.throttle.io_service_bytes / io.stat",
      value: (r) => r.rates?.ioReadBytes ?? null,
    },
    {
      name: "io_write_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Bytes written to block devices in the interval",
      source: "blkio.throttle.io_service_bytes / io.stat",
      value: (r) => r.rates?.ioWriteBytes ?? null,
    },
    {
      name: "network_rx_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Bytes received in the interval (its network namespace)",
      source: "/proc/<pid>/net/dev",
      value: (r) => r.rates?.networkRxBytes ?? null,
    },
    {
      name: "network_tx_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Bytes sent in the interval (its network namespace)",
      source: "/proc/<pid>/net/dev",
      value: (r) => r.rates?.networkTxBytes ?? null,
    },
    {
      name: "pids",
      type: "int32",
      unit: "count",
      kind: "gauge",
      description: "Tasks in the cgroup",
      source: "pids.current",
      value: (r) => r.snap.stats.pids.current,
    },
    {
      name: "pids_limit",
      type: "int32",
      unit: "count",
      kind: "gauge",
      description: "Task limit; null = unlimited",
      source: "pids.max",
      value: (r) => r.snap.stats.pids.limit,
    },
  ] as const,
  { key: ["container_id"] },
);

/** Column list of the `processes` table. */
export const PROCESSES = defineTable<ProcessRow>()(
  "processes",
  [
    ...timeAndNode<ProcessRow>(),
    {
      name: "container_id",
      type: "string",
      unit: "text",
      kind: "label",
      description: "Container of the process; null on the host",
      source: "/proc/<pid>/cgroup",
      value: (r) => r.containerId,
    },
    {
      name: "pid",
      type: "int32",
      unit: "id",
      kind: "label",
      nullable: false,
      description: "PID in the host's namespace",
      source: "/proc",
      value: (r) => r.p.pid,
    },
    {
      name: "ppid",
      type: "int32",
      unit: "id",
      kind: "label",
      description: "Parent PID",
      source: "/proc/<pid>/stat",
      value: (r) => r.p.stat.ppid,
    },
    {
      name: "comm",
      type: "string",
      unit: "text",
      kind: "label",
      description: "Command name",
      source: "/proc/<pid>/stat",
      value: (r) => r.p.stat.comm,
    },
    {
      name: "state",
      type: "string",
      unit: "text",
      kind: "gauge",
      description: "R, S, D, Z, T, I …",
      source: "/proc/<pid>/stat",
      value: (r) => r.p.stat.state,
    },
    {
      name: "cpu_usage_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "CPU over the interval",
      source: "/proc/<pid>/stat utime+stime",
      value: (r) => whole(r.cpu?.total),
    },
    {
      name: "cpu_user_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "User CPU over the interval",
      source: "/proc/<pid>/stat utime",
      value: (r) => whole(r.cpu?.user),
    },
    {
      name: "cpu_system_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "System CPU over the interval",
      source: "/proc/<pid>/stat stime",
      value: (r) => whole(r.cpu?.system),
    },
    {
      name: "memory_rss_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Resident set",
      source: "/proc/<pid>/stat rss × page size",
      value: (r) => r.p.rssBytes,
    },
    {
      name: "memory_pss_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Proportional set (PSS ticks only, else null)",
      source: "/proc/<pid>/smaps_rollup",
      value: (r) => r.p.smaps?.pss ?? null,
    },
    {
      name: "memory_vsz_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "Virtual size",
      source: "/proc/<pid>/stat vsize",
      value: (r) => r.p.stat.vsizeBytes,
    },
    {
      name: "threads",
      type: "int32",
      unit: "count",
      kind: "gauge",
      description: "Threads",
      source: "/proc/<pid>/stat num_threads",
      value: (r) => r.p.stat.numThreads,
    },
    {
      name: "fds",
      type: "int32",
      unit: "count",
      kind: "gauge",
      description: "Open file descriptors",
      source: "/proc/<pid>/fd",
      value: (r) => r.p.fds,
    },
    {
      name: "io_read_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Bytes read from storage in the interval",
      source: "/proc/<pid>/io read_bytes",
      value: (r) => r.prev ? counterDelta(r.prev.io?.readBytes, r.p.io?.readBytes) : null,
    },
    {
      name: "io_write_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Bytes written to storage in the interval",
      source: "/proc/<pid>/io write_bytes",
      value: (r) => r.prev ? counterDelta(r.prev.io?.writeBytes, r.p.io?.writeBytes) : null,
    },
  ] as const,
  { key: ["container_id", "pid"] },
);

const nonLoopback = (s: HostSample) => s.interfaces.filter((i) => i.name !== "lo");
const diskBytes = (s: HostSample, f: "readBytes" | "writeBytes") =>
  s.disks.reduce((sum, d) => sum + d[f], 0);
const hostNet = (r: HostRow, f: "rxBytes" | "txBytes") =>
  r.before
    ? counterDelta(sumInterfaces(nonLoopback(r.before), f), sumInterfaces(nonLoopback(r.h), f))
    : null;
const hostDisk = (r: HostRow, f: "readBytes" | "writeBytes") =>
  r.before ? counterDelta(diskBytes(r.before, f), diskBytes(r.h, f)) : null;
/** The host's PSI lines: its cpu file has no meaningful "full" line (never all tasks at once). */
const HOST_PSI = [
  ["cpu", "some", "some task stalled on CPU"],
  ["memory", "some", "some task stalled on memory"],
  ["memory", "full", "all tasks stalled on memory"],
  ["io", "some", "some task stalled on IO"],
  ["io", "full", "all tasks stalled on IO"],
] as const;

/** Column list of the `host` table. */
export const HOST = defineTable<HostRow>()(
  "host",
  [
    ...timeAndNode<HostRow>(),
    {
      name: "cpu_count",
      type: "int32",
      unit: "count",
      kind: "gauge",
      description: "Online CPUs",
      source: "/proc/stat",
      value: (r) => r.h.stat?.cpus.length ?? null,
    },
    {
      name: "cpu_usage_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "CPU busy over the interval (user + system)",
      source: "/proc/stat",
      value: (r) => whole(r.cpu?.totalMillicores),
    },
    {
      name: "cpu_user_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "User + nice over the interval",
      source: "/proc/stat",
      value: (r) => whole(r.cpu?.userMillicores),
    },
    {
      name: "cpu_system_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "System + irq + softirq over the interval",
      source: "/proc/stat",
      value: (r) => whole(r.cpu?.systemMillicores),
    },
    {
      name: "cpu_iowait_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "Idle waiting on IO over the interval",
      source: "/proc/stat",
      value: (r) => whole(r.cpu?.iowaitMillicores),
    },
    {
      name: "cpu_steal_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "Stolen by the hypervisor over the interval",
      source: "/proc/stat",
      value: (r) => whole(r.cpu?.stealMillicores),
    },
    {
      name: "load1",
      type: "double",
      unit: "tasks",
      kind: "gauge",
      description: "1-minute load average, as printed",
      source: "/proc/loadavg",
      value: (r) => r.h.loadavg?.load1 ?? null,
    },
    {
      name: "load5",
      type: "double",
      unit: "tasks",
      kind: "gauge",
      description: "5-minute load average, as printed",
      source: "/proc/loadavg",
      value: (r) => r.h.loadavg?.load5 ?? null,
    },
    {
      name: "load15",
      type: "double",
      unit: "tasks",
      kind: "gauge",
      description: "15-minute load average, as printed",
      source: "/proc/loadavg",
      value: (r) => r.h.loadavg?.load15 ?? null,
    },
    {
      name: "memory_total_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "MemTotal",
      source: "/proc/meminfo",
      value: (r) => r.h.meminfo?.memTotalBytes ?? null,
    },
    {
      name: "memory_available_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "MemAvailable",
      source: "/proc/meminfo",
      value: (r) => r.h.meminfo?.memAvailableBytes ?? null,
    },
    {
      name: "memory_used_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "MemTotal − MemAvailable",
      source: "/proc/meminfo",
      value: (r) => {
        const m = r.h.meminfo;
        return m?.memTotalBytes != null && m?.memAvailableBytes != null
          ? m.memTotalBytes - m.memAvailableBytes
          : null;
      },
    },
    {
      name: "swap_total_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "SwapTotal",
      source: "/proc/meminfo",
      value: (r) => r.h.meminfo?.swapTotalBytes ?? null,
    },
    {
      name: "swap_used_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "SwapTotal − SwapFree",
      source: "/proc/meminfo",
      value: (r) => {
        const m = r.h.meminfo;
        return m?.swapTotalBytes != null && m?.swapFreeBytes != null
          ? m.swapTotalBytes - m.swapFreeBytes
          : null;
      },
    },
    ...HOST_PSI.map(([res, line, what]) => ({
      name: `${res}_pressure_${line}_avg10` as const,
      type: "double" as const,
      unit: "percent" as const,
      kind: "gauge" as const,
      description: `% of time ${what} (the kernel's 10-s average, as printed)`,
      source: `/proc/pressure/${res}`,
      value: (r: HostRow) => avg10(r.h.pressure[res], line),
    })),
    ...HOST_PSI.map(([res, line, what]) => ({
      name: `${res}_pressure_${line}_usec` as const,
      type: "int64" as const,
      unit: "microseconds" as const,
      kind: "interval" as const,
      description: `Time ${what} in the interval`,
      source: `/proc/pressure/${res} total`,
      value: (r: HostRow) => stall(r.before?.pressure[res], r.h.pressure[res], line),
    })),
    {
      name: "network_rx_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Received on non-loopback interfaces in the interval",
      source: "/proc/net/dev",
      value: (r) => hostNet(r, "rxBytes"),
    },
    {
      name: "network_tx_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Sent on non-loopback interfaces in the interval",
      source: "/proc/net/dev",
      value: (r) => hostNet(r, "txBytes"),
    },
    {
      name: "disk_read_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Read from whole physical disks in the interval",
      source: "/proc/diskstats",
      value: (r) => hostDisk(r, "readBytes"),
    },
    {
      name: "disk_write_bytes",
      type: "int64",
      unit: "bytes",
      kind: "interval",
      description: "Written to whole physical disks in the interval",
      source: "/proc/diskstats",
      value: (r) => hostDisk(r, "writeBytes"),
    },
    {
      name: "processes",
      type: "int32",
      unit: "count",
      kind: "gauge",
      description: "Processes on the host",
      source: "/proc",
      value: (r) => r.processes,
    },
    {
      name: "containers",
      type: "int32",
      unit: "count",
      kind: "gauge",
      description: "Containers on the host",
      source: "cgroups",
      value: (r) => r.containers,
    },
    {
      name: "collector_cpu_millicores",
      type: "int32",
      unit: "millicores",
      kind: "rate",
      description: "fgm's own CPU over the interval",
      source: "/proc/self/stat",
      value: (r) => whole(r.self.cpuMillicores),
    },
    {
      name: "collector_rss_bytes",
      type: "int64",
      unit: "bytes",
      kind: "gauge",
      description: "fgm's own resident memory",
      source: "/proc/self/status VmRSS",
      value: (r) => r.self.rssBytes,
    },
    {
      name: "collector_sweep_usec",
      type: "int32",
      unit: "microseconds",
      kind: "gauge",
      description: "Duration of this sweep",
      source: "clock",
      value: (r) => microsOfMs(r.self.sweepMs),
    },
    {
      name: "collector_pss_usec",
      type: "int32",
      unit: "microseconds",
      kind: "gauge",
      description: "Time spent reading smaps_rollup this tick (PSS ticks, else null)",
      source: "clock",
      value: (r) => microsOfMs(r.self.pssMs),
    },
    {
      name: "collector_missed_ticks",
      type: "int32",
      unit: "count",
      kind: "interval",
      description: "Ticks skipped since the previous row",
      source: "scheduler",
      value: (r) => r.self.missedTicks,
    },
    {
      name: "collector_errors",
      type: "int32",
      unit: "count",
      kind: "interval",
      description: "Read and write errors since the previous row",
      source: "collector",
      value: (r) => r.self.errors,
    },
    {
      name: "collector_write_errors",
      type: "int32",
      unit: "count",
      kind: "interval",
      description:
        "Files that could not be written since the previous row (their rows wait in memory)",
      source: "collector",
      value: (r) => r.self.writeErrors,
    },
  ] as const,
);

/** Every table, in the order files are written. */
export const TABLES: readonly Table[] = [CONTAINERS, PROCESSES, HOST];

/** Column names of each table, as types. */
export type ContainersColumn = ColumnName<typeof CONTAINERS>;
/** Column names of the `processes` table. */
export type ProcessesColumn = ColumnName<typeof PROCESSES>;
/** Column names of the `host` table. */
export type HostColumn = ColumnName<typeof HOST>;

/** The collector's buffers, one per table. */
export interface TableBuffers {
  containers: TableBuffer<ContainerRow>;
  processes: TableBuffer<ProcessRow>;
  host: TableBuffer<HostRow>;
}

/**
 * Appends the rows of one sweep (`after`) to the buffers, with per-interval values from `before`
 * (the previous sweep, or `null` at the first sample: rates stay null).
 */
export function appendSweep(
  buffers: TableBuffers,
  before: Snapshot | null,
  after: Snapshot,
  node: string,
  self: CollectorFigures,
  { hostProcesses = false, podLabels = () => null }: {
    hostProcesses?: boolean;
    /** Pod labels of a container, from the Kubernetes API when the collector has it. */
    podLabels?: (container: ContainerSnapshot["container"]) => Record<string, string> | null;
  } = {},
): void {
  const time = Math.round(after.timeMs);
  const seconds = before ? (after.timeMs - before.timeMs) / 1000 : 0;
  for (const snap of after.containers.values()) {
    const prev = before?.containers.get(snap.container.id);
    let pssBytes: number | null = null;
    for (const pid of snap.container.pids) {
      const p = after.processes.get(pid);
      if (p?.smaps) pssBytes = (pssBytes ?? 0) + p.smaps.pss;
    }
    const labels = podLabels(snap.container);
    appendRow(buffers.containers, {
      time,
      node,
      snap,
      rates: prev ? containerRates(prev, snap, seconds) : null,
      pressureBefore: prev?.stats.pressure,
      pssBytes,
      podLabels: labels === null ? null : JSON.stringify(sortKeys(labels)),
    });
  }
  for (const p of after.processes.values()) {
    const containerId = after.processContainer.get(p.pid) ?? null;
    if (containerId === null && !hostProcesses) continue;
    const prev = before?.processes.get(p.pid);
    const cpu = prev ? processCpuMillicores(prev, p) : null;
    // Another process with a recycled PID is not "the previous sample".
    appendRow(buffers.processes, {
      time,
      node,
      containerId,
      p,
      prev: prev !== undefined && cpu !== null ? prev : null,
      cpu,
    });
  }
  const h = after.host;
  if (h) {
    const hb = before?.host ?? null;
    appendRow(buffers.host, {
      time,
      node,
      h,
      before: hb,
      cpu: hb ? hostCpuUse(hb, h) : null,
      processes: after.processCount,
      containers: after.containers.size,
      self,
    });
  }
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
