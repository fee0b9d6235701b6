/**
 * Encoding wide tables to Parquet with hyparquet-writer, and writing whole files atomically.
 *
 * Defaults (codec, per-type encodings, row group size) were chosen by measuring a realistic
 * one-hour recording of 50 containers and 250 processes; `deno run -A bench/parquet_size.ts`
 * reproduces the table in bench/README_parquet.md.
 *
 * Reaches: the disk (`writeTableFile`, through `atomic.ts`); encoding itself is pure.
 *
 * @module
 */

import type { SchemaElement } from "hyparquet";
import {
  ByteWriter,
  FooterWriter,
  HYPARQUET_WRITER_VERSION,
  writeFlatColumnChunk,
  type WrittenChunk,
} from "./hyparquet_writer_internals.ts";
import { writeNumericChunk } from "./numeric_chunk.ts";
import { type Codec, compressorsFor } from "./codecs.ts";
import {
  type ColumnSpec,
  type ColumnType,
  decimalLimit,
  SCHEMA_METADATA_KEY,
  type TableSchema,
  validateSchema,
} from "./schema.ts";
import { writeFileAtomic } from "./atomic.ts";

/** One JS value of a column: numbers for every numeric type, `null` for a Parquet null. */
export type CellValue = number | bigint | string | boolean | null | undefined;

/**
 * A column kept as a typed array plus a null mask, e.g. `Float64Array` values and a `Uint8Array`
 * mask where a non-zero entry means null (the value at that index is ignored). Uses 8-9 bytes per
 * cell instead of a JS array's 8 bytes plus a boxed number per non-small value.
 */
export interface MaskedColumn {
  /** The values; entries whose mask is set are ignored. */
  values: ArrayLike<number | bigint | string | boolean>;
  /** Non-zero (or true) where the row is null. */
  nulls: ArrayLike<number | boolean>;
}

/** One column's data: a plain array (or typed array) with `null`s, or a {@linkcode MaskedColumn}. */
export type ColumnVector = ArrayLike<CellValue> | MaskedColumn;

/** Column data by column name, each at least `rowCount` long. */
export type ColumnData = Record<string, ColumnVector>;

/** Whether a column vector is a {@linkcode MaskedColumn}. */
export function isMaskedColumn(data: ColumnVector): data is MaskedColumn {
  return "nulls" in data && "values" in data && !("length" in data);
}

/** Number of rows in a column vector. */
export function vectorLength(data: ColumnVector): number {
  return isMaskedColumn(data) ? data.values.length : data.length;
}

/** The value at row `i` of a column vector (`null` for a null). */
export function vectorAt(data: ColumnVector, i: number): CellValue {
  if (isMaskedColumn(data)) return data.nulls[i] ? null : data.values[i];
  return data[i];
}

/**
 * How a column chunk's values are encoded.
 * - `auto`: dictionary (RLE_DICTIONARY) when it at least halves the plain size, else PLAIN
 *   (hyparquet-writer's own rule);
 * - `plain`, `dictionary`, `delta` (DELTA_BINARY_PACKED, integer types only),
 *   `byte_stream_split` (BYTE_STREAM_SPLIT, fixed-width types; DuckDB 1.5 reads it only for
 *   `double` and `float`, so use it on integer types for measurements only);
 * - `adaptive`: per row group, dictionary when the chunk has few distinct values, otherwise
 *   `delta` for integer types and `byte_stream_split` for floating point (fgm's rule, see
 *   {@linkcode chooseAdaptiveEncoding}).
 */
export type EncodingChoice =
  | "auto"
  | "plain"
  | "dictionary"
  | "delta"
  | "byte_stream_split"
  | "adaptive";

