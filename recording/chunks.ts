/**
 * Column chunks of a recording's files, decoded (recording/decode.ts) and kept in a small cache
 * bounded by bytes, so that panning and zooming, or several metrics over the same range, decode
 * the `time` and key columns once. A chunk the fast decoder does not take is read with hyparquet.
 *
 * @module
 */

import { decodeChunk, type DecodedColumn, UnsupportedChunk } from "./decode.ts";
import { type FileFooter, readRange } from "./footer.ts";
import type { RecordingFile } from "./catalog.ts";
import { openTableFile } from "../collector/parquet/read.ts";

/** Decoded chunks by file, row group and column, least recently used dropped first. */
export interface ChunkCache {
  /** The columns of row group `group` of `file`, decoded (cached). */
  read(
    file: RecordingFile,
    footer: FileFooter,
    group: number,
    columns: readonly string[],
    options?: { keep?: boolean },
  ): Promise<Map<string, DecodedColumn>>;
  /** Bytes held now. */
  readonly bytes: number;
  /** Closes the file it keeps open. */
  close(): void;
}

function sizeOf(c: DecodedColumn): number {
  return c.kind === "number"
    ? c.values.byteLength + (c.nulls?.byteLength ?? 0)
    : c.indices.byteLength + c.dictionary.reduce((n, s) => n + 2 * s.length + 16, 0);
}

/** Values of a hyparquet-read column as a decoded column. */
function fromCells(cells: unknown[]): DecodedColumn {
  if (cells.some((v) => typeof v === "string")) {
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const indices = new Int32Array(cells.length).fill(-1);
    cells.forEach((v, i) => {
      if (typeof v !== "string") return;
      let k = index.get(v);
      if (k === undefined) index.set(v, k = dictionary.push(v) - 1);
      indices[i] = k;
    });
    return { kind: "string", indices, dictionary };
  }
  const values = new Float64Array(cells.length);
  let nulls: Uint8Array | null = null;
  cells.forEach((v, i) => {
    if (typeof v === "number") values[i] = v;
    else if (typeof v === "bigint") values[i] = Number(v);
    else if (typeof v === "boolean") values[i] = v ? 1 : 0;
    else {
      nulls ??= new Uint8Array(cells.length);
      nulls[i] = 1;
    }
  });
  return { kind: "number", values, nulls };
}

/** A cache of decoded chunks holding at most `maxBytes`. */
export function createChunkCache(maxBytes = 64 * 1024 * 1024): ChunkCache {
  const cache = new Map<string, DecodedColumn>();
  let bytes = 0;
  const put = (key: string, column: DecodedColumn) => {
    cache.set(key, column);
    bytes += sizeOf(column);
    for (const [k, c] of cache) {
      if (bytes <= maxBytes || k === key) break;
      cache.delete(k);
      bytes -= sizeOf(c);
    }
  };
  // The file read last stays open: a query reads its files one after the other, row group by
  // row group (synchronous reads: an awaited open per row group cost more than decoding it).
  // Keyed by size and time too: a path compaction replaced is another file.
  let current: { key: string; handle: Deno.FsFile } | null = null;
  let spanBuffer = new Uint8Array(256 * 1024);
  const scratch: { values: Float64Array; indices: Int32Array; nulls: Uint8Array }[] = [];
  const scratchFor = (slot: number, rows: number) => {
    const have = scratch[slot];
    if (have && have.values.length >= rows) return have;
    const size = Math.max(rows, 4096);
    return scratch[slot] = {
      values: new Float64Array(size),
      indices: new Int32Array(size),
      nulls: new Uint8Array(size),
    };
  };
  const open = (file: RecordingFile): Deno.FsFile => {
    const key = `${file.path}\0${file.mtimeMs}\0${file.size}`;
    if (current?.key === key) return current.handle;
    current?.handle.close();
    current = { key, handle: Deno.openSync(file.path) };
    return current.handle;
  };
  return {
    close() {
      current?.handle.close();
      current = null;
    },
    async read(file, footer, group, columns, { keep = true } = {}) {
      const out = new Map<string, DecodedColumn>();
      const missing: string[] = [];
      for (const name of columns) {
        const key = `${file.path}\0${file.mtimeMs}\0${group}\0${name}`;
        const hit = cache.get(key);
        if (hit) {
          // Most recently used last.
          cache.delete(key);
          cache.set(key, hit);
          out.set(name, hit);
        } else missing.push(name);
      }
      if (missing.length === 0) return out;
      const rg = footer.rowGroups[group];
      const handle = open(file);
      // One read for the row group's wanted chunks when they lie close together (one seek and
      // one read instead of one per column).
      const locs = missing.map((name) => rg.chunks.get(name)).filter((l) => l !== undefined);
      const start = Math.min(...locs.map((l) => l.offset));
      const end = Math.max(...locs.map((l) => l.offset + l.length));
      const wanted = locs.reduce((n, l) => n + l.length, 0);
      // Read into one buffer kept between calls: the chunks are decoded (copied) right away.
      const need = locs.length > 1 && end - start <= 4 * wanted
        ? end - start
        : Math.max(...locs.map((l) => l.length));
      if (spanBuffer.byteLength < need) {
        spanBuffer = new Uint8Array(Math.max(need, spanBuffer.byteLength * 2));
      }
      const span = locs.length > 1 && end - start <= 4 * wanted
        ? readRange(handle, start, end - start, spanBuffer)
        : null;
      const slow: string[] = [];
      for (const name of missing) {
        const loc = rg.chunks.get(name);
        if (!loc) continue;
        const spec = footer.schema.columns.find((c) => c.name === name);
        try {
          const bytes = span
            ? span.subarray(loc.offset - start, loc.offset - start + loc.length)
            : readRange(handle, loc.offset, loc.length, spanBuffer);
          const decoded = decodeChunk(bytes, {
            type: loc.type,
            codec: loc.codec,
            optional: loc.optional,
            rows: rg.rows,
            scale: spec?.type === "decimal" ? spec.scale : undefined,
            // Not kept: decoded into the arrays of its place in the request, reused next time.
            into: keep ? undefined : scratchFor(missing.indexOf(name), rg.rows),
          });
          out.set(name, decoded);
          if (keep) put(`${file.path}\0${file.mtimeMs}\0${group}\0${name}`, decoded);
        } catch (error) {
          if (!(error instanceof UnsupportedChunk)) throw error;
          slow.push(name);
        }
      }
      if (slow.length > 0) {
        const table = await openTableFile(file.path);
        try {
          const cells = await table.readRowGroup(group, slow);
          for (const name of slow) {
            const decoded = fromCells(cells[name]);
            out.set(name, decoded);
            put(`${file.path}\0${file.mtimeMs}\0${group}\0${name}`, decoded);
          }
        } finally {
          table.close();
        }
      }
      return out;
    },
    get bytes() {
      return bytes;
    },
  };
}
