/**
 * A deterministic, realistic synthetic recording for storage measurements: N containers with M
 * processes each, sampled at 1 Hz, in the wide `containers` and `processes` tables of
 * `fgm collect` (every column of data contract 2, collector/tables.ts). Values behave like the kernel's: CPU millicores come from integer deltas
 * (`cpu.stat usage_usec` for containers, clock ticks at USER_HZ=100 for processes) divided by a
 * slightly jittered wall interval; memory moves in 4 KiB pages; PSS (smaps_rollup, kB) is sampled
 * every 10 s and null in between; pressure avg10 is mostly 0.00 with decaying bursts; counters
 * are per-interval deltas; limits and names are constant.
 *
 * Values are produced at full precision (millicores as fractions); {@linkcode contract2Tables} and
 * {@linkcode contract1Tables} round them as each contract stores them.
 *
 * @module
 */

import type { ColumnSpec, TableSchema } from "../collector/parquet/schema.ts";
import { CONTAINERS, PROCESSES } from "../collector/tables.ts";

/** Shape of the recording. */
export interface RecordingOptions {
  /** Containers (default 50). */
  containers?: number;
  /** Processes per container (default 5). */
  processesPerContainer?: number;
  /** Samples, one per second (default 3600). */
  seconds?: number;
  /** First sample time, epoch ms (default 2025-01-01T00:00:00Z). */
  startMs?: number;
  /** PRNG seed (default 42). */
  seed?: number;
  /**
   * Whether all containers sample PSS in the same second (default false: each container has its
   * own phase, which spreads smaps_rollup cost over the 10 s).
   */
  alignedPss?: boolean;
}

/** Columns of one table by name, plus the row count. */
export interface TableColumns {
  rows: number;
  columns: Record<string, (number | string | null)[]>;
}

/** The two generated tables. */
export interface Recording {
  containers: TableColumns;
  processes: TableColumns;
}

/** A small, fast, seedable PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Column names of the `containers` table (data contract 2), in order. */
export const CONTAINER_COLUMNS: readonly string[] = CONTAINERS.columns.map((c) => c.name);

/** Column names of the `processes` table (data contract 2), in order. */
export const PROCESS_COLUMNS: readonly string[] = PROCESSES.columns.map((c) => c.name);

/** A table as written: its schema, columns and row count. */
export interface StoredTable extends TableColumns {
  schema: TableSchema;
}

/**
 * The generated tables stored as data contract 2 writes them (collector/tables.ts: whole
 * millicores and microseconds, doubles for avg10) — the rounding the collector's value functions
 * do — with the collector's own schemas.
 */
export function contract2Tables(
  rec: Recording,
): { containers: StoredTable; processes: StoredTable } {
  const rounded = (t: TableColumns): TableColumns => {
    const columns: TableColumns["columns"] = {};
    for (const [name, values] of Object.entries(t.columns)) {
      columns[name] = name.endsWith("_millicores")
        ? values.map((v) => (typeof v === "number" ? Math.round(v) : v))
        : values;
    }
    return { rows: t.rows, columns };
  };
  return {
    containers: { schema: CONTAINERS, ...rounded(rec.containers) },
    processes: { schema: PROCESSES, ...rounded(rec.processes) },
  };
}

const v1 = (
  name: string,
  type: ColumnSpec["type"],
  nullable: boolean,
  extra: Partial<ColumnSpec> = {},
): ColumnSpec => ({ name, type, nullable, ...extra });

/**
 * The schemas of data contract 1 (fgm before 2026-12), frozen here to measure what contract 2
 * changed: millicores as DECIMAL(9,1), avg10 as DECIMAL(9,2), per-interval times as seconds in
 * DECIMAL(9,6).
 */
