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
 * ```sh
 * npx deno run -A bench/read_floor.ts                       # N=50, 1 s apart, 20 rounds
 * npx deno run -A bench/read_floor.ts --containers 10,50,200 --gap 0
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
import {
  type FakeLoad,
  releaseDockerClaim,
  setUpFakeContainers,
  tearDownFakeContainers,
  tearDownFakeContainersSync,
} from "./fake_containers.ts";

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
 * One load's figures, medians of ms of thread CPU per round after up to 5 warm-up rounds: a
 * sweep, re-reading the files the last sweep read through Deno's file ops (`keptMs`) and, unless
 * `pread` is false, through libc `pread` (`preadMs`, `NaN` when skipped).
 */
export async function measureReadFloor(
  rounds: number,
  gap: number,
  { pread = true }: { pread?: boolean } = {},
): Promise<{ files: number; sweepMs: number; keptMs: number; preadMs: number }> {
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

  /** Thread CPU per round of reading every recorded file through `createHandleFs({ io })`. */
  const readRounds = async (io: Parameters<typeof createHandleFs>[0]) => {
    const fs = createHandleFs(io);
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t = threadCpuMs();
      for (const p of paths) fs.readText(p);
      ms.push(threadCpuMs() - t);
      await pause(gap);
    }
    fs.close();
    return ms;
  };
  const keptMs = await readRounds({ io: denoFileIo() });
  const libcIo = pread ? libcFileIo() : null;
  const preadMs = libcIo === null ? [] : await readRounds({ io: libcIo });

  const warmup = Math.min(5, rounds - 1);
  return {
    files: paths.length,
    sweepMs: after(sweeps, warmup),
    keptMs: after(keptMs, warmup),
    preadMs: after(preadMs, warmup),
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
    },
  });
  const gap = Number(values.gap);
  const rounds = Math.max(2, Number(values.rounds));
  let load: FakeLoad | null = null;
  const cleanUp = () => {
    if (load !== null) tearDownFakeContainersSync(load);
    load = null;
    releaseDockerClaim();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      cleanUp();
      Deno.exit(130);
    });
  }
  console.log(
    `read floor, ${gap} ms between rounds, ${rounds} rounds (medians of thread CPU per round)`,
  );
  console.log(
    "|   N | procs | files | sweep() ms | kept handles ms | libc pread ms | µs/file kept |",
  );
  console.log(
    "|-----|-------|-------|------------|-----------------|---------------|--------------|",
  );
  try {
    for (const n of values.containers.split(",").map(Number)) {
      const procs = n * Number(values["per-container"]);
      load = setUpFakeContainers({ containers: n, processes: procs });
      const r = await measureReadFloor(rounds, gap);
      console.log(
        `| ${String(n).padStart(3)} | ${String(procs).padStart(5)} | ${
          String(r.files).padStart(5)
        } | ${r.sweepMs.toFixed(2).padStart(10)} | ${r.keptMs.toFixed(2).padStart(15)} | ${
          r.preadMs.toFixed(2).padStart(13)
        } | ${(r.keptMs * 1000 / r.files).toFixed(2).padStart(12)} |`,
      );
      await tearDownFakeContainers(load);
      load = null;
    }
  } finally {
    cleanUp();
  }
}
