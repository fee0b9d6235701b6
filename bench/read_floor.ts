/**
 * The floor under the collector's CPU: what reading the files of one sweep costs at 1 Hz, before
 * any parsing. Sets up N fake docker containers with 5 `sleep` processes each (see
 * `fake_containers.ts`), then, with a pause of `--gap` ms between rounds (1000: the collector's
 * cadence, with caches gone cold in between; 0: back to back, caches warm), measures the calling
 * thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`, through libc, so kernel time inside the reads is
 * counted) of:
 *
 * - `sweep()`: one collector sweep (`collectorSweepOptions(false)`, container processes with io and
 *   fds), everything included;
 * - `kept handles`: the very files that sweep read (recorded), re-read through a second
 *   `createHandleFs()` with Deno's file ops (`seekSync(0)` + `readSync`), decoded, not parsed;
 * - `libc pread`: the same through `createHandleFs()` with `pread(2)` via FFI
 *   (`reader/file_io.ts`, what the collector uses): no Deno op layer and no `lseek(2)`.
 *
 * The sweep also lists /proc and stats `/proc/<pid>/fd` (fd counts), which the two read-only
 * rounds leave out: they are a lower bound of the reading alone.
 *
 * With `--by-kind`, the `pread` rounds also time every file on its own and print, per kind of file
 * (`/proc/<pid>/stat`, `memory:memory.stat`, …), how many a sweep reads and their median µs per
 * round and per file.
 *
 * ```sh
 * npx deno run -A bench/read_floor.ts                       # N=50, 1 s apart, 20 rounds
 * npx deno run -A bench/read_floor.ts --containers 10,50,200 --gap 0
 * npx deno run -A bench/read_floor.ts --workload active --by-kind
 * ```
 *
 * Needs root and cgroups mounted under `/sys/fs/cgroup`. Removes what it made on exit, on
 * SIGINT/SIGTERM and when it throws.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { createReaderContext, PROCESS_CGROUP_RECHECK_SWEEPS, sweep } from "../reader/sweep.ts";
import { collectorSweepOptions } from "../collector/collect.ts";
import { createHandleFs } from "../reader/handle_fs.ts";
import { denoFileIo, libcFileIo } from "../reader/file_io.ts";
import { median } from "./stats.ts";
import { forEachFakeLoad } from "./fake_containers.ts";

const libc = Deno.dlopen("libc.so.6", {
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
});
const CLOCK_THREAD_CPUTIME_ID = 3;
const timespec = new BigInt64Array(2);

/** CPU time of the calling thread in ms. */
function threadCpuMs(): number {
  libc.symbols.clock_gettime(CLOCK_THREAD_CPUTIME_ID, timespec);
  return Number(timespec[0]) * 1e3 + Number(timespec[1]) / 1e6;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Median of the rounds after the first `warmup`. */
const after = (xs: number[], warmup: number): number => median(xs.slice(warmup)) ?? NaN;

/**
 * The kind of a file the sweep reads: `/proc/<pid>/<file>` for every PID, other /proc files as
 * they are, cgroup files as `<hierarchy>:<file>` (`memory:memory.stat`, `unified:cpu.pressure`).
 */
export function fileKind(path: string): string {
  const proc = /^\/proc\/\d+\/(.*)$/.exec(path);
  if (proc !== null) return `/proc/<pid>/${proc[1]}`;
  if (path.startsWith("/proc/")) return path;
  const cgroup = /^\/sys\/fs\/cgroup\/([^/]+)\/.*\/([^/]+)$/.exec(path);
  return cgroup === null ? path : `${cgroup[1]}:${cgroup[2]}`;
}

/** One kind of file: how many a sweep reads, and the median µs of thread CPU per round. */
export interface KindCost {
  kind: string;
  files: number;
  usPerRound: number;
}

/**
 * One load's figures, medians of ms of thread CPU per round after up to 5 warm-up rounds: a
 * sweep, re-reading the files the last sweep read through Deno's file ops (`keptMs`) and, unless
 * `pread` is false, through libc `pread` (`preadMs`, `NaN` when skipped).
 */
export async function measureReadFloor(
  rounds: number,
  gap: number,
  { pread = true, byKind = false }: { pread?: boolean; byKind?: boolean } = {},
): Promise<
  { files: number; sweepMs: number; keptMs: number; preadMs: number; kinds: KindCost[] }
> {
  const ctx = createReaderContext({ handleIdleSweeps: PROCESS_CGROUP_RECHECK_SWEEPS + 1 });
  const paths: string[] = [];
  const readText = ctx.fs.readText.bind(ctx.fs);
  let recording = false;
  ctx.fs.readText = (path: string) => {
    if (recording) paths.push(path);
    return readText(path);
  };
  const sweeps: number[] = [];
  for (let i = 0; i < rounds; i++) {
    recording = i === rounds - 1;
    const t = threadCpuMs();
    sweep(ctx, collectorSweepOptions(false));
    sweeps.push(threadCpuMs() - t);
    await pause(gap);
  }
  ctx.fs.close();

  const warmup = Math.min(5, rounds - 1);
  const kindOf = paths.map(fileKind);
  /** µs per round by kind, when timing file by file. */
  const byKindUs = new Map<string, number[]>();

  /** Thread CPU per round of reading every recorded file through `createHandleFs({ io })`. */
  const readRounds = async (io: Parameters<typeof createHandleFs>[0], perFile = false) => {
    const fs = createHandleFs(io);
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const round = new Map<string, number>();
      const t = threadCpuMs();
      for (let f = 0; f < paths.length; f++) {
        if (!perFile) {
          fs.readText(paths[f]);
          continue;
        }
        const start = threadCpuMs();
        fs.readText(paths[f]);
        round.set(kindOf[f], (round.get(kindOf[f]) ?? 0) + (threadCpuMs() - start) * 1000);
      }
      ms.push(threadCpuMs() - t);
      if (i >= warmup) {
        round.forEach((us, kind) =>
          (byKindUs.get(kind) ?? byKindUs.set(kind, []).get(kind)!).push(us)
        );
      }
      await pause(gap);
    }
    fs.close();
    return ms;
  };
  const keptMs = await readRounds({ io: denoFileIo() });
  const libcIo = pread ? libcFileIo() : null;
  const preadMs = libcIo === null ? [] : await readRounds({ io: libcIo });
  // A separate round set: timing each file adds two clock reads per file to the rounds above.
  if (byKind) await readRounds({ io: libcIo ?? denoFileIo() }, true);

  const files = new Map<string, number>();
  for (const kind of kindOf) files.set(kind, (files.get(kind) ?? 0) + 1);
  const kinds = [...byKindUs].map(([kind, us]) => ({
    kind,
    files: files.get(kind) ?? 0,
    usPerRound: median(us) ?? NaN,
  })).sort((a, b) => b.usPerRound - a.usPerRound);
  return {
    files: paths.length,
    sweepMs: after(sweeps, warmup),
    keptMs: after(keptMs, warmup),
    preadMs: after(preadMs, warmup),
    kinds,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      containers: { type: "string", default: "50" },
      "per-container": { type: "string", default: "5" },
      gap: { type: "string", default: "1000" },
      rounds: { type: "string", default: "20" },
      workload: { type: "string", default: "idle" },
      "by-kind": { type: "boolean", default: false },
    },
  });
  if (values.workload !== "idle" && values.workload !== "active") {
    throw new TypeError(`--workload must be idle or active, got "${values.workload}"`);
  }
  const workload = values.workload;
  const gap = Number(values.gap);
  const rounds = Math.max(2, Number(values.rounds));
  console.log(
    `read floor, ${gap} ms between rounds, ${rounds} rounds (medians of thread CPU per round)`,
  );
  console.log(
    "|   N | procs | files | sweep() ms | kept handles ms | libc pread ms | µs/file kept |",
  );
  console.log(
    "|-----|-------|-------|------------|-----------------|---------------|--------------|",
  );
  await forEachFakeLoad({
    counts: values.containers.split(",").map(Number),
    workloads: [workload],
    perContainer: Number(values["per-container"]),
  }, async (load) => {
    const { containers: n, processes: procs } = load.spec;
    const r = await measureReadFloor(rounds, gap, { byKind: values["by-kind"] });
    console.log(
      `| ${String(n).padStart(3)} | ${String(procs).padStart(5)} | ${
        String(r.files).padStart(5)
      } | ${r.sweepMs.toFixed(2).padStart(10)} | ${r.keptMs.toFixed(2).padStart(15)} | ${
        r.preadMs.toFixed(2).padStart(13)
      } | ${(r.keptMs * 1000 / r.files).toFixed(2).padStart(12)} |`,
    );
    if (values["by-kind"]) {
      console.log(`\nN=${n}, ${workload} load, by kind of file (libc pread, each file timed):`);
      console.log("| kind | files | µs per round | µs per file |\n|---|---|---|---|");
      for (const k of r.kinds) {
        console.log(
          `| ${k.kind} | ${k.files} | ${k.usPerRound.toFixed(0)} | ${
            (k.usPerRound / k.files).toFixed(2)
          } |`,
        );
      }
      console.log("");
    }
  });
}
