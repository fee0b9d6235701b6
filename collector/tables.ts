/**
 * The three wide tables `fgm collect` writes — `containers`, `processes`, `host` — one row per
 * entity per sample, typed columns with units in their names, and the pure functions that turn two
 * consecutive sweeps into rows. Counters become per-interval values (or rates) between the two
 * sweeps; the first sample of a series has null rates, never zeros. Every column's kernel source
 * is documented in specs/collector.md.
 *
 * @module
 */

import type { ContainerSnapshot, Snapshot } from "../reader/sweep.ts";
import { containerRates, counterDelta, stallSeconds, sumInterfaces } from "../reader/rates.ts";
import { hostCpuUse } from "../reader/host.ts";
import { processCpuMillicores } from "../reader/process.ts";
import type { Pressure } from "../reader/parse/pressure.ts";
import { type ColumnSpec, decimalLimit, NUMERIC_COLUMN_TYPES } from "./parquet/schema.ts";
import { type CellValue, type ColumnData, isMaskedColumn, vectorAt } from "./parquet/write.ts";

/** A column's physical type (see collector/parquet/schema.ts). */
export type ColumnType = ColumnSpec["type"];

/** One column. */
export interface Column extends ColumnSpec {
  description: string;
  /** Where the value comes from in the kernel or runtime. */
  source: string;
}

/** A table: its name and columns. */
export interface Table {
  name: "containers" | "processes" | "host";
  columns: Column[];
}

const c = (
  name: string,
  type: ColumnType,
  description: string,
  source: string,
  nullable = true,
): Column => ({ name, type, nullable, description, source });

/**
 * A decimal column: a scaled integer, exact and far smaller than a float once compressed
 * (measured in bench/README_parquet.md). Millicores keep 0.1 m, pressure 0.01 % as the kernel
 * prints it, seconds 1 µs.
 */
const d = (name: string, scale: number, description: string, source: string): Column => ({
  name,
  type: "decimal",
  scale,
  nullable: true,
  description,
  source,
});

// Sources of the stall-time columns: the `total=` counter (µs) of each PSI file's line.
const CPU_T = "cpu.pressure total";
const MEM_T = "memory.pressure total";
const IO_T = "io.pressure total";
const HOST_CPU_T = "/proc/pressure/cpu total";
const HOST_MEM_T = "/proc/pressure/memory total";
const HOST_IO_T = "/proc/pressure/io total";

const TIME = c("time", "timestamp_ms", "When the sweep read this entity (UTC)", "clock", false);
const NODE = c("node", "string", "Node identifier (POD_NAME, NODE_NAME or hostname)", "env", false);

