/**
 * Recordings with chosen values for the tests of analyze/ and the viewer's studies: the
 * `containers` and `host` tables written the way `fgm collect` writes them, each container's
 * columns given as functions of the second. Not used by the product.
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

const INTEGER = new Set(
  CONTAINERS.columns.filter((c) => c.type.startsWith("int")).map((c) => c.name),
);

/** A column's value at second `s` (null: not sampled). */
export type ValueAt = (s: number) => number | null;

/** One container of a study recording. */
export interface StudyContainer {
  name: string;
  /** Column values by name, e.g. `{ cpu_usage_millicores: (s) => … }`. */
  values: Record<string, ValueAt>;
}

/**
 * Writes `seconds` of 1-Hz rows for `containers` (ids `node-a-<name>-id`) and a host whose CPU is
 * `host(s)` into `out`, one file per `fileSeconds`; returns the container entity ids by name.
 */
export async function writeStudyRecording(
  out: string,
  o: { containers: StudyContainer[]; seconds: number; fileSeconds?: number; host?: ValueAt },
): Promise<Record<string, string>> {
  const node = "node-a";
  const per = o.fileSeconds ?? 600;
  const ids: Record<string, string> = {};
  for (const c of o.containers) ids[c.name] = `${node}/${node}-${c.name}-id`;
  for (let start = 0; start < o.seconds; start += per) {
    const cb = newBuffer(CONTAINERS);
    const hb = newBuffer(HOST);
    for (let s = start; s < Math.min(o.seconds, start + per); s++) {
      const time = T0 + s * 1000;
      for (const c of o.containers) {
        const row: Record<string, string | number | null> = {
          time,
          node,
          container_id: `${node}-${c.name}-id`,
          container_name: c.name,
          runtime: "docker",
          namespace: "default",
          pod_name: null,
          qos_class: null,
        };
        for (const [k, f] of Object.entries(c.values)) {
          const v = f(s);
          // integer columns take whole numbers, as the collector writes them
          row[k] = v !== null && INTEGER.has(k) ? Math.round(v) : v;
        }
        appendValues(cb, row);
      }
      appendValues(hb, { time, node, cpu_usage_millicores: o.host ? o.host(s) : 1000, load1: 1 });
    }
    for (const buffer of [cb, hb]) {
      if (buffer.rows === 0) continue;
      const cols = bufferColumns(buffer);
      const times = columnValues(buffer, "time") as number[];
      const dir = partitionDir(out, buffer.table.name, dayOf(times[0]), node);
      Deno.mkdirSync(dir, { recursive: true });
      await writeTableFile(
        `${dir}/${compactedName(buffer.table.name, times[0], times[buffer.rows - 1])}`,
        buffer.table,
        cols,
        buffer.rows,
        {
          metadata: {
            ...contractMetadata(),
            ...entitiesMetadata(entitiesOf(buffer.table, cols, buffer.rows)),
          },
        },
      );
    }
  }
  return ids;
}
