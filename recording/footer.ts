/**
 * A Parquet file's footer as the recording reader needs it: its table schema (fgm's stored schema,
 * or one derived from the Parquet types), key-value metadata, and per row group its rows, the time
 * range from the `time` column's statistics and where each column chunk lies. Read with two small
 * reads from the end of the file, never the row data.
 *
 * @module
 */

import {
  type CompressionCodec,
  type FileMetaData,
  parquetMetadata,
  type ParquetType,
} from "hyparquet";
import { otherMetadata, PARSERS, schemaOf } from "../collector/parquet/read.ts";
import type { TableSchema } from "../collector/parquet/schema.ts";

/** Where one column chunk lies and how it is stored. */
export interface ChunkLocation {
  offset: number;
  length: number;
  codec: CompressionCodec;
  type: ParquetType;
  optional: boolean;
  /** Min and max from the chunk's statistics, when numeric. */
  min: number | null;
  max: number | null;
}

/** One row group. */
export interface RowGroupFooter {
  rows: number;
  /** First and last sample time (epoch ms) from the `time` statistics; `null` without them. */
  timeMinMs: number | null;
  timeMaxMs: number | null;
  chunks: Map<string, ChunkLocation>;
}

/** What the reader keeps of a file's footer. */
export interface FileFooter {
  schema: TableSchema;
  metadata: Record<string, string>;
  rows: number;
  rowGroups: RowGroupFooter[];
}

/** Bytes read from the end of a file at first: enough for most footers of fgm's files. */
const TAIL_BYTES = 64 * 1024;

function statNumber(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.getTime();
  return null;
}

/** The footer parts of `metadata` (already parsed). */
export function footerOf(metadata: FileMetaData, path: string): FileFooter {
  const schema = schemaOf(metadata, path);
  const elements = metadata.schema.slice(1);
  const rowGroups = metadata.row_groups.map((rg): RowGroupFooter => {
    const chunks = new Map<string, ChunkLocation>();
    let timeMinMs: number | null = null;
    let timeMaxMs: number | null = null;
    rg.columns.forEach((chunk, i) => {
      const md = chunk.meta_data;
      if (!md) return;
      const name = md.path_in_schema.join(".");
      const start = Number(md.dictionary_page_offset ?? md.data_page_offset);
      const stats = md.statistics;
      const min = statNumber(stats?.min_value ?? stats?.min);
      const max = statNumber(stats?.max_value ?? stats?.max);
      chunks.set(name, {
        offset: start,
        length: Number(md.total_compressed_size),
        codec: md.codec,
        type: md.type,
        optional: elements[i]?.repetition_type !== "REQUIRED",
        min,
        max,
      });
      if (name === "time") {
        timeMinMs = min;
        timeMaxMs = max;
      }
    });
    return { rows: Number(rg.num_rows), timeMinMs, timeMaxMs, chunks };
  });
  return {
    schema,
    metadata: otherMetadata(metadata),
    rows: Number(metadata.num_rows),
    rowGroups,
  };
}

/**
 * Reads the footer of the Parquet file open as `file` (`size` bytes), synchronously: two reads of
 * a few kB, faster than awaiting them.
 *
 * @throws {Error} `Cannot read "<path>": …` for a file that is not complete Parquet.
 */
export function readFooter(file: Deno.FsFile, size: number, path: string): FileFooter {
  if (size < 12) throw new Error(`Cannot read "${path}": not a Parquet file (${size} bytes)`);
  const read = (start: number, length: number) => readRange(file, start, length);
  let tail = read(Math.max(0, size - TAIL_BYTES), Math.min(size, TAIL_BYTES));
  const view = new DataView(tail.buffer);
  if (view.getUint32(tail.byteLength - 4, true) !== 0x31524150) {
    throw new Error(`Cannot read "${path}": no Parquet footer (incomplete or not Parquet)`);
  }
  const length = view.getUint32(tail.byteLength - 8, true);
  if (length + 12 > size) {
    throw new Error(`Cannot read "${path}": footer length ${length} past the file`);
  }
  if (length + 8 > tail.byteLength) tail = read(size - length - 8, length + 8);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(tail, { parsers: PARSERS });
  } catch (error) {
    throw new Error(
      `Cannot read "${path}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (metadata.schema.slice(1).some((e) => e.num_children)) {
    throw new Error(`Cannot read "${path}": nested columns are not supported`);
  }
  return footerOf(metadata, path);
}

/** Reads `length` bytes at `offset` of an open file, synchronously. */
export function readRange(
  file: Deno.FsFile,
  offset: number,
  length: number,
  into?: Uint8Array,
): Uint8Array {
  const out = into && into.byteLength >= length ? into.subarray(0, length) : new Uint8Array(length);
  file.seekSync(offset, Deno.SeekMode.Start);
  let got = 0;
  while (got < length) {
    const n = file.readSync(out.subarray(got));
    if (n === null) throw new Error(`unexpected end of file at ${offset + got}`);
    got += n;
  }
  return out;
}
