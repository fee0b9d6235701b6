/**
 * A slice of a recording — one table, some entities, a time range, every column — as one Parquet
 * file in memory, in data contract 2 with the table's schema and metadata, that DuckDB, pandas or
 * `fgm view` open like any file `fgm collect` wrote.
 *
 * @module
 */

import type { Recording } from "./recording.ts";
import type { DecodedColumn } from "./decode.ts";
import { createChunkCache } from "./chunks.ts";
import { entityId, keyColumns } from "./series.ts";
import { encodeTable } from "../collector/parquet/write.ts";
import type { TableSchema } from "../collector/parquet/schema.ts";
import { CONTRACT_METADATA_KEY } from "../collector/columns.ts";

/** What to export. */
export interface ExportQuery {
  table: string;
  fromMs: number;
  toMs: number;
  /** Entities ({@linkcode entityId}s); all when absent. */
  ids?: readonly string[];
  /** Refuse slices of more rows than this (default 2 000 000). */
  maxRows?: number;
}

/**
 * Encodes the slice. Rows keep their files' order (time order within a node).
 *
 * @throws {RangeError} when the slice holds more than `maxRows` rows.
 */
export async function exportSlice(
  rec: Recording,
  q: ExportQuery,
): Promise<{ bytes: Uint8Array; rows: number }> {
  const maxRows = q.maxRows ?? 2_000_000;
  const wanted = q.ids ? new Set(q.ids) : null;
  const keys = keyColumns(q.table);
  // Its own cache: a slice's columns are read once, and must not push the viewer's out.
  const chunks = createChunkCache(16 * 1024 * 1024);
  let schema: TableSchema | null = null;
  let contract: Record<string, string> = {};
  const columns: Record<string, (string | number | null)[]> = {};
  let rows = 0;
  try {
    for (const file of rec.catalog.files(q.table)) {
      if (file.startMs >= q.toMs || file.endMs < q.fromMs) continue;
      if (wanted && ![...wanted].some((id) => id.split("/")[0] === file.node)) continue;
      const footer = await rec.catalog.footer(file);
      if (footer === null) continue;
      if (schema === null) {
        schema = footer.schema;
        const version = footer.metadata[CONTRACT_METADATA_KEY];
        contract = version ? { [CONTRACT_METADATA_KEY]: version } : {};
      }
      const names = schema.columns.map((c) => c.name);
      for (const name of names) columns[name] ??= [];
      for (let g = 0; g < footer.rowGroups.length; g++) {
        const rg = footer.rowGroups[g];
        if (rg.rows === 0) continue;
        if (rg.timeMaxMs !== null && rg.timeMaxMs < q.fromMs) continue;
        if (rg.timeMinMs !== null && rg.timeMinMs >= q.toMs) continue;
        const decoded = await chunks.read(
          file,
          footer,
          g,
          names.filter((n) => rg.chunks.has(n)),
        );
        const time = decoded.get("time");
        if (time?.kind !== "number") continue;
        const cell = (c: DecodedColumn | undefined, i: number): string | number | null => {
          if (c === undefined) return null;
          if (c.kind === "string") return c.indices[i] < 0 ? null : c.dictionary[c.indices[i]];
          return c.nulls?.[i] ? null : c.values[i];
        };
        for (let i = 0; i < rg.rows; i++) {
          const t = time.values[i];
          if (t < q.fromMs || t >= q.toMs) continue;
          if (wanted) {
            const id = entityId(file.node, keys.map((k) => cell(decoded.get(k), i)));
            if (!wanted.has(id)) continue;
          }
          if (++rows > maxRows) {
            throw new RangeError(
              `Cannot export more than ${maxRows} rows at once: narrow the range or the entities`,
            );
          }
          for (const name of names) columns[name].push(cell(decoded.get(name), i));
        }
      }
    }
  } finally {
    chunks.close();
  }
  if (schema === null) throw new RangeError(`Cannot export "${q.table}": no file in the range`);
  const bytes = encodeTable(schema, columns, rows, {
    metadata: { ...contract, "fgm.export": JSON.stringify(q) },
  });
  return { bytes, rows };
}