/** Column list of the `containers` table. */
export const CONTAINERS: Table = {
  name: "containers",
  columns: [
    TIME,
    NODE,
    c("container_id", "string", "Full container id", "cgroup path", false),
    c("container_name", "string", "Runtime's name", "runtime metadata"),
    c("runtime", "string", "docker, containerd, cri-o, podman, runc", "cgroup path"),
    c("pod_name", "string", "Kubernetes pod", "CRI annotations, /var/log/pods, API"),
    c("namespace", "string", "Kubernetes namespace", "CRI annotations, /var/log/pods, API"),
    c("pod_uid", "string", "Kubernetes pod UID", "kubepods cgroup path"),
    c("qos_class", "string", "Guaranteed, Burstable or BestEffort", "kubepods cgroup path"),
    c(
      "pod_labels",
      "string",
      "Pod labels as a JSON object with sorted keys; null outside Kubernetes or without the API",
      "Kubernetes API (pods on this node)",
    ),
    d(
      "cpu_usage_millicores",
      1,
      "CPU used over the interval",
      "cpu.stat usage_usec / cpuacct.usage",
    ),
    d(
      "cpu_user_millicores",
      1,
      "User CPU over the interval",
      "cpu.stat user_usec / cpuacct.usage_user",
    ),
    d(
      "cpu_system_millicores",
      1,
      "System CPU over the interval",
      "cpu.stat system_usec / cpuacct.usage_sys",
    ),
    d(
      "cpu_limit_millicores",
      1,
      "CFS quota / period × 1000; null = unlimited",
      "cpu.cfs_quota_us / cpu.max",
    ),
    c("cpu_periods", "int32", "CFS periods elapsed in the interval", "cpu.stat nr_periods"),
    c(
      "cpu_throttled_periods",
      "int32",
      "Periods throttled in the interval",
      "cpu.stat nr_throttled",
    ),
    d(
      "cpu_throttled_seconds",
      6,
      "Time throttled in the interval",
      "cpu.stat throttled_time / throttled_usec",
    ),
    c(
      "memory_usage_bytes",
      "int64",
      "Memory charged to the cgroup",
      "memory.usage_in_bytes / memory.current",
    ),
    c(
      "memory_limit_bytes",
      "int64",
      "Hard limit; null = unlimited",
      "memory.limit_in_bytes / memory.max",
    ),
    c("memory_working_set_bytes", "int64", "Usage minus inactive file (kubelet's)", "memory.stat"),
    c("memory_anon_bytes", "int64", "Anonymous memory", "memory.stat rss / anon"),
    c("memory_file_bytes", "int64", "Page cache", "memory.stat cache / file"),
    c(
      "memory_pss_bytes",
      "int64",
      "Sum of the processes' PSS (PSS ticks only)",
      "/proc/<pid>/smaps_rollup",
    ),
    c("memory_swap_bytes", "int64", "Swap used", "memory.stat swap / memory.swap.current"),
    c(
      "memory_oom_kills_total",
      "int32",
      "OOM kills since the cgroup was created",
      "memory.oom_control / memory.events",
    ),
    d("cpu_pressure_some_avg10", 2, "% of time some task stalled on CPU", "cpu.pressure"),
    d("cpu_pressure_full_avg10", 2, "% of time all tasks stalled on CPU", "cpu.pressure"),
    d("memory_pressure_some_avg10", 2, "% of time some task stalled on memory", "memory.pressure"),
    d("memory_pressure_full_avg10", 2, "% of time all tasks stalled on memory", "memory.pressure"),
    d("io_pressure_some_avg10", 2, "% of time some task stalled on IO", "io.pressure"),
    d("io_pressure_full_avg10", 2, "% of time all tasks stalled on IO", "io.pressure"),
    d("cpu_pressure_some_seconds", 6, "Time some task stalled on CPU in the interval", CPU_T),
    d("cpu_pressure_full_seconds", 6, "Time all tasks stalled on CPU in the interval", CPU_T),
    d("memory_pressure_some_seconds", 6, "Time some task stalled on memory in the interval", MEM_T),
    d("memory_pressure_full_seconds", 6, "Time all tasks stalled on memory in the interval", MEM_T),
    d("io_pressure_some_seconds", 6, "Time some task stalled on IO in the interval", IO_T),
    d("io_pressure_full_seconds", 6, "Time all tasks stalled on IO in the interval", IO_T),
    c(
      "io_read_bytes",
      "int64",
      "Bytes read from block devices in the interval",
      "blkio.throttle.io_service_bytes / io.stat",
    ),
    c(
      "io_write_bytes",
      "int64",
      "Bytes written to block devices in the interval",
      "blkio.throttle.io_service_bytes / io.stat",
    ),
    c(
      "network_rx_bytes",
      "int64",
      "Bytes received in the interval (its network namespace)",
      "/proc/<pid>/net/dev",
    ),
    c(
      "network_tx_bytes",
      "int64",
      "Bytes sent in the interval (its network namespace)",
      "/proc/<pid>/net/dev",
    ),
    c("pids", "int32", "Tasks in the cgroup", "pids.current"),
    c("pids_limit", "int32", "Task limit; null = unlimited", "pids.max"),
  ],
};

