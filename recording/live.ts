/**
 * Rows a collector in the same process holds that no file has yet (`fgm collect --view`): those
 * of its buffers (up to one `--flush` of rows), and those of segments it wrote that the recording's
 * catalog has not walked yet. Queries add them to what they read from files, so the chart is as
 * fresh as the last sweep.
 *
 * @module
 */

import type { ColumnData } from "../collector/parquet/write.ts";
import type { DecodedColumn } from "./decode.ts";
import { vectorAt } from "../collector/parquet/write.ts";

/** One set of rows in memory, in time order. */
export interface LiveRows {
  table: string;
  node: string;
  /** The segment file these rows went to, or `null` while they are only in memory. */
  path: string | null;
  columns: ColumnData;
  rows: number;
}

/** Where in-memory rows come from. */
export interface LiveSource {
  /** The row sets of `table` at this instant (read them before the next await). */
  rows(table: string): LiveRows[];
}

/**
 * A live source fed by a collector: `buffers()` gives its unflushed rows; `written()` is told of
 * each segment as it is written, and keeps its rows until `seen(path)` says the catalog has it.
 */
export function createLiveSource(
  node: string,
  buffers: () => { table: string; columns: ColumnData; rows: number }[],
): LiveSource & {
  written(table: string, path: string, columns: ColumnData, rows: number): void;
  /** Forgets the segments whose file the catalog now lists. */
  settle(seen: (path: string) => boolean): void;
} {
  let pending: LiveRows[] = [];
  return {
    rows(table) {
      const out = pending.filter((p) => p.table === table);
      for (const b of buffers()) {
        if (b.table === table && b.rows > 0) {
          out.push({ table, node, path: null, columns: b.columns, rows: b.rows });
        }
      }
      return out;
    },
    written(table, path, columns, rows) {
      pending.push({ table, node, path, columns, rows });
    },
    settle(seen) {
      pending = pending.filter((p) => !seen(p.path!));
    },
  };
}

/** A column of live rows as the decoder would give it. */
export function liveColumn(
  data: ColumnData,
  name: string,
  rows: number,
): DecodedColumn | undefined {
  const v = data[name];
  if (v === undefined) return undefined;
  const first = rows > 0 ? vectorAt(v, 0) : null;
  let isString = typeof first === "string";
  if (!isString && first === null) {
    for (let i = 0; i < rows; i++) {
      const x = vectorAt(v, i);
      if (x !== null && x !== undefined) {
        isString = typeof x === "string";
        break;
      }
    }
  }
  if (isString) {
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const indices = new Int32Array(rows).fill(-1);
    for (let i = 0; i < rows; i++) {
      const x = vectorAt(v, i);
      if (typeof x !== "string") continue;
      let k = index.get(x);
      if (k === undefined) index.set(x, k = dictionary.push(x) - 1);
      indices[i] = k;
    }
    return { kind: "string", indices, dictionary };
  }
  const values = new Float64Array(rows);
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < rows; i++) {
    const x = vectorAt(v, i);
    if (typeof x === "number") values[i] = x;
    else {
      nulls ??= new Uint8Array(rows);
      nulls[i] = 1;
    }
  }
  return { kind: "number", values, nulls };
}
