/**
 * What a recording holds of the three isolation levels of one node over a range — each container,
 * each recorded process and the host, as means (rates, gauges), totals (per-interval counts) and
 * peaks — read through the query layer for the gap analysis (mcp/gap.ts) and the correlation table
 * (mcp/correlation.ts) of `fgm monitor`.
 *
 * @module
 */

import type { Recording } from "../recording/recording.ts";
import type { Entity } from "../recording/entities.ts";
import { metricSummaries } from "./facts.ts";
import type { Summary } from "./stats.ts";

/** One container over the range. */
export interface ContainerFacts {
  /** Entity id (`node/container_id`). */
  id: string;
  containerId: string;
  name: string | null;
  labels: Entity["labels"];
  /** Samples of the container in the range. */
  samples: number;
  cpuMillicores: number | null;
  /** The last limit in the range; `null`: no limit. */
  cpuLimitMillicores: number | null;
  /** Throttled periods summed over the range. */
  throttledPeriods: number | null;
  memoryUsageBytes: number | null;
  memoryFileBytes: number | null;
  memoryLimitBytes: number | null;
  workingSetBytes: number | null;
  workingSetMaxBytes: number | null;
  pids: number | null;
  /** Highest 10-s PSI averages in the range, percent. */
  cpuSomeAvg10Max: number | null;
  memorySomeAvg10Max: number | null;
}

/** One recorded process over the range. */
export interface ProcessFacts {
  /** Its container's id, or `null` for a process outside containers. */
  containerId: string | null;
  pid: number;
  comm: string | null;
  /** Samples of the process in the range. */
  samples: number;
  /** CPU and RSS summed over its samples: divided by a container's samples, its share of the mean. */
  cpuMillicoresSum: number | null;
  rssBytesSum: number | null;
  vszBytes: number | null;
  threads: number | null;
}

/** The host over the range. */
export interface HostFacts {
  cpuCount: number | null;
  cpuMillicores: number | null;
  memoryUsedBytes: number | null;
  memoryAvailableBytes: number | null;
  memoryTotalBytes: number | null;
  processes: number | null;
  cpuSomeAvg10Max: number | null;
  memorySomeAvg10Max: number | null;
}

/** The three levels of one node over `[fromMs, toMs)`. */
export interface LevelFacts {
  node: string;
  fromMs: number;
  toMs: number;
  containers: ContainerFacts[];
  /** Whether the range holds any process row. */
  processesRecorded: boolean;
  /** Whether it holds rows of processes outside containers (`fgm collect --host-processes`). */
  hostProcessesRecorded: boolean;
  processes: ProcessFacts[];
  host: HostFacts | null;
}

const CONTAINER_METRICS = [
  "cpu_usage_millicores",
  "cpu_limit_millicores",
  "cpu_throttled_periods",
  "memory_usage_bytes",
  "memory_file_bytes",
  "memory_limit_bytes",
  "memory_working_set_bytes",
  "pids",
  "cpu_pressure_some_avg10",
  "memory_pressure_some_avg10",
] as const;
const PROCESS_METRICS = [
  "cpu_usage_millicores",
  "memory_rss_bytes",
  "memory_vsz_bytes",
  "threads",
] as const;
const HOST_METRICS = [
  "cpu_count",
  "cpu_usage_millicores",
  "memory_used_bytes",
  "memory_available_bytes",
  "memory_total_bytes",
  "processes",
  "cpu_pressure_some_avg10",
  "memory_pressure_some_avg10",
] as const;

type Pick = (s: Summary) => number;
const mean: Pick = (s) => s.mean;
const last: Pick = (s) => s.last;
const max: Pick = (s) => s.max;
const sum: Pick = (s) => s.sum;

/** Reads the levels of `node` over the range. */
export async function readLevels(
  rec: Recording,
  node: string,
  fromMs: number,
  toMs: number,
): Promise<LevelFacts> {
  const tables = rec.catalog.tables();
  const range = { fromMs, toMs, nodes: [node] };
  const read = async (table: string, metrics: readonly string[]) => {
    const stats = await metricSummaries(rec, { table, ...range }, metrics);
    return (metric: string, id: string, pick: Pick): number | null => {
      const s = stats.get(metric)?.get(id);
      return s === undefined ? null : pick(s);
    };
  };
  const samplesOf = async (table: string, metric: string) =>
    (await metricSummaries(rec, { table, ...range }, [metric])).get(metric) ?? new Map();

  const containers: ContainerFacts[] = [];
  if (tables.includes("containers")) {
    const v = await read("containers", CONTAINER_METRICS);
    const seen = await samplesOf("containers", "memory_usage_bytes");
    for (const e of await rec.entities({ table: "containers", ...range })) {
      const label = (k: string) => (e.labels[k] == null ? null : String(e.labels[k]));
      containers.push({
        id: e.id,
        containerId: label("container_id") ?? "",
        name: label("container_name"),
        labels: e.labels,
        samples: seen.get(e.id)?.samples ?? 0,
        cpuMillicores: v("cpu_usage_millicores", e.id, mean),
        cpuLimitMillicores: v("cpu_limit_millicores", e.id, last),
        throttledPeriods: v("cpu_throttled_periods", e.id, sum),
        memoryUsageBytes: v("memory_usage_bytes", e.id, mean),
        memoryFileBytes: v("memory_file_bytes", e.id, mean),
        memoryLimitBytes: v("memory_limit_bytes", e.id, last),
        workingSetBytes: v("memory_working_set_bytes", e.id, mean),
        workingSetMaxBytes: v("memory_working_set_bytes", e.id, max),
        pids: v("pids", e.id, last),
        cpuSomeAvg10Max: v("cpu_pressure_some_avg10", e.id, max),
        memorySomeAvg10Max: v("memory_pressure_some_avg10", e.id, max),
      });
    }
  }
  const processes: ProcessFacts[] = [];
  if (tables.includes("processes")) {
    const v = await read("processes", PROCESS_METRICS);
    const seen = await samplesOf("processes", "memory_rss_bytes");
    for (const e of await rec.entities({ table: "processes", ...range })) {
      const samples = seen.get(e.id)?.samples ?? 0;
      if (samples === 0) continue;
      processes.push({
        containerId: e.labels.container_id == null ? null : String(e.labels.container_id),
        pid: Number(e.labels.pid),
        comm: e.labels.comm == null ? null : String(e.labels.comm),
        samples,
        cpuMillicoresSum: v("cpu_usage_millicores", e.id, sum),
        rssBytesSum: v("memory_rss_bytes", e.id, sum),
        vszBytes: v("memory_vsz_bytes", e.id, last),
        threads: v("threads", e.id, last),
      });
    }
  }
  let host: HostFacts | null = null;
  if (tables.includes("host")) {
    const v = await read("host", HOST_METRICS);
    const id = node; // the host's entity id is its node
    host = {
      cpuCount: v("cpu_count", id, last),
      cpuMillicores: v("cpu_usage_millicores", id, mean),
      memoryUsedBytes: v("memory_used_bytes", id, mean),
      memoryAvailableBytes: v("memory_available_bytes", id, mean),
      memoryTotalBytes: v("memory_total_bytes", id, last),
      processes: v("processes", id, last),
      cpuSomeAvg10Max: v("cpu_pressure_some_avg10", id, max),
      memorySomeAvg10Max: v("memory_pressure_some_avg10", id, max),
    };
  }
  return {
    node,
    fromMs,
    toMs,
    containers,
    processesRecorded: processes.length > 0,
    hostProcessesRecorded: processes.some((p) => p.containerId === null),
    processes,
    host,
  };
}
