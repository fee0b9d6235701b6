/**
 * Reading fgm's Parquet tables back with hyparquet: whole files (tests, small segments) or one row
 * group at a time (compaction, so that memory stays bounded by one row group), plus listing the
 * complete `*.parquet` files under a directory.
 *
 * Values come back as written: numbers for timestamps (epoch ms), integers, decimals and floats;
 * strings; booleans; `null` for Parquet nulls. Decimals are read as their raw scaled integers and
 * divided by 10^scale here, because hyparquet multiplies by 10^-scale, which is not exact
 * (123 × 0.1 = 12.300000000000001).
 *
 * Reaches: the disk (reads Parquet files).
 *
 * @module
 */

import { parquetMetadataAsync, parquetRead } from "hyparquet";
import type { AsyncBuffer, FileMetaData, SchemaElement } from "hyparquet";
import { DECOMPRESSORS } from "./codecs.ts";
import {
  type ColumnSpec,
  type ColumnType,
  SCHEMA_METADATA_KEY,
  type TableSchema,
  validateSchema,
} from "./schema.ts";
import type { CellValue } from "./write.ts";
import { TMP_SUFFIX } from "./atomic.ts";

/** A whole table read from one file. */
export interface TableData {
  /** The schema stored in the file (or derived from its Parquet schema for foreign files). */
  schema: TableSchema;
  /** Values by column name, `rowCount` long each. */
  columns: Record<string, CellValue[]>;
  /** Number of rows. */
  rowCount: number;
  /** The file's key-value metadata other than the schema. */
  metadata: Record<string, string>;
}

/** One row group as described by the footer. */
export interface RowGroupInfo {
  /** Index of the first row of the group in the file. */
  firstRow: number;
  /** Rows in the group. */
  rows: number;
  /** Smallest value of the time column in the group (epoch ms), if known from statistics. */
  timeMinMs: number | null;
  /** Largest value of the time column in the group (epoch ms), if known from statistics. */
  timeMaxMs: number | null;
}

/** An open Parquet table file that is read row group by row group. */
export interface TableFile {
  /** The file's path. */
  path: string;
  /** The file's table schema. */
  schema: TableSchema;
  /** Total rows. */
  rowCount: number;
  /** The row groups in file order. */
  rowGroups: RowGroupInfo[];
  /** The file's key-value metadata other than the schema. */
  metadata: Record<string, string>;
  /** Reads the columns of row group `index` (all columns unless `columns` is given). */
  readRowGroup(index: number, columns?: string[]): Promise<Record<string, CellValue[]>>;
  /** Closes the file. */
  close(): void;
}

/** Options for {@linkcode openTableFile}. */
export interface OpenOptions {
  /** Column whose statistics give {@linkcode RowGroupInfo.timeMinMs}; default `time`. */
  timeColumn?: string;
}

/** How hyparquet turns timestamps into values: epoch milliseconds as numbers. */
export const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us) / 1000,
  timestampFromNanoseconds: (ns: bigint) => Number(ns) / 1e6,
};

/** An AsyncBuffer over an open file: only the byte ranges hyparquet asks for are read. */
function fileBuffer(file: Deno.FsFile, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = end ?? byteLength;
      const out = new Uint8Array(Math.max(0, stop - start));
      await file.seek(start, Deno.SeekMode.Start);
      let read = 0;
      while (read < out.byteLength) {
        const n = await file.read(out.subarray(read));
        if (n === null) {
          throw new Error(`Cannot read Parquet file: unexpected end at ${start + read}`);
        }
        read += n;
      }
      return out.buffer;
    },
  };
}

function columnTypeOf(element: SchemaElement): ColumnSpec {
  const nullable = element.repetition_type !== "REQUIRED";
  const name = element.name;
  const lt = element.logical_type;
  const ct = element.converted_type;
  if (ct === "DECIMAL" || lt?.type === "DECIMAL") {
    const precision = element.type === "INT32" ? 9 : 18;
    return { name, type: "decimal", nullable, scale: element.scale ?? 0, precision };
  }
  if (element.type === "INT64" && (ct === "TIMESTAMP_MILLIS" || lt?.type === "TIMESTAMP")) {
    return { name, type: "timestamp_ms", nullable };
  }
  const simple: Record<string, ColumnType> = {
    INT32: "int32",
    INT64: "int64",
    DOUBLE: "double",
    FLOAT: "float",
    BYTE_ARRAY: "string",
    BOOLEAN: "bool",
  };
  const type = element.type && simple[element.type];
  if (!type) throw new TypeError(`Cannot read column "${name}": unsupported type ${element.type}`);
  return { name, type, nullable };
}