/** Options for {@linkcode encodeTable} and {@linkcode writeTableFile}. */
export interface EncodeOptions {
  /** Page compression; default {@linkcode DEFAULT_CODEC}. */
  codec?: Codec;
  /**
   * Codec level (ZSTD 1..22, GZIP 1..9, BROTLI 0..11); default: the library's own (ZSTD 3, GZIP 6,
   * BROTLI 11, which is ~55× slower than ZSTD 3 for 22 % smaller files).
   */
  level?: number;
  /** Rows per row group; default {@linkcode DEFAULT_ROW_GROUP_ROWS}. */
  rowGroupRows?: number;
  /** Target uncompressed bytes per data page; default {@linkcode DEFAULT_PAGE_BYTES}. */
  pageBytes?: number;
  /**
   * Write min/max/null-count statistics per column chunk: `true` (default) for every column,
   * `false` for none, or the names of the columns that get them (a short-lived segment needs
   * them on `time` only, which compaction and readers prune by).
   */
  statistics?: boolean | readonly string[];
  /** Encoding per column type, merged over {@linkcode DEFAULT_ENCODINGS}. */
  typeEncodings?: Partial<Record<ColumnType, EncodingChoice>>;
  /** Encoding per column name; wins over `typeEncodings`. */
  columnEncodings?: Record<string, EncodingChoice>;
  /** Extra key-value metadata stored in the footer (the schema is always stored). */
  metadata?: Record<string, string>;
}

/** What a write produced. */
export interface WriteResult {
  /** The final path of the file. */
  path: string;
  /** File size in bytes. */
  bytes: number;
  /** Rows written. */
  rows: number;
}

/** Default page codec, chosen by measurement (bench/README_parquet.md). */
export const DEFAULT_CODEC: Codec = "ZSTD";
/** Default rows per row group (bench/README_parquet.md). */
export const DEFAULT_ROW_GROUP_ROWS = 100_000;
/** Default target uncompressed bytes per data page (hyparquet-writer's default, 1 MiB). */
export const DEFAULT_PAGE_BYTES = 1 << 20;
/** Default encoding per column type (bench/README_parquet.md). */
export const DEFAULT_ENCODINGS: Readonly<Record<ColumnType, EncodingChoice>> = {
  timestamp_ms: "plain",
  int32: "plain",
  int64: "plain",
  decimal: "plain",
  double: "adaptive",
  float: "adaptive",
  string: "dictionary",
  bool: "auto",
};

const INT_TYPES: ReadonlySet<ColumnType> = new Set(["timestamp_ms", "int32", "int64", "decimal"]);

/** The Parquet schema elements (root first) for a table. */
export function parquetSchemaOf(schema: TableSchema): SchemaElement[] {
  const elements: SchemaElement[] = [{ name: "root", num_children: schema.columns.length }];
  for (const column of schema.columns) {
    const repetition_type = column.nullable ? "OPTIONAL" : "REQUIRED";
    const name = column.name;
    switch (column.type) {
      case "timestamp_ms":
        elements.push({
          name,
          repetition_type,
          type: "INT64",
          converted_type: "TIMESTAMP_MILLIS",
          logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
        });
        break;
      case "int32":
        elements.push({ name, repetition_type, type: "INT32" });
        break;
      case "int64":
        elements.push({ name, repetition_type, type: "INT64" });
        break;
      case "double":
        elements.push({ name, repetition_type, type: "DOUBLE" });
        break;
      case "float":
        elements.push({ name, repetition_type, type: "FLOAT" });
        break;
      case "decimal": {
        const precision = column.precision ?? 9;
        const scale = column.scale ?? 0;
        elements.push({
          name,
          repetition_type,
          type: precision === 9 ? "INT32" : "INT64",
          converted_type: "DECIMAL",
          scale,
          precision,
          logical_type: { type: "DECIMAL", scale, precision },
        });
        break;
      }
      case "string":
        elements.push({
          name,
          repetition_type,
          type: "BYTE_ARRAY",
          converted_type: "UTF8",
          logical_type: { type: "STRING" },
        });
        break;
      case "bool":
        elements.push({ name, repetition_type, type: "BOOLEAN" });
        break;
    }
  }
  return elements;
}

/**
 * The physical values hyparquet-writer expects for one column, rows `[start, end)`: bigint for
 * INT64 types, scaled integers for decimals, `null` for nulls. Checks types and nullability.
 *
 * @throws {TypeError} for a value of the wrong type, a non-integer where an integer is needed,
 *   an out-of-range value, or a null in a non-nullable column.
 */