/** Column list of the `processes` table. */
export const PROCESSES: Table = {
  name: "processes",
  columns: [
    TIME,
    NODE,
    c("container_id", "string", "Container of the process; null on the host", "/proc/<pid>/cgroup"),
    c("pid", "int32", "PID in the host's namespace", "/proc", false),
    c("ppid", "int32", "Parent PID", "/proc/<pid>/stat"),
    c("comm", "string", "Command name", "/proc/<pid>/stat"),
    c("state", "string", "R, S, D, Z, T, I …", "/proc/<pid>/stat"),
    d("cpu_usage_millicores", 1, "CPU over the interval", "/proc/<pid>/stat utime+stime"),
    d("cpu_user_millicores", 1, "User CPU over the interval", "/proc/<pid>/stat utime"),
    d("cpu_system_millicores", 1, "System CPU over the interval", "/proc/<pid>/stat stime"),
    c("memory_rss_bytes", "int64", "Resident set", "/proc/<pid>/stat rss × page size"),
    c("memory_pss_bytes", "int64", "Proportional set (PSS ticks only)", "/proc/<pid>/smaps_rollup"),
    c("memory_vsz_bytes", "int64", "Virtual size", "/proc/<pid>/stat vsize"),
    c("threads", "int32", "Threads", "/proc/<pid>/stat num_threads"),
    c("fds", "int32", "Open file descriptors", "/proc/<pid>/fd"),
    c(
      "io_read_bytes",
      "int64",
      "Bytes read from storage in the interval",
      "/proc/<pid>/io read_bytes",
    ),
    c(
      "io_write_bytes",
      "int64",
      "Bytes written to storage in the interval",
      "/proc/<pid>/io write_bytes",
    ),
  ],
};

/** Column list of the `host` table. */
export const HOST: Table = {
  name: "host",
  columns: [
    TIME,
    NODE,
    c("cpu_count", "int32", "Online CPUs", "/proc/stat"),
    d("cpu_usage_millicores", 1, "CPU busy over the interval (user+system)", "/proc/stat"),
    d("cpu_user_millicores", 1, "User + nice", "/proc/stat"),
    d("cpu_system_millicores", 1, "System + irq + softirq", "/proc/stat"),
    d("cpu_iowait_millicores", 1, "Idle waiting on IO", "/proc/stat"),
    d("cpu_steal_millicores", 1, "Stolen by the hypervisor", "/proc/stat"),
    d("load1", 2, "1-minute load average", "/proc/loadavg"),
    d("load5", 2, "5-minute load average", "/proc/loadavg"),
    d("load15", 2, "15-minute load average", "/proc/loadavg"),
    c("memory_total_bytes", "int64", "MemTotal", "/proc/meminfo"),
    c("memory_available_bytes", "int64", "MemAvailable", "/proc/meminfo"),
    c("memory_used_bytes", "int64", "MemTotal − MemAvailable", "/proc/meminfo"),
    c("swap_total_bytes", "int64", "SwapTotal", "/proc/meminfo"),
    c("swap_used_bytes", "int64", "SwapTotal − SwapFree", "/proc/meminfo"),
    d("cpu_pressure_some_avg10", 2, "% of time some task stalled on CPU", "/proc/pressure/cpu"),
    d("memory_pressure_some_avg10", 2, "% some stalled on memory", "/proc/pressure/memory"),
    d("memory_pressure_full_avg10", 2, "% all stalled on memory", "/proc/pressure/memory"),
    d("io_pressure_some_avg10", 2, "% some stalled on IO", "/proc/pressure/io"),
    d("io_pressure_full_avg10", 2, "% all stalled on IO", "/proc/pressure/io"),
    d("cpu_pressure_some_seconds", 6, "Some stalled on CPU in the interval", HOST_CPU_T),
    d("memory_pressure_some_seconds", 6, "Some stalled on memory in the interval", HOST_MEM_T),
    d("memory_pressure_full_seconds", 6, "All stalled on memory in the interval", HOST_MEM_T),
    d("io_pressure_some_seconds", 6, "Some stalled on IO in the interval", HOST_IO_T),
    d("io_pressure_full_seconds", 6, "All stalled on IO in the interval", HOST_IO_T),
    c(
      "network_rx_bytes",
      "int64",
      "Received on non-loopback interfaces in the interval",
      "/proc/net/dev",
    ),
    c(
      "network_tx_bytes",
      "int64",
      "Sent on non-loopback interfaces in the interval",
      "/proc/net/dev",
    ),
    c(
      "disk_read_bytes",
      "int64",
      "Read from whole physical disks in the interval",
      "/proc/diskstats",
    ),
    c(
      "disk_write_bytes",
      "int64",
      "Written to whole physical disks in the interval",
      "/proc/diskstats",
    ),
    c("processes", "int32", "Processes on the host", "/proc"),
    c("containers", "int32", "Containers on the host", "cgroups"),
    d("collector_cpu_millicores", 1, "fgm's own CPU over the interval", "/proc/self/stat"),
    c("collector_rss_bytes", "int64", "fgm's own resident memory", "/proc/self/status VmRSS"),
    d("collector_sweep_ms", 2, "Duration of this sweep", "clock"),
    d("collector_pss_ms", 2, "Time spent reading smaps_rollup this tick (PSS ticks)", "clock"),
    c("collector_missed_ticks", "int32", "Ticks skipped since the previous row", "scheduler"),
    c("collector_errors", "int32", "Read and write errors since the previous row", "collector"),
  ],
};