/** The table schema of a file: the stored fgm schema when it matches the Parquet columns. */
export function schemaOf(metadata: FileMetaData, path: string): TableSchema {
  const leaves = metadata.schema.slice(1);
  if (leaves.some((e) => e.num_children)) {
    throw new TypeError(`Cannot read "${path}": nested columns are not supported`);
  }
  const stored = metadata.key_value_metadata?.find((kv) => kv.key === SCHEMA_METADATA_KEY)?.value;
  if (stored) {
    try {
      const schema = JSON.parse(stored) as TableSchema;
      validateSchema(schema);
      if (
        schema.columns.length === leaves.length &&
        schema.columns.every((c, i) => c.name === leaves[i].name)
      ) {
        return schema;
      }
    } catch {
      // fall through to the Parquet schema
    }
  }
  const base = path.slice(path.lastIndexOf("/") + 1).replace(/\.parquet$/, "");
  return { name: base.replace(/[^a-z0-9_]/g, "_") || "table", columns: leaves.map(columnTypeOf) };
}

/** Metadata with decimal annotations removed, so that hyparquet returns raw scaled integers. */
function rawDecimals(metadata: FileMetaData): FileMetaData {
  return {
    ...metadata,
    schema: metadata.schema.map((e) =>
      e.converted_type === "DECIMAL" || e.logical_type?.type === "DECIMAL"
        ? { ...e, converted_type: undefined, logical_type: undefined }
        : e
    ),
  };
}

function toCell(column: ColumnSpec, v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  switch (column.type) {
    case "decimal": {
      const raw = typeof v === "bigint" ? Number(v) : (v as number);
      return raw / 10 ** (column.scale ?? 0);
    }
    case "int64":
    case "timestamp_ms":
      if (typeof v === "bigint") {
        return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(v)
          : v;
      }
      return v as number;
    default:
      return v as CellValue;
  }
}

/** A file's key-value metadata other than its schema. */
export function otherMetadata(metadata: FileMetaData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of metadata.key_value_metadata ?? []) {
    if (kv.key !== SCHEMA_METADATA_KEY) out[kv.key] = kv.value ?? "";
  }
  return out;
}

/**
 * Opens a Parquet table file for reading row group by row group. Reads only the footer now.
 *
 * @throws {Error} when the file is not a complete Parquet file.
 */
export async function openTableFile(path: string, options: OpenOptions = {}): Promise<TableFile> {
  const timeColumn = options.timeColumn ?? "time";
  const file = await Deno.open(path, { read: true });
  try {
    const { size } = await file.stat();
    const buffer = fileBuffer(file, size);
    const metadata = await parquetMetadataAsync(buffer, { parsers: PARSERS });
    const schema = schemaOf(metadata, path);
    const raw = rawDecimals(metadata);
    const timeIndex = schema.columns.findIndex((c) => c.name === timeColumn);
    const rowGroups: RowGroupInfo[] = [];
    let firstRow = 0;
    for (const rg of metadata.row_groups) {
      const rows = Number(rg.num_rows);
      const stats = timeIndex >= 0 ? rg.columns[timeIndex]?.meta_data?.statistics : undefined;
      const min = stats?.min_value ?? stats?.min;
      const max = stats?.max_value ?? stats?.max;
      rowGroups.push({
        firstRow,
        rows,
        timeMinMs: typeof min === "number" ? min : typeof min === "bigint" ? Number(min) : null,
        timeMaxMs: typeof max === "number" ? max : typeof max === "bigint" ? Number(max) : null,
      });
      firstRow += rows;
    }
    let closed = false;
    return {
      path,
      schema,
      rowCount: Number(metadata.num_rows),
      rowGroups,
      metadata: otherMetadata(metadata),
      async readRowGroup(index, columns) {
        const group = rowGroups[index];
        if (!group) throw new RangeError(`Cannot read row group ${index} of "${path}"`);
        const wanted = schema.columns.filter((c) => !columns || columns.includes(c.name));
        const out: Record<string, CellValue[]> = {};
        for (const c of wanted) out[c.name] = new Array<CellValue>(group.rows).fill(null);
        if (group.rows === 0 || wanted.length === 0) return out;
        const byName = new Map(wanted.map((c) => [c.name, c]));
        await parquetRead({
          file: buffer,
          metadata: raw,
          columns: wanted.map((c) => c.name),
          rowStart: group.firstRow,
          rowEnd: group.firstRow + group.rows,
          parsers: PARSERS,
          compressors: DECOMPRESSORS,
          onChunk({ columnName, columnData, rowStart }) {
            const column = byName.get(columnName);
            if (!column) return;
            const target = out[columnName];
            for (let i = 0; i < columnData.length; i++) {
              const row = rowStart + i - group.firstRow;
              if (row >= 0 && row < group.rows) target[row] = toCell(column, columnData[i]);
            }
          },
        });
        return out;
      },
      close() {
        if (!closed) file.close();
        closed = true;
      },
    };
  } catch (error) {
    file.close();
    throw error;
  }
}

