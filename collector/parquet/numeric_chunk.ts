/**
 * Column chunks of fixed-width numeric columns (timestamps, integers, decimals, floating point)
 * written straight from the collector's typed arrays. hyparquet-writer's own column path takes
 * one JS value per cell — a BigInt for every INT64 — and walks it several times (statistics,
 * dictionary, levels, pages): about half of the collector's allocation at 50 containers
 * (bench/README.md, "Ninth round"). Here the values are read once into a reused `Float64Array`,
 * and the bytes are written from it. Page headers, dictionary pages, the RLE/bit-packed hybrid,
 * compression and the footer stay hyparquet-writer's.
 *
 * A chunk this path does not take (another encoding, a value it would have to refuse) returns
 * `null` before anything is written; the caller then uses hyparquet-writer's path, which also
 * gives the error messages for bad values.
 *
 * @module
 */

import type {
  ColumnChunk,
  CompressionCodec,
  Encoding,
  OffsetIndex,
  SchemaElement,
} from "hyparquet";
import {
  ByteWriter,
  writeDataPageHeader,
  writeDictionaryPage,
  type Writer,
  writeRleBitPacked,
} from "./hyparquet_writer_internals.ts";
import { type ColumnSpec, decimalLimit, NUMERIC_COLUMN_TYPES } from "./schema.ts";
import type { Compressor } from "./codecs.ts";

/** The encodings this path writes. */
export type NumericEncoding = "PLAIN" | "RLE_DICTIONARY" | "BYTE_STREAM_SPLIT";

/** How one chunk is written. */
export interface NumericChunkOptions {
  codec: CompressionCodec;
  /** Page compressors by codec (compressorsFor()); none for the codec writes pages as they are. */
  compressors: Partial<Record<string, Compressor>>;
  /** Min/max/null-count statistics and encoding stats in the chunk's metadata. */
  statistics: boolean;
  /** Target uncompressed bytes of values per data page. */
  pageBytes: number;
}

/** A written chunk, as hyparquet-writer's `writeColumn` returns it (for its page indexes). */
export interface NumericChunk {
  chunk: ColumnChunk;
  offsetIndex?: OffsetIndex;
}

/** Cells the column vector is read from: a plain array, or typed values with a null mask. */
export interface NumericCells {
  values: ArrayLike<unknown>;
  nulls?: ArrayLike<number | boolean>;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// Scratch for one chunk, kept between chunks and grown to the largest seen: at most one row
// group (100 000 rows by default), 13 bytes a row.
let physical = new Float64Array(4096);
let levels = new Uint8Array(4096);
let indexes = new Int32Array(4096);

function reserve(rows: number): void {
  if (physical.length >= rows) return;
  let size = physical.length;
  while (size < rows) size *= 2;
  physical = new Float64Array(size);
  levels = new Uint8Array(size);
  indexes = new Int32Array(size);
}

/**
 * Reads rows `[start, end)` into `physical` (non-null values, in order, decimals scaled) and
 * `levels` (1 where a value is, 0 for a null). Returns the number of values, or -1 for a cell
 * this path does not write: a value of the wrong type or out of range, a null in a required
 * column, a BigInt beyond 2^53.
 */
function readCells(column: ColumnSpec, cells: NumericCells, start: number, end: number): number {
  const { values, nulls } = cells;
  const type = column.type;
  const factor = type === "decimal" ? 10 ** (column.scale ?? 0) : 1;
  const limit = decimalLimit(column);
  let count = 0;
  for (let i = start; i < end; i++) {
    const cell = nulls !== undefined && nulls[i] ? null : values[i];
    if (cell === null || cell === undefined) {
      if (!column.nullable) return -1;
      levels[i - start] = 0;
      continue;
    }
    let v: number;
    if (typeof cell === "bigint") {
      if (type !== "int64" && type !== "timestamp_ms") return -1;
      if (cell > MAX_SAFE || cell < -MAX_SAFE) return -1;
      v = Number(cell);
    } else if (typeof cell === "number") {
      v = cell;
    } else {
      return -1;
    }
    switch (type) {
      case "timestamp_ms":
      case "int64":
        if (!Number.isSafeInteger(v)) return -1;
        break;
      case "int32":
        if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) return -1;
        break;
      case "decimal": {
        if (!Number.isFinite(v)) return -1;
        v = Math.round(v * factor);
        if (Math.abs(v) > limit) return -1;
        break;
      }
    }
    levels[i - start] = 1;
    physical[count++] = v;
  }
  return count;
}