export function physicalValues(
  column: ColumnSpec,
  vector: ColumnVector,
  start: number,
  end: number,
): (number | bigint | string | boolean | null)[] {
  const out = new Array<number | bigint | string | boolean | null>(end - start);
  const fail = (i: number, why: string): never => {
    throw new TypeError(`Cannot write column "${column.name}" row ${i}: ${why}`);
  };
  const factor = column.type === "decimal" ? 10 ** (column.scale ?? 0) : 1;
  const limit = decimalLimit(column);
  const masked = isMaskedColumn(vector);
  const data: ArrayLike<CellValue> = masked ? vector.values : vector;
  const nulls = masked ? vector.nulls : undefined;
  for (let i = start; i < end; i++) {
    const v = nulls?.[i] ? null : data[i];
    if (v === null || v === undefined) {
      if (!column.nullable) fail(i, "null in a non-nullable column");
      out[i - start] = null;
      continue;
    }
    switch (column.type) {
      case "timestamp_ms":
      case "int64":
        if (typeof v === "bigint") out[i - start] = v;
        else if (typeof v === "number" && Number.isSafeInteger(v)) out[i - start] = BigInt(v);
        else fail(i, `expected a safe integer, got ${String(v)}`);
        break;
      case "int32":
        if (typeof v !== "number" || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
          fail(i, `expected an int32, got ${String(v)}`);
        }
        out[i - start] = v as number;
        break;
      case "decimal": {
        if (typeof v !== "number" || !Number.isFinite(v)) fail(i, `expected a number, got ${v}`);
        const scaled = Math.round((v as number) * factor);
        if (Math.abs(scaled) > limit) fail(i, `${v} does not fit the decimal's precision`);
        // A bigint tells hyparquet-writer the decimal is already scaled (a number would be
        // scaled again).
        out[i - start] = BigInt(scaled);
        break;
      }
      case "double":
      case "float":
        if (typeof v !== "number") fail(i, `expected a number, got ${String(v)}`);
        out[i - start] = v as number;
        break;
      case "string":
        if (typeof v !== "string") fail(i, `expected a string, got ${String(v)}`);
        out[i - start] = v as string;
        break;
      case "bool":
        if (typeof v !== "boolean") fail(i, `expected a boolean, got ${String(v)}`);
        out[i - start] = v as boolean;
        break;
    }
  }
  return out;
}

/**
 * fgm's per-chunk encoding rule for `adaptive` columns: RLE_DICTIONARY when the chunk's distinct
 * non-null values are few (at most 1/8 of the non-null values and at most 4096), otherwise
 * DELTA_BINARY_PACKED for integer types and BYTE_STREAM_SPLIT for floating point. Dictionary wins
 * for limits, mostly-zero counters and pressure; delta wins for drifting gauges and timestamps;
 * byte-stream-split helps the codec on doubles.
 */
export function chooseAdaptiveEncoding(
  type: ColumnType,
  values: ColumnVector,
  start = 0,
  end = vectorLength(values),
): "RLE_DICTIONARY" | "DELTA_BINARY_PACKED" | "BYTE_STREAM_SPLIT" | "PLAIN" {
  const distinct = new Set<unknown>();
  let nonNull = 0;
  for (let i = start; i < end; i++) {
    const v = vectorAt(values, i);
    if (v === null || v === undefined) continue;
    nonNull++;
    if (distinct.size <= 4096) distinct.add(v);
  }
  if (nonNull === 0) return "PLAIN";
  if (distinct.size <= 4096 && distinct.size * 8 <= nonNull) return "RLE_DICTIONARY";
  if (INT_TYPES.has(type)) return "DELTA_BINARY_PACKED";
  if (type === "double" || type === "float") return "BYTE_STREAM_SPLIT";
  return "PLAIN";
}

