/**
 * The `fgm collect` benchmark: the real collector, as a subprocess
 * (`deno run -A mod.ts collect --out <tmp> --duration 40s --pss-interval <0|10s>`), against N fake
 * docker containers with 5 processes each, idle or waking 5 times a second (see
 * `fake_containers.ts`), for N = 10, 50 and 200. Per run it reports:
 *
 * - CPU ms per second of wall time of the collector process, from `utime + stime` of
 *   `/proc/<pid>/stat` sampled every second, over the steady state (from 5 s after the start to
 *   the last sample before exit; startup excluded, the 10-s flushes included), split into user
 *   and system, and the same from the sum of `/proc/<pid>/task/* /schedstat` run times (ns
 *   resolution: a cross-check of the 10-ms ticks);
 * - max RSS: `VmHWM` of `/proc/<pid>/status` at the last sample (start-up included), and the
 *   median of `VmRSS` over the steady state;
 * - median and p99 sweep duration, median PSS read time and missed ticks, from the `host` table's
 *   `collector_sweep_usec`, `collector_pss_usec` and `collector_missed_ticks` (rows of the steady
 *   state only), read back with DuckDB;
 * - bytes per stored value of the written files: file bytes / (rows × columns), all tables.
 *
 * Run as root on a host with cgroups mounted under `/sys/fs/cgroup`:
 *
 * ```sh
 * npx deno run -A bench/collect_bench.ts
 * npx deno run -A bench/collect_bench.ts --containers 50 --pss 0 --duration 30
 * npx deno run -A bench/collect_bench.ts --containers 50 --pss 0 \
 *   --deno-flags="--cpu-prof --cpu-prof-dir=/tmp/fgm-prof"   # V8 CPU profile of the collector
 * ```
 *
 * Options: `--containers <list>` (default `10,50,200`), `--per-container <n>` (5),
 * `--workload <list>` of `idle` (`sleep`) and `active` (processes that wake 5 times a second, so
 * every container uses CPU every second) (default `idle,active`),
 * `--pss <list>` of `--pss-interval` values (default `0,10s`), `--duration <s>` (40),
 * `--warmup <s>` (5), `--json <file>` to write the results as JSON too, `--deno-flags="<flags>"`
 * passed to `deno run` of the collector, `--collect-args="<args>"` added to `fgm collect` (e.g.
 * `--compact-after 20s --compact-span 2m` to have merges in the window; their CPU is the
 * `merges ms/s` column), `--keep` to keep the output directories, `--floor-rounds <n>` (10; 0
 * skips it): before the runs of each load, re-read one sweep's files once a second for n rounds
 * (`read_floor.ts`) and report the µs of CPU per file (`floor µs/file`): this machine's cost of
 * reading /proc and cgroup files varied 4× within an hour (bench/README.md, "Seventh round"), so
 * runs made at different times compare only next to it.
 *
 * The collector runs from a copy of the Deno executable made for the bench (in a temporary
 * directory, removed at the end), as on a node, where no other process maps the collector's
 * executable: with the bench's own `deno` mapping the same file, the kernel would keep the pages
 * both map resident for the bench, and the collector's RSS would count pages it gave back
 * (REQ-COL-037). `--shared-executable` runs it with the bench's own `Deno.execPath()` instead.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { queryParquet, sqlString } from "../tests/support/duckdb.ts";
import { median } from "./stats.ts";
import { readSample, type Sample } from "./proc_sample.ts";
import { markdownTable } from "./table.ts";
import { measureReadFloor } from "./read_floor.ts";
import {
  dockerExistedBefore,
  type FakeLoad,
  forEachFakeLoad,
  parseWorkloads,
} from "./fake_containers.ts";

const MOD = new URL("../mod.ts", import.meta.url).pathname;
const CLK_TCK_MS = 10; // USER_HZ = 100

/** One collector run's figures. */
export interface RunResult {
  containers: number;
  processes: number;
  /** What the fake containers' processes do (see `FakeLoadSpec.workload`). */
  workload: "idle" | "active";
  pssInterval: string;
  /** Collector's exit code. */
  exitCode: number;
  /** Seconds of the steady-state window. */
  windowSeconds: number;
  cpuMsPerSecond: number;
  userMsPerSecond: number;
  systemMsPerSecond: number;
  /** The same from the tasks' schedstat run times (ns resolution). */
  schedCpuMsPerSecond: number | null;
  /**
   * CPU of the collector's finished child processes (merges, `fgm _compact`) per second of the
   * window, from `cutime + cstime`: node cost beside the collector's own.
   */
  childCpuMsPerSecond: number;
  maxRssMiB: number;
  /** Median `VmRSS` over the steady state. */
  medianRssMiB: number | null;
  hostRows: number;
  sweepMedianMs: number | null;
  sweepP99Ms: number | null;
  pssMedianMs: number | null;
  missedTicks: number;
  containersSeen: number | null;
  processesSeen: number | null;
  files: number;
  fileBytes: number;
  values: number;
  bytesPerValue: number | null;
  /** CPU ms per second by thread name (threads of one name summed), over the window. */
  threadMsPerSecond: Record<string, number>;
  /** Bytes per value of each table. */
  perTable: Record<string, { bytes: number; rows: number; columns: number }>;
  /**
   * µs of CPU per file to re-read one sweep's files at 1 Hz just before the runs of this load
   * (`read_floor.ts`'s "kept handles"), `null` when not measured: how fast this machine reads
   * /proc and cgroup files at the moment, to compare runs made at different times.
   */
  readFloorUsPerFile: number | null;
}

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

function parquetFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...parquetFiles(path));
    else if (e.isFile && e.name.endsWith(".parquet")) out.push(path);
  }
  return out.sort();
}

const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : typeof v === "bigint" ? Number(v) : Number(v);

/** The collector running now and its output directory, for the signal handler. */
let running: { child: Deno.ChildProcess; out: string } | null = null;

/** Kills the running collector, if any, and removes its output directory. */
async function stopCollector(): Promise<void> {
  if (running === null) return;
  const { child, out } = running;
  running = null;
  try {
    child.kill("SIGKILL");
  } catch { /* exited */ }
  await child.status;
  Deno.removeSync(out, { recursive: true });
}

async function runCollector(
  load: FakeLoad,
  pssInterval: string,
  o: {
    durationS: number;
    warmupS: number;
    denoFlags: string[];
    collectArgs: string[];
    keep: boolean;
    /** The Deno executable the collector runs with. */
    executable: string;
  },
): Promise<Omit<RunResult, "readFloorUsPerFile">> {
  const out = Deno.makeTempDirSync({ prefix: "fgm_collect_bench_" });
  const t0 = performance.now();
  const wallStart = Date.now();
  const child = new Deno.Command(o.executable, {
    args: [
      "run",
      "-A",
      "--quiet",
      ...o.denoFlags,
      MOD,
      "collect",
      "--out",
      out,
      "--duration",
      `${o.durationS}s`,
      "--pss-interval",
      pssInterval,
      ...o.collectArgs,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  running = { child, out };
  const samples: Sample[] = [];
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stderr = new Response(child.stderr).text();
  while (!exited) {
    const s = readSample(child.pid, t0);
    if (s !== null) samples.push(s);
    await Promise.race([status, new Promise((r) => setTimeout(r, 1000))]);
  }
  const { code } = await status;
  running = null;
  const log = await stderr;
  if (code !== 0) console.error(log);

  const steady = samples.filter((s) => s.ms >= o.warmupS * 1000);
  const first = steady[0];
  const last = steady[steady.length - 1];
  if (first === undefined || last === first) {
    throw new Error(`collect bench: too few samples (${samples.length}); collector said:\n${log}`);
  }
  const seconds = (last.ms - first.ms) / 1000;
  const perSecond = (ticks: number) => (ticks * CLK_TCK_MS) / seconds;
  const hwm = Math.max(...samples.map((s) => s.hwmKiB ?? 0));
  const steadyRss = steady.flatMap((s) => s.rssKiB === null ? [] : [s.rssKiB]);
  const threadMsPerSecond: Record<string, number> = {};
  for (const [tid, t] of last.threads) {
    const before = first.threads.get(tid)?.ticks ?? 0;
    threadMsPerSecond[t.comm] = (threadMsPerSecond[t.comm] ?? 0) + perSecond(t.ticks - before);
  }

  const files = parquetFiles(out);
  const perTable: RunResult["perTable"] = {};
  let fileBytes = 0;
  let values = 0;
  for (const path of files) {
    const table = path.slice(path.lastIndexOf("/") + 1).split("-")[0];
    const bytes = Deno.statSync(path).size;
    const [{ rows }] = await queryParquet(
      `SELECT count(*) AS rows FROM read_parquet(${sqlString(path)}, hive_partitioning = false)`,
    );
    const described = await queryParquet(
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(path)}, hive_partitioning = false)`,
    );
    const t = perTable[table] ??= { bytes: 0, rows: 0, columns: described.length };
    t.bytes += bytes;
    t.rows += num(rows)!;
    fileBytes += bytes;
    values += num(rows)! * described.length;
  }
  const steadyFromMs = wallStart + o.warmupS * 1000;
  const hostGlob = `${out}/host/**/*.parquet`;
  const host = files.some((f) => f.includes("/host-"))
    ? await queryParquet(
      `SELECT epoch_ms(time) AS t, collector_sweep_usec / 1000 AS sweep,
              collector_pss_usec / 1000 AS pss,
              collector_missed_ticks AS missed, containers, processes
         FROM read_parquet(${sqlString(hostGlob)}, hive_partitioning = false) ORDER BY time`,
    )
    : [];
  const rows = host.filter((r) => num(r.t)! >= steadyFromMs);
  const sweeps = rows.map((r) => num(r.sweep)).filter((v) => v !== null).sort((a, b) => a - b);
  const pss = rows.map((r) => num(r.pss)).filter((v) => v !== null);
  if (!o.keep) Deno.removeSync(out, { recursive: true });
  else console.error(`collect bench: kept ${out}`);
  return {
    containers: load.spec.containers,
    processes: load.spec.processes,
    workload: load.spec.workload ?? "idle",
    pssInterval,
    exitCode: code,
    windowSeconds: seconds,
    cpuMsPerSecond: perSecond(last.utime + last.stime - first.utime - first.stime),
    userMsPerSecond: perSecond(last.utime - first.utime),
    systemMsPerSecond: perSecond(last.stime - first.stime),
    schedCpuMsPerSecond: first.schedNs !== null && last.schedNs !== null
      ? (last.schedNs - first.schedNs) / 1e6 / seconds
      : null,
    childCpuMsPerSecond: perSecond(last.childTicks - first.childTicks),
    maxRssMiB: hwm / 1024,
    medianRssMiB: steadyRss.length > 0 ? median(steadyRss)! / 1024 : null,
    hostRows: host.length,
    sweepMedianMs: median(sweeps),
    sweepP99Ms: quantile(sweeps, 0.99),
    pssMedianMs: median(pss),
    missedTicks: host.reduce((sum, r) => sum + (num(r.missed) ?? 0), 0),
    containersSeen: median(rows.map((r) => num(r.containers) ?? 0)),
    processesSeen: median(rows.map((r) => num(r.processes) ?? 0)),
    files: files.length,
    fileBytes,
    values,
    bytesPerValue: values > 0 ? fileBytes / values : null,
    threadMsPerSecond,
    perTable,
  };
}

function fmt(v: number | null, digits: number): string {
  return v === null ? "–" : v.toFixed(digits);
}

/** The results as a Markdown table. */
export function formatResults(results: readonly RunResult[]): string {
  const rows: string[][] = [[
    "N",
    "procs",
    "load",
    "pss",
    "CPU ms/s",
    "user",
    "sys",
    "sched ms/s",
    "merges ms/s",
    "max RSS MiB",
    "RSS med MiB",
    "sweep med ms",
    "sweep p99 ms",
    "pss med ms",
    "missed",
    "containers",
    "host procs",
    "B/value",
    "floor µs/file",
  ]];
  for (const r of results) {
    rows.push([
      `${r.containers}`,
      `${r.processes}`,
      r.workload,
      r.pssInterval,
      fmt(r.cpuMsPerSecond, 2),
      fmt(r.userMsPerSecond, 2),
      fmt(r.systemMsPerSecond, 2),
      fmt(r.schedCpuMsPerSecond, 2),
      fmt(r.childCpuMsPerSecond, 2),
      fmt(r.maxRssMiB, 1),
      fmt(r.medianRssMiB, 1),
      fmt(r.sweepMedianMs, 2),
      fmt(r.sweepP99Ms, 2),
      fmt(r.pssMedianMs, 2),
      `${r.missedTicks}`,
      fmt(r.containersSeen, 0),
      fmt(r.processesSeen, 0),
      fmt(r.bytesPerValue, 2),
      fmt(r.readFloorUsPerFile, 2),
    ]);
  }
  return markdownTable(rows);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      containers: { type: "string", default: "10,50,200" },
      "per-container": { type: "string", default: "5" },
      workload: { type: "string", default: "idle,active" },
      pss: { type: "string", default: "0,10s" },
      duration: { type: "string", default: "40" },
      warmup: { type: "string", default: "5" },
      json: { type: "string" },
      "deno-flags": { type: "string", default: "" },
      "collect-args": { type: "string", default: "" },
      keep: { type: "boolean", default: false },
      "shared-executable": { type: "boolean", default: false },
      "floor-rounds": { type: "string", default: "10" },
    },
  });
  const floorRounds = Number(values["floor-rounds"]);
  const counts = values.containers.split(",").map(Number);
  const perContainer = Number(values["per-container"]);
  const pssList = values.pss.split(",");
  const workloads = parseWorkloads(values.workload);
  const o = {
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    denoFlags: values["deno-flags"].split(" ").filter((f) => f),
    collectArgs: values["collect-args"].split(" ").filter((f) => f),
    keep: values.keep,
    executable: Deno.execPath(),
  };
  // An executable of the collector's own, as on a node (see the module documentation).
  let copyDir: string | null = null;
  if (!values["shared-executable"]) {
    copyDir = Deno.makeTempDirSync({ prefix: "fgm_collect_bench_exe_" });
    o.executable = `${copyDir}/deno`;
    Deno.copyFileSync(Deno.execPath(), o.executable);
    Deno.chmodSync(o.executable, 0o755);
  }
  const removeCopy = () => {
    if (copyDir !== null) Deno.removeSync(copyDir, { recursive: true });
    copyDir = null;
  };
  const results: RunResult[] = [];
  try {
    await forEachFakeLoad({
      counts,
      workloads,
      perContainer,
      onInterrupt: async () => {
        console.error("collect bench: interrupted, tearing down");
        await stopCollector();
        removeCopy();
      },
    }, async (load) => {
      const { containers: n, processes, workload } = load.spec;
      let floor: number | null = null;
      if (floorRounds > 0) {
        console.error(`collect bench: N=${n} ${workload}, read floor (${floorRounds} s)…`);
        const f = await measureReadFloor(Math.max(2, floorRounds), 1000, { pread: false });
        floor = f.keptMs * 1000 / f.files;
      }
      for (const pss of pssList) {
        console.error(
          `collect bench: N=${n} (${processes} ${workload} processes), ` +
            `--pss-interval ${pss}, ${o.durationS} s…`,
        );
        const r = { ...await runCollector(load, pss, o), readFloorUsPerFile: floor };
        results.push(r);
        console.error(formatResults([r]).split("\n").slice(2).join("\n"));
      }
    });
  } finally {
    removeCopy();
  }
  const notes = results.map((r) =>
    `N=${r.containers} ${r.workload} pss=${r.pssInterval}: exit ${r.exitCode}, window ${
      r.windowSeconds.toFixed(1)
    } s, ${r.hostRows} host rows, ${r.files} files, ${r.fileBytes} B for ${r.values} values (${
      Object.entries(r.perTable).map(([t, v]) =>
        `${t} ${v.rows}×${v.columns} ${(v.bytes / (v.rows * v.columns)).toFixed(2)} B/value`
      ).join(", ")
    }); CPU ms/s by thread: ${
      Object.entries(r.threadMsPerSecond).sort((a, b) => b[1] - a[1])
        .map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(", ")
    }`
  );
  console.log(
    [
      "",
      `fgm collect, ${o.durationS} s per run, steady state from ${o.warmupS} s ` +
      `(load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")})`,
      formatResults(results),
      ...notes,
      `/docker existed before the bench: ${dockerExistedBefore()}`,
    ].join("\n"),
  );
  if (values.json) Deno.writeTextFileSync(values.json, JSON.stringify(results, null, 2) + "\n");
  return results.every((r) => r.exitCode === 0) ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