/**
 * Reads a whole table file into memory.
 *
 * @param path the Parquet file.
 * @param options.columns read only these columns (all by default).
 */
export async function readTableFile(
  path: string,
  options: { columns?: string[] } = {},
): Promise<TableData> {
  const file = await openTableFile(path);
  try {
    const columns: Record<string, CellValue[]> = {};
    const wanted = file.schema.columns.filter((c) =>
      !options.columns || options.columns.includes(c.name)
    );
    for (const c of wanted) columns[c.name] = new Array<CellValue>(file.rowCount);
    for (let g = 0; g < file.rowGroups.length; g++) {
      const group = await file.readRowGroup(g, options.columns);
      const first = file.rowGroups[g].firstRow;
      for (const c of wanted) {
        const src = group[c.name];
        const dst = columns[c.name];
        for (let i = 0; i < src.length; i++) dst[first + i] = src[i];
      }
    }
    const schema = options.columns ? { ...file.schema, columns: wanted } : file.schema;
    return { schema, columns, rowCount: file.rowCount, metadata: file.metadata };
  } finally {
    file.close();
  }
}

/**
 * Whether `path` is a complete Parquet file: at least 12 bytes, `PAR1` at both ends, and a footer
 * length that fits between the magics. A file cut short by a crash (no footer) fails this check.
 * Never throws; an unreadable file is not complete.
 */
export function isCompleteParquet(path: string): boolean {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(path, { read: true });
    const size = file.statSync().size;
    if (size < 12) return false;
    const head = new Uint8Array(4);
    if (!readFullySync(file, head, 0)) return false;
    const tail = new Uint8Array(8);
    if (!readFullySync(file, tail, size - 8)) return false;
    const magic = (b: Uint8Array, o: number) =>
      b[o] === 0x50 && b[o + 1] === 0x41 && b[o + 2] === 0x52 && b[o + 3] === 0x31;
    if (!magic(head, 0) || !magic(tail, 4)) return false;
    const footerLength = new DataView(tail.buffer).getUint32(0, true);
    return footerLength > 0 && footerLength <= size - 12;
  } catch {
    return false;
  } finally {
    file?.close();
  }
}

function readFullySync(file: Deno.FsFile, into: Uint8Array, position: number): boolean {
  file.seekSync(position, Deno.SeekMode.Start);
  let read = 0;
  while (read < into.byteLength) {
    const n = file.readSync(into.subarray(read));
    if (n === null) return false;
    read += n;
  }
  return true;
}

/**
 * All `*.parquet` files under `root` (recursively), sorted by path. Temporary files
 * (`*.parquet.tmp`) and other names are skipped; a missing root gives `[]`. Symlinks are not
 * followed.
 */
export async function listTableFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (
        entry.isFile && entry.name.endsWith(".parquet") && !entry.name.endsWith(TMP_SUFFIX)
      ) {
        out.push(path);
      }
    }
  }
  await walk(root.replace(/\/+$/, "") || "/");
  return out.sort();
}