function parquetEncoding(
  column: ColumnSpec,
  choice: EncodingChoice,
  values: ColumnVector,
  start: number,
  end: number,
): "RLE_DICTIONARY" | "DELTA_BINARY_PACKED" | "BYTE_STREAM_SPLIT" | "PLAIN" | undefined {
  const isInt = INT_TYPES.has(column.type);
  const fixedWidth = isInt || column.type === "double" || column.type === "float";
  switch (choice) {
    case "auto":
      return undefined;
    case "plain":
      return "PLAIN";
    case "dictionary":
      return column.type === "bool" ? undefined : "RLE_DICTIONARY";
    case "delta":
      if (!isInt) throw new TypeError(`Cannot delta-encode column "${column.name}": not integer`);
      return "DELTA_BINARY_PACKED";
    case "byte_stream_split":
      if (!fixedWidth) {
        throw new TypeError(`Cannot byte-stream-split column "${column.name}": not fixed width`);
      }
      return "BYTE_STREAM_SPLIT";
    case "adaptive": {
      if (column.type === "bool") return undefined;
      // BYTE_ARRAY has no delta here; PLAIN with a codec is fine for the rare free-text column.
      return chooseAdaptiveEncoding(column.type, values, start, end);
    }
  }
}

/**
 * Streams row groups of one table into a hyparquet-writer `Writer`. Used by
 * {@linkcode encodeTable} (whole file in memory) and by compaction (row group by row group into
 * a file, so that only one row group is held in memory).
 */
export class TableEncoder {
  readonly #schema: TableSchema;
  readonly #options: Required<Omit<EncodeOptions, "level" | "metadata">> & { level?: number };
  readonly #pq: FooterWriter;
  /** The Parquet schema elements, root first. */
  readonly #elements: SchemaElement[];
  #rows = 0;

  /** Starts a file: writes the leading `PAR1` magic into `writer`. */
  constructor(
    writer: InstanceType<typeof ByteWriter>,
    schema: TableSchema,
    options: EncodeOptions = {},
  ) {
    validateSchema(schema);
    this.#schema = schema;
    const codec = options.codec ?? DEFAULT_CODEC;
    this.#options = {
      codec,
      level: options.level,
      rowGroupRows: options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS,
      pageBytes: options.pageBytes ?? DEFAULT_PAGE_BYTES,
      statistics: options.statistics ?? true,
      typeEncodings: { ...DEFAULT_ENCODINGS, ...options.typeEncodings },
      columnEncodings: options.columnEncodings ?? {},
    };
    if (!(this.#options.rowGroupRows >= 1)) {
      throw new RangeError(`Cannot encode table "${schema.name}": rowGroupRows must be >= 1`);
    }
    const kvMetadata = [{ key: SCHEMA_METADATA_KEY, value: JSON.stringify(schema) }];
    for (const [key, value] of Object.entries(options.metadata ?? {})) {
      if (key !== SCHEMA_METADATA_KEY) kvMetadata.push({ key, value });
    }
    this.#elements = parquetSchemaOf(schema);
    this.#pq = new FooterWriter(writer, {
      schema: this.#elements,
      codec,
      compressors: compressorsFor(codec, this.#options.level),
      statistics: this.#options.statistics !== false,
      kvMetadata,
      createdBy: `fgm (hyparquet-writer ${HYPARQUET_WRITER_VERSION})`,
    });
    // Pages are written here, not through ParquetWriter.write(), which would have checked this:
    // a page left uncompressed under another codec's name is unreadable.
    if (codec !== "UNCOMPRESSED" && this.#pq.compressors[codec] === undefined) {
      throw new TypeError(`Cannot encode table "${schema.name}": no compressor for ${codec}`);
    }
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#rows;
  }

  /**
   * Appends rows `[start, end)` of `columns`, split into row groups of at most `rowGroupRows`.
   * Every schema column must be present. Each call ends its own row group(s), so callers that
   * stream should pass whole row groups.
   */
  write(columns: ColumnData, start: number, end: number): void {
    const size = this.#options.rowGroupRows;
    for (let from = start; from < end; from += size) {
      this.#writeGroup(columns, from, Math.min(end, from + size));
    }
  }

  #writeGroup(columns: ColumnData, start: number, end: number): void {
    const pq = this.#pq;
    const writer = pq.writer;
    const groupStart = writer.offset;
    const chunks: WrittenChunk[] = [];
    const stats = this.#options.statistics;
    this.#schema.columns.forEach((column, index) => {
      const data = columns[column.name];
      if (data === undefined) {
        throw new TypeError(
          `Cannot write table "${this.#schema.name}": column "${column.name}" is missing`,
        );
      }
      if (vectorLength(data) < end) {
        throw new RangeError(
          `Cannot write table "${this.#schema.name}": column "${column.name}" has ${
            vectorLength(data)
          } rows, expected ${end}`,
        );
      }
      const choice = this.#options.columnEncodings[column.name] ??
        this.#options.typeEncodings[column.type] ?? "auto";
      const encoding = parquetEncoding(column, choice, data, start, end);
      const statistics = typeof stats === "boolean" ? stats : stats.includes(column.name);
      const element = this.#elements[index + 1];
      // Numeric columns straight from their typed arrays (numeric_chunk.ts); the rest, and any
      // chunk that path does not take, through hyparquet-writer's column writer.
      const fast = encoding === "PLAIN" || encoding === "RLE_DICTIONARY" ||
          encoding === "BYTE_STREAM_SPLIT"
        ? writeNumericChunk(
          writer,
          column,
          element,
          isMaskedColumn(data) ? data : { values: data },
          start,
          end,
          encoding,
          {
            codec: pq.codec,
            compressors: pq.compressors,
            statistics,
            pageBytes: this.#options.pageBytes,
          },
        )
        : null;
      chunks.push(
        fast ?? writeFlatColumnChunk(writer, {
          root: this.#elements[0],
          element,
          codec: pq.codec,
          compressors: pq.compressors,
          statistics,
          pageBytes: this.#options.pageBytes,
          encoding,
        }, physicalValues(column, data, start, end)),
      );
    });
    pq.addRowGroup(chunks, end - start, groupStart);
    writer.flush?.();
    this.#rows += end - start;
  }

  /** Writes the footer (schema, row groups, statistics, metadata, trailing `PAR1`). */
  finish(): void {
    this.#pq.finish();
  }
}

