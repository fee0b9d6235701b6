/**
 * Small recordings with known values for the tests of recording/ and viewer/: the `containers`
 * and `host` tables written the way `fgm collect` writes them (data contract 2, its layout, entity
 * lists in the footers), one file per `fileSeconds`. Not used by the product.
 *
 * @module
 */

import { CONTAINERS, HOST } from "../collector/tables.ts";
import { appendValues, bufferColumns, columnValues, newBuffer } from "../collector/table_buffer.ts";
import { writeTableFile } from "../collector/parquet/write.ts";
import { compactedName, dayOf, partitionDir } from "../collector/files.ts";
import { contractMetadata } from "../collector/columns.ts";
import { entitiesMetadata, entitiesOf } from "../collector/entities.ts";

/** 2026-12-04T10:00:00Z. */
export const T0 = Date.UTC(2026, 11, 4, 10);

/** The shape of a test recording. */
export interface TestRecordingOptions {
  nodes?: string[];
  /** Container names per node; ids are `<node>-<name>-id`. */
  containers?: string[];
  seconds?: number;
  /** Seconds per file. */
  fileSeconds?: number;
  /** Seconds (from T0) at which no row is written (a gap). */
  missing?: (second: number) => boolean;
  /** Rows per row group. */
  rowGroupRows?: number;
}

/** The CPU value of container `c` (index) at second `s`: a known, varied function. */
export function cpuAt(c: number, s: number): number {
  return 100 * (c + 1) + (s % 10) * 10 + (s % 60 === 30 ? 1000 : 0);
}

/** Memory of container `c` at second `s`. */
export function memoryAt(c: number, s: number): number {
  return (c + 1) * 1_000_000 + s * 4096;
}

/** Writes the recording into `out`; returns the container ids by node. */
export async function writeTestRecording(
  out: string,
  o: TestRecordingOptions = {},
): Promise<Record<string, string[]>> {
  const nodes = o.nodes ?? ["node-a"];
  const names = o.containers ?? ["web", "db", "cache"];
  const seconds = o.seconds ?? 600;
  const per = o.fileSeconds ?? 60;
  const ids: Record<string, string[]> = {};
  for (const node of nodes) {
    ids[node] = names.map((n) => `${node}-${n}-id`);
    for (let start = 0; start < seconds; start += per) {
      const c = newBuffer(CONTAINERS);
      const h = newBuffer(HOST);
      for (let s = start; s < Math.min(seconds, start + per); s++) {
        if (o.missing?.(s)) continue;
        const time = T0 + s * 1000;
        names.forEach((name, i) => {
          appendValues(c, {
            time,
            node,
            container_id: ids[node][i],
            container_name: name,
            runtime: "docker",
            namespace: i === 0 ? "shop" : "data",
            pod_name: `${name}-0`,
            qos_class: i === 2 ? "BestEffort" : "Burstable",
            cpu_usage_millicores: s === 0 ? null : cpuAt(i, s),
            memory_usage_bytes: memoryAt(i, s),
          });
        });
        appendValues(h, { time, node, cpu_usage_millicores: 500 + s, load1: 0.5 });
      }
      for (const buffer of [c, h]) {
        if (buffer.rows === 0) continue;
        const cols = bufferColumns(buffer);
        const times = columnValues(buffer, "time") as number[];
        const first = times[0];
        const last = times[buffer.rows - 1];
        const dir = partitionDir(out, buffer.table.name, dayOf(first), node);
        Deno.mkdirSync(dir, { recursive: true });
        await writeTableFile(
          `${dir}/${compactedName(buffer.table.name, first, last)}`,
          buffer.table,
          cols,
          buffer.rows,
          {
            rowGroupRows: o.rowGroupRows,
            metadata: {
              ...contractMetadata(),
              ...entitiesMetadata(entitiesOf(buffer.table, cols, buffer.rows)),
            },
          },
        );
      }
    }
  }
  return ids;
}
