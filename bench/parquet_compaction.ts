/**
 * Time and peak memory of compacting one hour of 10 s segments into one file per table.
 *
 * ```sh
 * npx deno run -A bench/parquet_compaction.ts [--seconds=3600] [--row-group-rows=100000] [--heap-mib=N]
 * ```
 *
 * Writes the synthetic recording (bench/synthetic_recording.ts) as 10 s segments with
 * `writeTableFile()` into a temporary directory, then compacts each table in a fresh Deno process
 * (so that the recording itself is not counted) and reports the child's peak RSS (VmHWM from
 * /proc/self/status), its wall time and the result sizes. `--heap-mib=N` caps the child's V8 heap
 * (`--max-old-space-size`), which shows how much memory compaction really needs: without a cap V8
 * lets garbage accumulate and the peak RSS overstates it.
 *
 * @module
 */

import { compactFiles } from "../collector/parquet/compact.ts";
import { listTableFiles } from "../collector/parquet/read.ts";
import { writeTableFile } from "../collector/parquet/write.ts";
import { contract2Tables, generateRecording, type StoredTable } from "./synthetic_recording.ts";

const args = Object.fromEntries(
  Deno.args.filter((a) => a.startsWith("--")).map((a) => {
    const [k, v] = a.slice(2).split("=");
    return [k, v ?? "true"];
  }),
);

function peakRssMiB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

if (args.child) {
  // Child: compact the files of one table directory and print JSON.
  const dir = args.child;
  const rowGroupRows = Number(args["row-group-rows"] ?? 100_000);
  const before = peakRssMiB();
  const sources = await listTableFiles(dir);
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, rss: 0 };
  const sample = () => {
    const m = Deno.memoryUsage();
    for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]);
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  const result = await compactFiles(sources, `${dir}/hour.parquet`, {
    encode: { rowGroupRows, codec: (args.codec ?? "ZSTD") as "ZSTD" },
  });
  clearInterval(timer);
  sample();
  console.log(JSON.stringify({
    peakMiB: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
    ...result,
    ms: Math.round(performance.now() - t0),
    baselinePeakRssMiB: Math.round(before),
    peakRssMiB: Math.round(peakRssMiB()),
  }));
  Deno.exit(0);
}

const seconds = Number(args.seconds ?? 3600);
const rowGroupRows = Number(args["row-group-rows"] ?? 100_000);
const root = await Deno.makeTempDir({ prefix: "fgm_compaction_bench_" });
try {
  const stored = contract2Tables(generateRecording({ seconds }));
  const tables: [string, StoredTable, number][] = [
    ["containers", stored.containers, 50],
    ["processes", stored.processes, 250],
  ];
  for (const [name, table, perSecond] of tables) {
    const schema = table.schema;
    await Deno.mkdir(`${root}/${name}`);
    const span = 10 * perSecond;
    let segmentBytes = 0;
    for (let start = 0, k = 0; start < table.rows; start += span, k++) {
      const end = Math.min(table.rows, start + span);
      const part: Record<string, (number | string | null)[]> = {};
      for (const [col, values] of Object.entries(table.columns)) {
        part[col] = values.slice(start, end);
      }
      const r = await writeTableFile(
        `${root}/${name}/seg-${String(k).padStart(5, "0")}.parquet`,
        schema,
        part,
        end - start,
      );
      segmentBytes += r.bytes;
    }
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        ...(args["heap-mib"] ? [`--v8-flags=--max-old-space-size=${args["heap-mib"]}`] : []),
        new URL(import.meta.url).pathname,
        `--child=${root}/${name}`,
        `--row-group-rows=${rowGroupRows}`,
        ...(args.codec ? [`--codec=${args.codec}`] : []),
      ],
      stdout: "piped",
      stderr: "inherit",
    });
    const out = await child.output();
    if (!out.success) {
      console.log(`${name}: compaction failed (exit code ${out.code})`);
      continue;
    }
    const result = JSON.parse(new TextDecoder().decode(out.stdout));
    const values = result.rows * schema.columns.length;
    console.log(
      `${name}: ${Math.ceil(table.rows / span)} segments, ${segmentBytes} bytes ` +
        `(${(segmentBytes / values).toFixed(3)} B/value) -> 1 file, ${result.bytes} bytes ` +
        `(${(result.bytes / values).toFixed(3)} B/value), ${result.rows} rows; ` +
        `compaction ${result.ms} ms, peak RSS ${result.peakRssMiB} MiB ` +
        `(Deno baseline ${result.baselinePeakRssMiB} MiB; sampled peaks ${
          JSON.stringify(result.peakMiB)
        }), row groups of ${rowGroupRows} rows`,
    );
  }
} finally {
  await Deno.remove(root, { recursive: true });
}