/** Every table, in the order files are written. */
export const TABLES: Table[] = [CONTAINERS, PROCESSES, HOST];

/**
 * A numeric column being filled: values in a `Float64Array` (exact for every integer the tables
 * hold, up to 2^53) with a null mask, grown by doubling. Ten seconds of rows would otherwise be
 * JS arrays of boxed numbers that survive young-generation collections until the flush.
 */
interface NumericStore {
  values: Float64Array;
  nulls: Uint8Array;
  /** What the column's Parquet type holds: `|value| × factor`, rounded, at most `limit`. */
  factor: number;
  limit: number;
  /** Whether only integers fit (integer types; decimals are rounded to their scale instead). */
  integer: boolean;
}

/** Column values of one table, appended row by row. */
export interface TableBuffer {
  table: Table;
  /** Numeric columns as {@linkcode NumericStore}s, strings and booleans as arrays. */
  stores: Record<string, NumericStore | CellValue[]>;
  rows: number;
  /**
   * Values {@linkcode appendRow} stored as null because the column's type cannot hold them (an
   * int32 past 2^31, a decimal past its precision, NaN), counted since the buffer was made; and
   * the column of the last one. One such value would otherwise fail every encode of its rows.
   */
  unstorable: number;
  unstorableColumn: string | null;
}

const INITIAL_ROWS = 256;

/** The range of a numeric column's type, as {@linkcode NumericStore} keeps it. */
function rangeOf(col: Column): Pick<NumericStore, "factor" | "limit" | "integer"> {
  switch (col.type) {
    case "int32":
      return { factor: 1, limit: 2_147_483_647, integer: true };
    case "int64":
    case "timestamp_ms":
      return { factor: 1, limit: Number.MAX_SAFE_INTEGER, integer: true };
    case "decimal":
      return {
        factor: 10 ** (col.scale ?? 0),
        limit: decimalLimit(col),
        integer: false,
      };
    default:
      return { factor: 1, limit: Infinity, integer: false };
  }
}

