/**
 * A realistic recording directory for the viewer's benchmarks: the synthetic recording
 * (bench/synthetic_recording.ts, 50 containers × 5 processes by default) over `hours` hours, laid
 * out and compacted as `fgm collect` leaves it — data contract 2, one folder per table,
 * `dt=`/`identifier=` partitions, one file per 15-minute span made of 1-minute row groups (the
 * first-tier files that the second tier concatenates), ZSTD, statistics on.
 *
 * ```sh
 * npx deno run -A bench/viewer_dataset.ts --out=/tmp/fgm-day --hours=24
 * ```
 *
 * @module
 */

import { contract2Tables, createRecordingGenerator } from "./synthetic_recording.ts";
import { compactedName, dayOf, partitionDir } from "../collector/files.ts";
import { writeTableFile } from "../collector/parquet/write.ts";
import { contractMetadata, type TableName } from "../collector/columns.ts";
import { entitiesMetadata, entitiesOf } from "../collector/entities.ts";
import { TABLES } from "../collector/tables.ts";

/** Shape of the generated directory. */
export interface DatasetOptions {
  out: string;
  hours?: number;
  containers?: number;
  processesPerContainer?: number;
  /** First sample (default 2026-01-01T00:00:00Z). */
  startMs?: number;
  /** Called after each 15-minute window with the hours done. */
  progress?: (hoursDone: number) => void;
}

/** Node identifier of the generated partitions. */
export const DATASET_NODE = "node-a";

/** Marks a complete dataset (written last), so an interrupted one is regenerated. */
const DONE = "_dataset.json";

/**
 * Writes the dataset into `out` unless a complete one with the same shape is there already;
 * returns its first and last sample times.
 */
export async function ensureDataset(
  o: DatasetOptions,
): Promise<{ startMs: number; endMs: number; files: number }> {
  const hours = o.hours ?? 24;
  const containers = o.containers ?? 50;
  const procs = o.processesPerContainer ?? 5;
  const startMs = o.startMs ?? Date.UTC(2026, 0, 1);
  const shape = JSON.stringify({ hours, containers, procs, startMs, version: 3 });
  try {
    const done = JSON.parse(Deno.readTextFileSync(`${o.out}/${DONE}`));
    if (JSON.stringify(done.shape) === shape) return done.result;
  } catch { /* not there yet */ }
  try {
    Deno.removeSync(o.out, { recursive: true });
  } catch { /* none */ }
  const next = createRecordingGenerator({
    containers,
    processesPerContainer: procs,
    startMs,
  });
  const windowS = 15 * 60;
  let files = 0;
  let endMs = startMs;
  for (let w = 0; w < (hours * 3600) / windowS; w++) {
    const tables = contract2Tables(next(windowS));
    for (const [name, t] of Object.entries(tables) as [TableName, typeof tables.containers][]) {
      const times = t.columns.time as number[];
      const first = times[0];
      const last = times[t.rows - 1];
      endMs = Math.max(endMs, last);
      const dir = partitionDir(o.out, name, dayOf(first), DATASET_NODE);
      Deno.mkdirSync(dir, { recursive: true });
      await writeTableFile(
        `${dir}/${compactedName(name, first, last)}`,
        t.schema,
        t.columns,
        t.rows,
        {
          // One row group per minute: the first-tier files the second tier concatenates.
          rowGroupRows: (t.rows / windowS) * 60,
          metadata: {
            ...contractMetadata(),
            ...entitiesMetadata(
              entitiesOf(TABLES.find((x) => x.name === name)!, t.columns, t.rows),
            ),
          },
        },
      );
      files++;
    }
    o.progress?.(((w + 1) * windowS) / 3600);
  }
  const result = { startMs, endMs, files };
  Deno.writeTextFileSync(`${o.out}/${DONE}`, JSON.stringify({ shape: JSON.parse(shape), result }));
  return result;
}

if (import.meta.main) {
  const args = Object.fromEntries(
    Deno.args.filter((a) => a.startsWith("--")).map((a) => {
      const [k, v] = a.slice(2).split("=");
      return [k, v ?? "true"];
    }),
  );
  const t0 = performance.now();
  const r = await ensureDataset({
    out: args.out ?? "/tmp/fgm-viewer-dataset",
    hours: Number(args.hours ?? 24),
    progress: (h) => Number.isInteger(h) && console.error(`  ${h} h written`),
  });
  console.log(JSON.stringify({ ...r, seconds: Math.round((performance.now() - t0) / 1000) }));
}
