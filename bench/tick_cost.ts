/**
 * Where one collector tick's time and allocation go, phase by phase, in-process: `sweep()` with
 * the collector's options, `appendSweep()`, and encoding the 10 s segment each `--flush` writes
 * (per second: a tenth of it). Runs against whatever the node has (start fake containers first,
 * e.g. with `bench/collect_bench.ts --keep-load`, or run on a busy node). Allocation is measured
 * as the growth of the V8 heap with a 256 MiB young generation, so no scavenge happens inside a
 * phase; a phase with a GC in it is dropped.
 *
 * ```sh
 * npx deno run -A --v8-flags=--max-semi-space-size=256,--min-semi-space-size=256 bench/tick_cost.ts
 * ```
 *
 * @module
 */

import {
  createReaderContext,
  PROCESS_CGROUP_RECHECK_SWEEPS,
  type Snapshot,
  sweep,
} from "../reader/sweep.ts";
import { appendSweep, CONTAINERS, HOST, PROCESSES } from "../collector/tables.ts";
import { bufferColumns, newBuffer } from "../collector/table_buffer.ts";
import { encodeTable } from "../collector/parquet/write.ts";
import { collectorSweepOptions } from "../collector/collect.ts";

const ticks = Number(Deno.args[0] ?? 30);
const ctx = createReaderContext({ handleIdleSweeps: PROCESS_CGROUP_RECHECK_SWEEPS + 1 });
const buffers = {
  containers: newBuffer(CONTAINERS),
  processes: newBuffer(PROCESSES),
  host: newBuffer(HOST),
};
const figures = {
  cpuMillicores: 1,
  rssBytes: 1,
  sweepMs: 1,
  pssMs: null,
  missedTicks: 0,
  errors: 0,
  writeErrors: 0,
};
type Phase = { ms: number[]; kb: number[] };
const phases: Record<string, Phase> = {};
function measure<T>(name: string, f: () => T): T {
  const h0 = Deno.memoryUsage().heapUsed;
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  const kb = (Deno.memoryUsage().heapUsed - h0) / 1024;
  const p = phases[name] ??= { ms: [], kb: [] };
  p.ms.push(ms);
  if (kb >= 0) p.kb.push(kb);
  return out;
}
let before: Snapshot | null = null;
for (let i = 0; i < ticks + 5; i++) {
  const snap = measure("sweep", () => sweep(ctx, collectorSweepOptions(false)));
  measure("appendSweep", () => appendSweep(buffers, before, snap, "node", figures));
  before = snap;
  await new Promise((r) => setTimeout(r, Number(Deno.env.get("TICK_GAP_MS") ?? 100)));
  if (i === 4) { for (const p of Object.values(phases)) p.ms.length = p.kb.length = 0; }
}
for (let i = 0; i < 5; i++) {
  for (const b of Object.values(buffers)) {
    measure(
      `encode ${b.table.name} (${b.rows} rows)`,
      () => encodeTable(b.table, bufferColumns(b), b.rows),
    );
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;
console.log(`containers ${before!.containers.size}, processes seen ${before!.processes.size}`);
for (const [name, p] of Object.entries(phases)) {
  console.log(
    `${name.padEnd(40)} median ${med(p.ms).toFixed(2)} ms, ${med(p.kb).toFixed(0)} KiB allocated`,
  );
}
ctx.fs.close();