/** Bytes per value of a physical type. */
function widthOf(element: SchemaElement): number {
  return element.type === "INT32" || element.type === "FLOAT" ? 4 : 8;
}

/** Writes `physical[from, to)` PLAIN into `view` from its start. */
function writePlainValues(element: SchemaElement, view: DataView, from: number, to: number): void {
  let at = 0;
  switch (element.type) {
    case "INT32":
      for (let i = from; i < to; i++, at += 4) view.setInt32(at, physical[i], true);
      break;
    case "INT64":
      // Two 32-bit halves, two's complement: exact for every safe integer, no BigInt.
      for (let i = from; i < to; i++, at += 8) {
        const v = physical[i];
        const high = Math.floor(v / 4294967296);
        view.setUint32(at, v - high * 4294967296, true);
        view.setInt32(at + 4, high, true);
      }
      break;
    case "FLOAT":
      for (let i = from; i < to; i++, at += 4) view.setFloat32(at, physical[i], true);
      break;
    default:
      for (let i = from; i < to; i++, at += 8) view.setFloat64(at, physical[i], true);
  }
}

/**
 * Min, max, NaN count of `physical[0, count)`, NaN skipped, as Parquet statistics want them.
 * Takes the element's type and converted type, not the element: schema elements come in several
 * shapes, and reading them here deoptimised this loop at nearly every flush (--trace-deopt:
 * "wrong map"), which V8 then compiled again.
 */