export const CONTRACT_1: { containers: TableSchema; processes: TableSchema } = {
  containers: {
    name: "containers",
    columns: CONTAINERS.columns.map((c): ColumnSpec => {
      if (c.name.endsWith("_millicores")) return v1(c.name, "decimal", true, { scale: 1 });
      if (c.name.endsWith("_avg10")) return v1(c.name, "decimal", true, { scale: 2 });
      if (c.name.endsWith("_usec")) {
        return v1(c.name.replace(/_usec$/, "_seconds"), "decimal", true, { scale: 6 });
      }
      return v1(c.name, c.type, c.nullable);
    }),
  },
  processes: {
    name: "processes",
    columns: PROCESSES.columns.map((c): ColumnSpec =>
      c.name.endsWith("_millicores")
        ? v1(c.name, "decimal", true, { scale: 1 })
        : v1(c.name, c.type, c.nullable)
    ),
  },
};

/** The generated tables stored as data contract 1 wrote them, with its schemas. */
export function contract1Tables(
  rec: Recording,
): { containers: StoredTable; processes: StoredTable } {
  const convert = (t: TableColumns): TableColumns => {
    const columns: TableColumns["columns"] = {};
    for (const [name, values] of Object.entries(t.columns)) {
      if (name.endsWith("_millicores")) {
        columns[name] = values.map((v) => (typeof v === "number" ? round(v, 1) : v));
      } else if (name.endsWith("_usec")) {
        columns[name.replace(/_usec$/, "_seconds")] = values.map((v) =>
          typeof v === "number" ? v / 1e6 : v
        );
      } else columns[name] = values;
    }
    return { rows: t.rows, columns };
  };
  return {
    containers: { schema: CONTRACT_1.containers, ...convert(rec.containers) },
    processes: { schema: CONTRACT_1.processes, ...convert(rec.processes) },
  };
}

const PAGE = 4096;
const HEX = "0123456789abcdef";
const NAMESPACES = ["default", "kube-system", "monitoring", "payments", "search", "ingress"];
const APPS = ["api", "worker", "redis", "nginx", "fluent-bit", "coredns", "postgres", "kafka"];
const COMMS = ["sh", "nginx", "python3", "java", "node", "redis-server", "postgres", "envoy"];

function hex(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += HEX[Math.floor(rand() * 16)];
  return s;
}