/** An empty buffer for `table`. */
export function newBuffer(table: Table): TableBuffer {
  const stores: TableBuffer["stores"] = {};
  for (const col of table.columns) {
    stores[col.name] = NUMERIC_COLUMN_TYPES.has(col.type)
      ? {
        values: new Float64Array(INITIAL_ROWS),
        nulls: new Uint8Array(INITIAL_ROWS),
        ...rangeOf(col),
      }
      : [];
  }
  return { table, stores, rows: 0, unstorable: 0, unstorableColumn: null };
}

function grow(store: NumericStore, rows: number): void {
  if (rows <= store.values.length) return;
  let size = store.values.length * 2;
  while (size < rows) size *= 2;
  const values = new Float64Array(size);
  values.set(store.values);
  const nulls = new Uint8Array(size);
  nulls.set(store.nulls);
  store.values = values;
  store.nulls = nulls;
}

/** Whether the column's Parquet type can hold `v`. */
function fits(store: NumericStore, v: number): boolean {
  return Math.round(Math.abs(v) * store.factor) <= store.limit &&
    (!store.integer || Number.isInteger(v));
}

/**
 * Appends one row; missing columns are null, and so are numbers the column's type cannot hold
 * (counted in {@linkcode TableBuffer.unstorable}).
 *
 * @throws {TypeError} when a numeric column gets something other than a number or null.
 */
export function appendRow(buffer: TableBuffer, row: Record<string, unknown>): void {
  const i = buffer.rows;
  for (const col of buffer.table.columns) {
    const v = row[col.name];
    const store = buffer.stores[col.name];
    if (Array.isArray(store)) {
      store.push(v === undefined ? null : v as CellValue);
      continue;
    }
    grow(store, i + 1);
    if (v === null || v === undefined) {
      store.nulls[i] = 1;
      store.values[i] = 0;
    } else if (typeof v === "number") {
      // NaN fails the comparison in fits(): stored as null too.
      const ok = fits(store, v);
      store.nulls[i] = ok ? 0 : 1;
      store.values[i] = ok ? v : 0;
      if (!ok) {
        buffer.unstorable++;
        buffer.unstorableColumn = col.name;
      }
    } else {
      throw new TypeError(
        `Cannot buffer column "${col.name}": expected a number, got ${typeof v}`,
      );
    }
  }
  buffer.rows++;
}

/**
 * Appends the first `count` rows of `columns` (every column of the buffer's table must be there).
 * Strings go through `strings`, so that equal strings of many rows share one object.
 *
 * @throws {TypeError} when a column is missing or a numeric column holds something other than a
 *   number or null (rows before it may have been appended: discard the buffer).
 */
export function appendColumns(
  buffer: TableBuffer,
  columns: ColumnData,
  count: number,
  strings: Map<string, string> = new Map(),
): void {
  const at = buffer.rows;
  for (const col of buffer.table.columns) {
    const src = columns[col.name];
    if (src === undefined) {
      throw new TypeError(`Cannot append to "${buffer.table.name}": column "${col.name}" missing`);
    }
    const store = buffer.stores[col.name];
    if (Array.isArray(store)) {
      for (let i = 0; i < count; i++) {
        const v = vectorAt(src, i) ?? null;
        if (typeof v === "string") {
          let shared = strings.get(v);
          if (shared === undefined) strings.set(v, shared = v);
          store.push(shared);
        } else store.push(v);
      }
      continue;
    }
    grow(store, at + count);
    if (isMaskedColumn(src) && src.values instanceof Float64Array) {
      store.values.set(src.values.subarray(0, count), at);
      for (let i = 0; i < count; i++) store.nulls[at + i] = src.nulls[i] ? 1 : 0;
    } else {
      for (let i = 0; i < count; i++) {
        const v = vectorAt(src, i);
        if (v === null || v === undefined) {
          store.nulls[at + i] = 1;
          store.values[at + i] = 0;
        } else if (typeof v === "number") {
          store.nulls[at + i] = 0;
          store.values[at + i] = v;
        } else {
          throw new TypeError(
            `Cannot buffer column "${col.name}": expected a number, got ${typeof v}`,
          );
        }
      }
    }
  }
  buffer.rows += count;
}