/**
 * A hyparquet-writer `Writer` that appends to an open file: bytes collect in memory and are
 * written out after each row group (`flush`) and at the end (`finish`), so a large file never sits
 * in memory whole. It does not fsync; the caller does.
 */
export class FileByteWriter extends ByteWriter {
  readonly #file: Deno.FsFile;

  /** Writes into `file` from its current position. */
  constructor(file: Deno.FsFile) {
    super(1 << 16);
    this.#file = file;
  }

  /** Writes the buffered bytes to the file. */
  flush(): void {
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    let written = 0;
    while (written < bytes.byteLength) written += this.#file.writeSync(bytes.subarray(written));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }

  override getBuffer(): ArrayBuffer {
    throw new Error("Cannot get the buffer of a FileByteWriter: its bytes are in the file");
  }

  override getBytes(): Uint8Array<ArrayBuffer> {
    throw new Error("Cannot get the bytes of a FileByteWriter: its bytes are in the file");
  }
}

/**
 * Encodes a whole table to Parquet bytes in memory, without I/O.
 *
 * @param schema the table's columns.
 * @param columns values by column name; each must hold at least `rowCount` values.
 * @param rowCount rows to write (0 gives a valid file with no row groups).
 */
export function encodeTable(
  schema: TableSchema,
  columns: ColumnData,
  rowCount: number,
  options: EncodeOptions = {},
): Uint8Array {
  const writer = new ByteWriter();
  const encoder = new TableEncoder(writer, schema, options);
  encoder.write(columns, 0, rowCount);
  encoder.finish();
  return new Uint8Array(writer.getBuffer());
}

/**
 * Writes one complete Parquet file atomically: encodes in memory, writes `<path>.tmp` (a name
 * that `**\/*.parquet` globs do not match), fsyncs it, renames it over `path` and fsyncs the
 * directory. A crash leaves either no file or the complete file at `path`, plus possibly a stray
 * `<path>.tmp` that {@linkcode recoverCompactions} deletes.
 */
export async function writeTableFile(
  path: string,
  schema: TableSchema,
  columns: ColumnData,
  rowCount: number,
  options: EncodeOptions = {},
): Promise<WriteResult> {
  const bytes = encodeTable(schema, columns, rowCount, options);
  await writeFileAtomic(path, bytes);
  return { path, bytes: bytes.byteLength, rows: rowCount };
}