function uuid(rand: () => number): string {
  const h = hex(rand, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Pressure avg10 as the kernel would print it: exponential decay with occasional bursts. */
function pressureStep(prev: number, rand: () => number, burstRate: number, scale: number): number {
  // The kernel updates averages every 2 s; avg10 decays with a 10 s time constant.
  let v = prev * Math.exp(-1 / 10);
  if (rand() < burstRate) v += scale * (0.5 + rand() * 2);
  return v < 0.005 ? 0 : v;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The stall-time columns, in the order of the generator's six PSI levels. */
const STALL_COLUMNS = [
  "cpu_pressure_some_usec",
  "cpu_pressure_full_usec",
  "memory_pressure_some_usec",
  "memory_pressure_full_usec",
  "io_pressure_some_usec",
  "io_pressure_full_usec",
];

/** Generates the recording. Rows are in time order, containers in a fixed order per sample. */
export function generateRecording(options: RecordingOptions = {}): Recording {
  return createRecordingGenerator(options)(options.seconds ?? 3600);
}

/**
 * A generator of the same recording in pieces: each call returns the next `seconds` of it, the
 * state (memory, pressure, PRNG) carried on, so that a day can be written window by window without
 * holding it in memory. `generateRecording(o)` equals one call of `createRecordingGenerator(o)`.
 */
export function createRecordingGenerator(
  options: RecordingOptions = {},
): (seconds: number) => Recording {
  const nContainers = options.containers ?? 50;
  const nProcs = options.processesPerContainer ?? 5;
  const startMs = options.startMs ?? Date.UTC(2025, 0, 1);
  const rand = prng(options.seed ?? 42);
  const alignedPss = options.alignedPss ?? false;

  // Static container descriptions.
  type Kind = "idle" | "busy" | "throttled";
  const containers = Array.from({ length: nContainers }, (_, i) => {
    const kind: Kind = i % 17 === 3 ? "throttled" : i % 7 === 1 ? "busy" : "idle";
    const app = APPS[i % APPS.length];
    const ns = NAMESPACES[i % NAMESPACES.length];
    const hasCpuLimit = i % 10 < 7 || kind === "throttled";
    const cpuLimit = kind === "throttled"
      ? 500
      : hasCpuLimit
      ? [100, 250, 500, 1000, 2000][i % 5]
      : null;
    const memLimit = i % 4 === 3 ? null : [128, 256, 512, 1024, 2048][i % 5] * 1024 * 1024;
    const podHash = hex(rand, 10);
    return {
      kind,
      id: hex(rand, 64),
      name: app,
      pod: `${app}-${podHash.slice(0, 10)}-${hex(rand, 5)}`,
      ns,
      uid: uuid(rand),
      qos: cpuLimit !== null && memLimit !== null
        ? (i % 3 === 0 ? "Guaranteed" : "Burstable")
        : i % 2 === 0
        ? "Burstable"
        : "BestEffort",
      cpuLimit,
      memLimit,
      pidsLimit: i % 5 === 0 ? null : 4096,
      // state
      basePages: Math.floor((20 + rand() * 400) * 256),
      pages: 0,
      filePages: Math.floor((5 + rand() * 60) * 256),
      busyLevel: 200 + rand() * 500,
      pss: [0, 0, 0, 0, 0, 0],
      pssPhase: alignedPss ? 0 : i % 10,
      psi: [0, 0, 0, 0, 0, 0],
      pids: 1 + Math.floor(rand() * 20),
      oom: i === 7 ? 1 : 0,
      labels: i % 9 === 8
        ? null
        : JSON.stringify({ app, "pod-template-hash": podHash, tier: i % 2 ? "backend" : "web" }),
    };
  });
  for (const ct of containers) ct.pages = ct.basePages;

  const procs = containers.flatMap((_ct, ci) =>
    Array.from({ length: nProcs }, (_, p) => ({
      ct: ci,
      pid: 1000 + ci * 97 + p * 13 + (p === 0 ? 0 : 5000),
      ppid: p === 0 ? 900 + ci : 1000 + ci * 97,
      comm: p === 0 ? "tini" : COMMS[(ci + p) % COMMS.length],
      rssPages: Math.floor((2 + rand() * 80) * 256),
      vsz: Math.floor((50 + rand() * 900) * 256) * PAGE,
      threads: 1 + Math.floor(rand() * (p === 1 ? 40 : 4)),
      fds: 3 + Math.floor(rand() * 60),
      share: p === 0 ? 0.02 : [0.5, 0.25, 0.15, 0.08][p - 1] ?? 0.05,
      tickCarry: 0,
    }))
  );

  let prevMs = startMs - 1000;
  let next = 0;
  return (seconds: number): Recording => {
    const cCols: Record<string, (number | string | null)[]> = {};
    for (const name of CONTAINER_COLUMNS) cCols[name] = new Array(seconds * nContainers);
    const pCols: Record<string, (number | string | null)[]> = {};
    for (const name of PROCESS_COLUMNS) pCols[name] = new Array(seconds * procs.length);
    let cRow = 0;
    let pRow = 0;
    for (let t = next; t < next + seconds; t++) {
      // The sweep starts on the second plus a little scheduling jitter.
      const nowMs = startMs + t * 1000 + Math.floor(rand() * 4);
      const wallUs = (nowMs - prevMs) * 1000 + Math.floor(rand() * 1000) - 500;
      prevMs = nowMs;
      const cpuUsec: number[] = [];
      for (let ci = 0; ci < nContainers; ci++) {
        const ct = containers[ci];
        // CPU: integer microseconds used in the interval.
        let usec: number;
        let throttledPeriods = 0;
        let throttledUsec = 0;
        let periods = 0;
        if (ct.kind === "idle") {
          usec = Math.floor(300 + rand() * 2500);
          if (rand() < 0.02) usec += Math.floor(10_000 + rand() * 40_000); // probes, GC
        } else if (ct.kind === "busy") {
          ct.busyLevel = Math.min(1500, Math.max(50, ct.busyLevel + (rand() - 0.5) * 60));
          usec = Math.floor(ct.busyLevel * 1000 * (0.8 + rand() * 0.4));
        } else {
          usec = Math.floor(480_000 + rand() * 20_000);
          throttledPeriods = 6 + Math.floor(rand() * 5);
          throttledUsec = Math.floor(throttledPeriods * (20_000 + rand() * 30_000));
        }
        if (ct.cpuLimit !== null) {
          periods = ct.kind === "idle" ? 1 + Math.floor(rand() * 4) : 10;
        }
        cpuUsec.push(usec);
        const userShare = ct.kind === "idle" ? 0.3 + rand() * 0.4 : 0.75 + rand() * 0.15;
        const userUsec = Math.floor(usec * userShare);
        const systemUsec = usec - userUsec;

        // Memory: page-granular random walk; file cache grows slowly and is reclaimed sometimes.
        if (rand() < 0.35) {
          const step = ct.kind === "idle" ? 8 : 400;
          ct.pages = Math.max(256, ct.pages + Math.round((rand() - 0.48) * step));
        }
        if (rand() < 0.05) ct.filePages += Math.floor(rand() * 64);
        if (rand() < 0.002) ct.filePages = Math.floor(ct.filePages * 0.6);
        const anonBytes = ct.pages * PAGE;
        const fileBytes = ct.filePages * PAGE;
        const kernelBytes = Math.floor(ct.basePages / 40) * PAGE;
        const usage = anonBytes + fileBytes + kernelBytes;
        const inactiveFile = Math.floor(ct.filePages * 0.7) * PAGE;
        const sampledPss = (t + ct.pssPhase) % 10 === 0;
        const pssBytes = sampledPss
          ? Math.floor((anonBytes + fileBytes * 0.4) / 1024) * 1024
          : null;

        // Pressure.
        const burst = ct.kind === "idle" ? 0.003 : ct.kind === "busy" ? 0.02 : 0.3;
        ct.psi[0] = pressureStep(ct.psi[0], rand, burst, ct.kind === "throttled" ? 8 : 1.5);
        ct.psi[1] = Math.min(ct.psi[0], pressureStep(ct.psi[1], rand, burst / 2, 1));
        ct.psi[2] = pressureStep(ct.psi[2], rand, 0.001, 2);
        ct.psi[3] = Math.min(ct.psi[2], pressureStep(ct.psi[3], rand, 0.0005, 1));
        ct.psi[4] = pressureStep(ct.psi[4], rand, ct.kind === "busy" ? 0.01 : 0.002, 3);
        ct.psi[5] = Math.min(ct.psi[4], pressureStep(ct.psi[5], rand, 0.001, 2));

        if (rand() < 0.01) ct.pids = Math.max(1, ct.pids + (rand() < 0.5 ? -1 : 1));

        const io = (rate: number, max: number) =>
          rand() < rate ? Math.floor(1 + rand() * max) * PAGE : 0;
        const net = ct.kind === "idle"
          ? (t % 10 === ci % 10 ? 300 + Math.floor(rand() * 300) : rand() < 0.1 ? 66 : 0)
          : Math.floor(rand() * 200_000);

        const r = cRow++;
        cCols.time[r] = nowMs;
        cCols.node[r] = "node-a.example.internal";
        cCols.container_id[r] = ct.id;
        cCols.container_name[r] = ct.name;
        cCols.runtime[r] = "containerd";
        cCols.pod_name[r] = ct.pod;
        cCols.namespace[r] = ct.ns;
        cCols.pod_uid[r] = ct.uid;
        cCols.qos_class[r] = ct.qos;
        cCols.pod_labels[r] = ct.labels;
        cCols.cpu_usage_millicores[r] = usec * 1000 / wallUs;
        cCols.cpu_user_millicores[r] = userUsec * 1000 / wallUs;
        cCols.cpu_system_millicores[r] = systemUsec * 1000 / wallUs;
        cCols.cpu_limit_millicores[r] = ct.cpuLimit;
        cCols.cpu_periods[r] = periods;
        cCols.cpu_throttled_periods[r] = throttledPeriods;
        cCols.cpu_throttled_usec[r] = throttledUsec;
        cCols.memory_usage_bytes[r] = usage;
        cCols.memory_limit_bytes[r] = ct.memLimit;
        cCols.memory_working_set_bytes[r] = usage - inactiveFile;
        cCols.memory_anon_bytes[r] = anonBytes;
        cCols.memory_file_bytes[r] = fileBytes;
        cCols.memory_pss_bytes[r] = pssBytes;
        cCols.memory_swap_bytes[r] = 0;
        cCols.memory_oom_kills_total[r] = ct.oom;
        cCols.cpu_pressure_some_avg10[r] = round(ct.psi[0], 2);
        cCols.cpu_pressure_full_avg10[r] = round(ct.psi[1], 2);
        cCols.memory_pressure_some_avg10[r] = round(ct.psi[2], 2);
        cCols.memory_pressure_full_avg10[r] = round(ct.psi[3], 2);
        cCols.io_pressure_some_avg10[r] = round(ct.psi[4], 2);
        cCols.io_pressure_full_avg10[r] = round(ct.psi[5], 2);
        // Stall time of the interval (the PSI files' total= counters, µs): what the averages are
        // made of, with the kernel's per-interval scatter; zero when nothing stalled.
        STALL_COLUMNS.forEach((name, k) => {
          const level = ct.psi[k];
          cCols[name][r] = level === 0 ? 0 : Math.floor(level * 10_000 * (0.5 + rand()));
        });
        cCols.io_read_bytes[r] = io(0.01, 64);
        cCols.io_write_bytes[r] = io(ct.kind === "idle" ? 0.05 : 0.5, 256);
        cCols.network_rx_bytes[r] = net;
        cCols.network_tx_bytes[r] = Math.floor(net * (0.3 + rand()));
        cCols.pids[r] = ct.pids;
        cCols.pids_limit[r] = ct.pidsLimit;
      }
      for (const pr of procs) {
        const ct = containers[pr.ct];
        // Ticks at USER_HZ=100: the process's share of the container's CPU, carried as a remainder.
        const exact = cpuUsec[pr.ct] * pr.share / 10_000 + pr.tickCarry;
        const ticks = Math.floor(exact);
        pr.tickCarry = exact - ticks;
        const userTicks = Math.round(ticks * (ct.kind === "idle" ? 0.5 : 0.85));
        if (rand() < 0.2) pr.rssPages = Math.max(64, pr.rssPages + Math.round((rand() - 0.5) * 6));
        if (rand() < 0.003) pr.fds = Math.max(3, pr.fds + (rand() < 0.5 ? -1 : 1));
        const sampledPss = (t + ct.pssPhase) % 10 === 0;
        const r = pRow++;
        pCols.time[r] = nowMs;
        pCols.node[r] = "node-a.example.internal";
        pCols.container_id[r] = ct.id;
        pCols.pid[r] = pr.pid;
        pCols.ppid[r] = pr.ppid;
        pCols.comm[r] = pr.comm;
        pCols.state[r] = ticks > 50 && rand() < 0.3 ? "R" : "S";
        pCols.cpu_usage_millicores[r] = ticks * 10_000_000 / wallUs;
        pCols.cpu_user_millicores[r] = userTicks * 10_000_000 / wallUs;
        pCols.cpu_system_millicores[r] = (ticks - userTicks) * 10_000_000 / wallUs;
        pCols.memory_rss_bytes[r] = pr.rssPages * PAGE;
        pCols.memory_pss_bytes[r] = sampledPss ? Math.floor(pr.rssPages * 0.8) * 4 * 1024 : null;
        pCols.memory_vsz_bytes[r] = pr.vsz;
        pCols.threads[r] = pr.threads;
        pCols.fds[r] = pr.fds;
        pCols.io_read_bytes[r] = rand() < 0.002 ? Math.floor(1 + rand() * 16) * PAGE : 0;
        pCols.io_write_bytes[r] = rand() < 0.01 ? Math.floor(1 + rand() * 64) * PAGE : 0;
      }
    }
    next += seconds;
    return {
      containers: { rows: cRow, columns: cCols },
      processes: { rows: pRow, columns: pCols },
    };
  };
}