/**
 * The buffer's columns for the Parquet writer, without copying: numeric columns as masked
 * views of their first `rows` entries.
 */
export function bufferColumns(buffer: TableBuffer): ColumnData {
  const out: ColumnData = {};
  for (const [name, store] of Object.entries(buffer.stores)) {
    out[name] = Array.isArray(store) ? store : {
      values: store.values.subarray(0, buffer.rows),
      nulls: store.nulls.subarray(0, buffer.rows),
    };
  }
  return out;
}

/** The buffer's columns restricted to `rows` (indices, in order), copied. */
export function selectRows(buffer: TableBuffer, rows: readonly number[]): ColumnData {
  const out: ColumnData = {};
  for (const [name, store] of Object.entries(buffer.stores)) {
    if (Array.isArray(store)) out[name] = rows.map((i) => store[i]);
    else {
      const values = new Float64Array(rows.length);
      const nulls = new Uint8Array(rows.length);
      rows.forEach((r, i) => {
        values[i] = store.values[r];
        nulls[i] = store.nulls[r];
      });
      out[name] = { values, nulls };
    }
  }
  return out;
}

/**
 * Keeps only `rows` (ascending indices) in the buffer, in place, e.g. those a failed flush could
 * not write; none after a successful flush. The typed arrays keep their capacity.
 */
export function retainRows(buffer: TableBuffer, rows: readonly number[]): void {
  for (const store of Object.values(buffer.stores)) {
    // Ascending indices: row j moves down from rows[j] >= j, never over a row still to move.
    if (Array.isArray(store)) {
      rows.forEach((r, j) => store[j] = store[r]);
      store.length = rows.length;
    } else {
      rows.forEach((r, j) => {
        store.values[j] = store.values[r];
        store.nulls[j] = store.nulls[r];
      });
    }
  }
  buffer.rows = rows.length;
}

/** One column of the buffer as plain values, `null` for nulls (tests and small reads). */
export function columnValues(buffer: TableBuffer, name: string): CellValue[] {
  const store = buffer.stores[name];
  if (store === undefined) throw new RangeError(`No column "${name}" in "${buffer.table.name}"`);
  if (Array.isArray(store)) return store;
  const out: CellValue[] = new Array(buffer.rows);
  for (let i = 0; i < buffer.rows; i++) out[i] = store.nulls[i] ? null : store.values[i];
  return out;
}

/** Rounds to `digits` decimals (values are stored as float: keep the noise out of the bits). */
function round(v: number | null | undefined, digits = 1): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Stall seconds between two readings of a PSI file, to 1 µs; `null` without a previous one. */
function stall(
  before: Pressure | null | undefined,
  after: Pressure | null | undefined,
  line: "some" | "full",
): number | null {
  return before ? round(stallSeconds(before, after, line), 6) : null;
}

function avg10(p: Pressure | null | undefined, kind: "some" | "full"): number | null {
  if (!p) return null;
  return kind === "some" ? p.some.avg10 : p.full?.avg10 ?? null;
}

/** What the collector knows about itself for the host row. */
export interface CollectorFigures {
  cpuMillicores: number | null;
  rssBytes: number | null;
  sweepMs: number;
  pssMs: number | null;
  missedTicks: number;
  errors: number;
}

/**
 * Appends the rows of one sweep (`after`) to the buffers, with per-interval values from `before`
 * (the previous sweep, or `null` at the first sample: rates stay null).
 */