function statisticsOf(
  type: SchemaElement["type"],
  convertedType: SchemaElement["converted_type"],
  count: number,
  rows: number,
): NonNullable<ColumnChunk["meta_data"]>["statistics"] {
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  for (let i = 0; i < count; i++) {
    const v = physical[i];
    if (v !== v) {
      nan++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const isFloat = type === "FLOAT" || type === "DOUBLE";
  const some = count - nan > 0;
  // INT64 and decimals are BigInts in hyparquet-writer's statistics (decimals already scaled).
  const big = type === "INT64" || convertedType === "DECIMAL";
  const low = min === 0 ? -0 : min;
  const high = max === 0 ? 0 : max;
  const stats: Record<string, unknown> = {
    min_value: some ? (big ? BigInt(low) : low) : undefined,
    max_value: some ? (big ? BigInt(high) : high) : undefined,
    null_count: BigInt(rows - count),
  };
  if (isFloat) stats.nan_count = BigInt(nan);
  return stats as NonNullable<ColumnChunk["meta_data"]>["statistics"];
}

/**
 * Writes rows `[start, end)` of a numeric column as one column chunk into `writer`, or returns
 * `null` (having written nothing) when this path does not take it: a type outside
 * `NUMERIC_COLUMN_TYPES` (schema.ts), or a cell it would have to refuse.
 */
export function writeNumericChunk(
  writer: Writer,
  column: ColumnSpec,
  element: SchemaElement,
  cells: NumericCells,
  start: number,
  end: number,
  encoding: NumericEncoding,
  options: NumericChunkOptions,
): NumericChunk | null {
  if (!NUMERIC_COLUMN_TYPES.has(column.type)) return null;
  const rows = end - start;
  if (rows <= 0) return null;
  reserve(rows);
  const count = readCells(column, cells, start, end);
  if (count < 0) return null;
  // No value, no dictionary.
  if (count === 0) encoding = "PLAIN";
  const { codec, compressors } = options;
  const width = widthOf(element);
  const chunkStart = writer.offset;
  let uncompressed = 0;

  // Dictionary: distinct values in order of appearance, indexes into it per value.
  let dictionaryPageOffset: bigint | undefined;
  let bitWidth = 0;
  if (encoding === "RLE_DICTIONARY") {
    const positions = new Map<number, number>();
    const dictionary: (number | bigint)[] = [];
    const int64 = element.type === "INT64";
    for (let i = 0; i < count; i++) {
      const v = physical[i];
      let at = positions.get(v);
      if (at === undefined) {
        at = dictionary.length;
        positions.set(v, at);
        dictionary.push(int64 ? BigInt(v) : v);
      }
      indexes[i] = at;
    }
    dictionaryPageOffset = BigInt(writer.offset);
    uncompressed += writeDictionaryPage(
      writer,
      { columnName: column.name, element, codec, compressors },
      dictionary,
    );
    bitWidth = Math.ceil(Math.log2(dictionary.length));
  }

  // Data pages of at most `pageBytes` of plain values each.
  const dataPageOffset = BigInt(writer.offset);
  const rowsPerPage = Math.max(1, Math.floor(options.pageBytes / width));
  const pageLocations: OffsetIndex["page_locations"] = [];
  let value = 0;
  for (let pageStart = 0; pageStart < rows; pageStart += rowsPerPage) {
    const pageEnd = Math.min(rows, pageStart + rowsPerPage);
    const pageRows = pageEnd - pageStart;
    let pageValues = 0;
    const levelWriter = new ByteWriter();
    if (column.nullable) {
      for (let i = pageStart; i < pageEnd; i++) pageValues += levels[i];
      writeRleBitPacked(levelWriter, levels.subarray(pageStart, pageEnd), 1);
    } else {
      pageValues = pageRows;
    }
    const from = value;
    const to = value + pageValues;
    value = to;
    let bytes: Uint8Array;
    if (encoding === "RLE_DICTIONARY") {
      const page = new ByteWriter();
      page.appendUint8(bitWidth);
      writeRleBitPacked(page, indexes.subarray(from, to), bitWidth);
      bytes = page.getBytes();
    } else {
      const plain = new Uint8Array(pageValues * width);
      writePlainValues(element, new DataView(plain.buffer), from, to);
      if (encoding === "BYTE_STREAM_SPLIT") {
        // Byte k of every value, then byte k + 1, … (the codec finds the repeated high bytes).
        bytes = new Uint8Array(plain.length);
        for (let i = 0; i < pageValues; i++) {
          for (let k = 0; k < width; k++) bytes[k * pageValues + i] = plain[i * width + k];
        }
      } else {
        bytes = plain;
      }
    }
    const compressed = compressors[codec]?.(bytes) ?? bytes;
    const pageOffset = writer.offset;
    writeDataPageHeader(writer, {
      type: "DATA_PAGE_V2",
      uncompressed_page_size: levelWriter.offset + bytes.length,
      compressed_page_size: levelWriter.offset + compressed.length,
      data_page_header_v2: {
        num_values: pageRows,
        num_nulls: pageRows - pageValues,
        num_rows: pageRows,
        encoding,
        definition_levels_byte_length: levelWriter.offset,
        repetition_levels_byte_length: 0,
        is_compressed: true,
      },
    });
    uncompressed += writer.offset - pageOffset + levelWriter.offset + bytes.length;
    writer.appendBytes(levelWriter.getBytes());
    writer.appendBytes(compressed);
    pageLocations.push({
      offset: BigInt(pageOffset),
      compressed_page_size: writer.offset - pageOffset,
      first_row_index: BigInt(pageStart),
    });
  }

  const encodings: Encoding[] = encoding === "RLE_DICTIONARY"
    ? ["PLAIN", "RLE_DICTIONARY"]
    : [encoding];
  const encodingStats = options.statistics
    ? [
      ...(dictionaryPageOffset === undefined
        ? []
        : [{ page_type: "DICTIONARY_PAGE" as const, encoding: "PLAIN" as const, count: 1 }]),
      { page_type: "DATA_PAGE_V2" as const, encoding, count: pageLocations.length },
    ]
    : undefined;
  return {
    chunk: {
      meta_data: {
        type: element.type!,
        encodings,
        path_in_schema: [column.name],
        codec,
        num_values: BigInt(rows),
        total_compressed_size: BigInt(writer.offset - chunkStart),
        total_uncompressed_size: BigInt(uncompressed),
        data_page_offset: dataPageOffset,
        dictionary_page_offset: dictionaryPageOffset,
        statistics: options.statistics
          ? statisticsOf(element.type, element.converted_type, count, rows)
          : undefined,
        encoding_stats: encodingStats,
      },
      file_offset: BigInt(chunkStart),
    },
    offsetIndex: pageLocations.length > 1 ? { page_locations: pageLocations } : undefined,
  };
}