export function appendSweep(
  buffers: { containers: TableBuffer; processes: TableBuffer; host: TableBuffer },
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
    const row = containerRow(snap, prev, after, seconds, time, node);
    const labels = podLabels(snap.container);
    row.pod_labels = labels === null ? null : JSON.stringify(sortKeys(labels));
    appendRow(buffers.containers, row);
  }
  for (const p of after.processes.values()) {
    const containerId = after.processContainer.get(p.pid) ?? null;
    if (containerId === null && !hostProcesses) continue;
    const prev = before?.processes.get(p.pid);
    const cpu = prev ? processCpuMillicores(prev, p) : null;
    const samePid = prev !== undefined && cpu !== null;
    appendRow(buffers.processes, {
      time,
      node,
      container_id: containerId,
      pid: p.pid,
      ppid: p.stat.ppid,
      comm: p.stat.comm,
      state: p.stat.state,
      cpu_usage_millicores: round(cpu?.total),
      cpu_user_millicores: round(cpu?.user),
      cpu_system_millicores: round(cpu?.system),
      memory_rss_bytes: p.rssBytes,
      memory_pss_bytes: p.smaps?.pss ?? null,
      memory_vsz_bytes: p.stat.vsizeBytes,
      threads: p.stat.numThreads,
      fds: p.fds,
      io_read_bytes: samePid ? counterDelta(prev.io?.readBytes, p.io?.readBytes) : null,
      io_write_bytes: samePid ? counterDelta(prev.io?.writeBytes, p.io?.writeBytes) : null,
    });
  }
  const h = after.host;
  if (h) {
    const hb = before?.host ?? null;
    const cpu = hb ? hostCpuUse(hb, h) : null;
    const m = h.meminfo;
    const nonLo = (s: typeof h) => s.interfaces.filter((i) => i.name !== "lo");
    const disk = (s: typeof h, f: "readBytes" | "writeBytes") =>
      s.disks.reduce((sum, d) => sum + d[f], 0);
    appendRow(buffers.host, {
      time,
      node,
      cpu_count: h.stat?.cpus.length ?? null,
      cpu_usage_millicores: round(cpu?.totalMillicores),
      cpu_user_millicores: round(cpu?.userMillicores),
      cpu_system_millicores: round(cpu?.systemMillicores),
      cpu_iowait_millicores: round(cpu?.iowaitMillicores),
      cpu_steal_millicores: round(cpu?.stealMillicores),
      load1: h.loadavg?.load1 ?? null,
      load5: h.loadavg?.load5 ?? null,
      load15: h.loadavg?.load15 ?? null,
      memory_total_bytes: m?.memTotalBytes ?? null,
      memory_available_bytes: m?.memAvailableBytes ?? null,
      memory_used_bytes: m?.memTotalBytes != null && m?.memAvailableBytes != null
        ? m.memTotalBytes - m.memAvailableBytes
        : null,
      swap_total_bytes: m?.swapTotalBytes ?? null,
      swap_used_bytes: m?.swapTotalBytes != null && m?.swapFreeBytes != null
        ? m.swapTotalBytes - m.swapFreeBytes
        : null,
      cpu_pressure_some_avg10: avg10(h.pressure.cpu, "some"),
      memory_pressure_some_avg10: avg10(h.pressure.memory, "some"),
      memory_pressure_full_avg10: avg10(h.pressure.memory, "full"),
      io_pressure_some_avg10: avg10(h.pressure.io, "some"),
      io_pressure_full_avg10: avg10(h.pressure.io, "full"),
      cpu_pressure_some_seconds: stall(hb?.pressure.cpu, h.pressure.cpu, "some"),
      memory_pressure_some_seconds: stall(hb?.pressure.memory, h.pressure.memory, "some"),
      memory_pressure_full_seconds: stall(hb?.pressure.memory, h.pressure.memory, "full"),
      io_pressure_some_seconds: stall(hb?.pressure.io, h.pressure.io, "some"),
      io_pressure_full_seconds: stall(hb?.pressure.io, h.pressure.io, "full"),
      network_rx_bytes: hb
        ? counterDelta(sumInterfaces(nonLo(hb), "rxBytes"), sumInterfaces(nonLo(h), "rxBytes"))
        : null,
      network_tx_bytes: hb
        ? counterDelta(sumInterfaces(nonLo(hb), "txBytes"), sumInterfaces(nonLo(h), "txBytes"))
        : null,
      disk_read_bytes: hb ? counterDelta(disk(hb, "readBytes"), disk(h, "readBytes")) : null,
      disk_write_bytes: hb ? counterDelta(disk(hb, "writeBytes"), disk(h, "writeBytes")) : null,
      processes: after.processCount,
      containers: after.containers.size,
      collector_cpu_millicores: round(self.cpuMillicores),
      collector_rss_bytes: self.rssBytes,
      collector_sweep_ms: round(self.sweepMs, 2),
      collector_pss_ms: round(self.pssMs, 2),
      collector_missed_ticks: self.missedTicks,
      collector_errors: self.errors,
    });
  }
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function containerRow(
  snap: ContainerSnapshot,
  prev: ContainerSnapshot | undefined,
  after: Snapshot,
  seconds: number,
  time: number,
  node: string,
): Record<string, unknown> {
  const c = snap.container;
  const s = snap.stats;
  const r = prev ? containerRates(prev, snap, seconds) : null;
  const before = prev?.stats.pressure;
  let pss: number | null = null;
  for (const pid of c.pids) {
    const p = after.processes.get(pid);
    if (p?.smaps) pss = (pss ?? 0) + p.smaps.pss;
  }
  return {
    time,
    node,
    container_id: c.id,
    container_name: c.name,
    runtime: c.runtime,
    pod_name: c.podName,
    namespace: c.podNamespace,
    pod_uid: c.podUid,
    qos_class: c.qosClass,
    cpu_usage_millicores: round(r?.cpuMillicores),
    cpu_user_millicores: round(r?.cpuUserMillicores),
    cpu_system_millicores: round(r?.cpuSystemMillicores),
    cpu_limit_millicores: round(s.cpu.limitMillicores),
    cpu_periods: r?.cpuPeriods ?? null,
    cpu_throttled_periods: r?.cpuThrottledPeriods ?? null,
    cpu_throttled_seconds: round(r?.cpuThrottledSeconds, 6),
    memory_usage_bytes: s.memory.usageBytes,
    memory_limit_bytes: s.memory.limitBytes,
    memory_working_set_bytes: s.memory.workingSetBytes,
    memory_anon_bytes: s.memory.anonBytes,
    memory_file_bytes: s.memory.fileBytes,
    memory_pss_bytes: pss,
    memory_swap_bytes: s.memory.swapBytes,
    memory_oom_kills_total: s.memory.oomKills,
    cpu_pressure_some_avg10: avg10(s.pressure.cpu, "some"),
    cpu_pressure_full_avg10: avg10(s.pressure.cpu, "full"),
    memory_pressure_some_avg10: avg10(s.pressure.memory, "some"),
    memory_pressure_full_avg10: avg10(s.pressure.memory, "full"),
    io_pressure_some_avg10: avg10(s.pressure.io, "some"),
    io_pressure_full_avg10: avg10(s.pressure.io, "full"),
    cpu_pressure_some_seconds: stall(before?.cpu, s.pressure.cpu, "some"),
    cpu_pressure_full_seconds: stall(before?.cpu, s.pressure.cpu, "full"),
    memory_pressure_some_seconds: stall(before?.memory, s.pressure.memory, "some"),
    memory_pressure_full_seconds: stall(before?.memory, s.pressure.memory, "full"),
    io_pressure_some_seconds: stall(before?.io, s.pressure.io, "some"),
    io_pressure_full_seconds: stall(before?.io, s.pressure.io, "full"),
    io_read_bytes: r?.ioReadBytes ?? null,
    io_write_bytes: r?.ioWriteBytes ?? null,
    network_rx_bytes: r?.networkRxBytes ?? null,
    network_tx_bytes: r?.networkTxBytes ?? null,
    pids: s.pids.current,
    pids_limit: s.pids.limit,
  };
}
