/**
 * Column chunks of flat Parquet columns decoded straight into typed arrays: numbers (INT32, INT64,
 * DOUBLE, FLOAT, timestamps) into one `Float64Array` with a null mask, strings into dictionary
 * indices with their dictionary. hyparquet decodes the same pages into a JS value per cell (a
 * boxed number or a BigInt, then an object or array per row): about 2.8 s for three columns of a
 * day of 50 containers, against tens of milliseconds here (bench/viewer_bench.ts). Pure: bytes in,
 * arrays out. A page this decoder does not take (another encoding, a nested column) throws
 * {@linkcode UnsupportedChunk}; the caller then reads the chunk with hyparquet.
 *
 * Encodings taken: data pages v1 and v2; PLAIN, RLE_DICTIONARY/PLAIN_DICTIONARY and (doubles,
 * floats) BYTE_STREAM_SPLIT values; RLE/bit-packed definition levels of an optional column.
 *
 * @module
 */

import type { CompressionCodec, ParquetType } from "hyparquet";
import { snappyUncompress } from "hyparquet";
import { DECOMPRESSORS } from "../collector/parquet/codecs.ts";
import { readPageHeader } from "./hyparquet_internals.ts";
import { decompressZstd } from "./zstd.ts";

/** A decoded numeric column chunk: `values[i]` is row i's value unless `nulls?.[i]` is 1. */
export interface NumberColumn {
  kind: "number";
  values: Float64Array;
  /** 1 where the row is null; `null` when no row is. */
  nulls: Uint8Array | null;
}

/** A decoded string column chunk: row i is `dictionary[indices[i]]`, or null where it is -1. */
export interface StringColumn {
  kind: "string";
  indices: Int32Array;
  dictionary: string[];
}

/** A decoded column chunk. */
export type DecodedColumn = NumberColumn | StringColumn;

/** What the decoder needs to know about a chunk (from the footer). */
export interface ChunkInfo {
  type: ParquetType;
  codec: CompressionCodec;
  /** Whether the column is OPTIONAL (has definition levels). */
  optional: boolean;
  /** Rows in the row group. */
  rows: number;
  /** A DECIMAL column's scale: its integers are divided by 10^scale. */
  scale?: number;
  /**
   * Arrays to decode into when long enough, instead of new ones (a chunk read only to be reduced
   * at once): the result then lives until the next decode into the same arrays.
   */
  into?: { values?: Float64Array; indices?: Int32Array; nulls?: Uint8Array };
}

// Per-page scratch (decodeChunk is synchronous: one page at a time).
let keyScratch = new Int32Array(4096);
let levelScratch = new Uint8Array(4096);
const scratchKeys = (n: number) =>
  (keyScratch.length >= n ? keyScratch : (keyScratch = new Int32Array(n * 2))).subarray(0, n)
    .fill(0);
const scratchLevels = (n: number) =>
  (levelScratch.length >= n ? levelScratch : (levelScratch = new Uint8Array(n * 2))).subarray(0, n)
    .fill(0);

/** Thrown for a chunk this decoder does not take; read it another way. */
export class UnsupportedChunk extends Error {}

const utf8 = new TextDecoder();

function decompress(bytes: Uint8Array, size: number, codec: CompressionCodec): Uint8Array {
  if (codec === "UNCOMPRESSED") return bytes;
  if (codec === "ZSTD") return decompressZstd(bytes, size);
  if (codec === "SNAPPY") {
    const out = new Uint8Array(size);
    snappyUncompress(bytes, out);
    return out;
  }
  const decompressor = DECOMPRESSORS[codec as keyof typeof DECOMPRESSORS];
  if (!decompressor) throw new UnsupportedChunk(`codec ${codec}`);
  return decompressor(bytes, size);
}

/**
 * Decodes the RLE/bit-packed hybrid at `bytes[start, end)` into `out[0, count)`.
 *
 * @example
 * ```ts
 * import { readHybrid } from "./decode.ts";
 * // An RLE run of 5 × the value 3 (header 5 << 1, then one byte).
 * const out = new Int32Array(5);
 * readHybrid(new Uint8Array([10, 3]), 0, 2, 2, out, 5);
 * console.assert(out.every((v) => v === 3));
 * ```
 */
export function readHybrid(
  bytes: Uint8Array,
  start: number,
  end: number,
  width: number,
  out: Int32Array | Uint8Array,
  count: number,
): void {
  let pos = start;
  let seen = 0;
  const byteWidth = (width + 7) >> 3;
  const mask = width === 32 ? -1 : (1 << width) - 1;
  while (seen < count && pos < end) {
    // ULEB128 header.
    let header = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[pos++];
      header |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (header & 1) {
      // Bit-packed: (header >> 1) groups of 8 values, little-endian bit order. A window of up to
      // 32 bits is refilled a byte at a time (widths up to 24 here; wider ones bit by bit).
      const values = (header >>> 1) * 8;
      const base = pos;
      const stop = Math.min(count, seen + values);
      if (width <= 24) {
        let window = 0;
        let bits = 0;
        let p = base;
        for (let i = seen; i < stop; i++) {
          while (bits < width) {
            window |= bytes[p++] << bits;
            bits += 8;
          }
          out[i] = window & mask;
          window >>>= width;
          bits -= width;
        }
      } else {
        let bitPos = 0;
        for (let i = seen; i < stop; i++) {
          let v = 0;
          let got = 0;
          while (got < width) {
            const byte = bytes[base + (bitPos >> 3)];
            const offset = bitPos & 7;
            const take = Math.min(8 - offset, width - got);
            v |= ((byte >> offset) & ((1 << take) - 1)) << got;
            got += take;
            bitPos += take;
          }
          out[i] = v & mask;
        }
      }
      seen = stop;
      pos = base + ((values * width + 7) >> 3);
    } else {
      const run = header >>> 1;
      let v = 0;
      for (let i = 0; i < byteWidth; i++) v |= bytes[pos++] << (i << 3);
      const stop = Math.min(count, seen + run);
      out.fill(v, seen, stop);
      seen = stop;
    }
  }
  if (seen < count) throw new UnsupportedChunk(`hybrid run ends after ${seen} of ${count} values`);
}

/** PLAIN values of a numeric type into the non-null rows of `out` from `at`. */
function plainNumbers(
  type: ParquetType,
  bytes: Uint8Array,
  offset: number,
  count: number,
  out: Float64Array,
  at: number,
  nulls: Uint8Array | null,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
  // The k-th value goes to the k-th non-null row from `at`.
  let row = at;
  const next = () => {
    if (nulls !== null) { while (nulls[row]) row++; }
    return row++;
  };
  const at0 = bytes.byteOffset + offset;
  switch (type) {
    case "INT32":
      if (at0 % 4 === 0) {
        // Aligned (a page just decompressed starts at 0): a typed view, no DataView calls.
        const ints = new Int32Array(bytes.buffer, at0, count);
        if (nulls === null) { for (let k = 0; k < count; k++) out[row++] = ints[k]; }
        else for (let k = 0; k < count; k++) out[next()] = ints[k];
      } else for (let k = 0; k < count; k++) out[next()] = view.getInt32(k * 4, true);
      return;
    case "INT64":
      if (at0 % 4 === 0) {
        const words = new Uint32Array(bytes.buffer, at0, count * 2);
        for (let k = 0; k < count; k++) {
          const hi = words[2 * k + 1] | 0; // signed high word
          out[nulls === null ? row++ : next()] = hi * 4294967296 + words[2 * k];
        }
      } else {
        for (let k = 0; k < count; k++) {
          out[next()] = view.getInt32(k * 8 + 4, true) * 4294967296 + view.getUint32(k * 8, true);
        }
      }
      return;
    case "DOUBLE":
      for (let k = 0; k < count; k++) out[next()] = view.getFloat64(k * 8, true);
      return;
    case "FLOAT":
      for (let k = 0; k < count; k++) out[next()] = view.getFloat32(k * 4, true);
      return;
    default:
      throw new UnsupportedChunk(`PLAIN ${type}`);
  }
}

/** BYTE_STREAM_SPLIT doubles or floats into the non-null rows from `at`. */
function streamSplit(
  type: ParquetType,
  bytes: Uint8Array,
  offset: number,
  count: number,
  out: Float64Array,
  at: number,
  nulls: Uint8Array | null,
): void {
  const width = type === "DOUBLE" ? 8 : type === "FLOAT" ? 4 : 0;
  if (width === 0) throw new UnsupportedChunk(`BYTE_STREAM_SPLIT ${type}`);
  const joined = new Uint8Array(count * width);
  for (let k = 0; k < count; k++) {
    for (let b = 0; b < width; b++) joined[k * width + b] = bytes[offset + b * count + k];
  }
  plainNumbers(type, joined, 0, count, out, at, nulls);
}

/** PLAIN byte arrays as strings. */
function plainStrings(bytes: Uint8Array, offset: number, count: number): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<string>(count);
  let pos = offset;
  for (let k = 0; k < count; k++) {
    const length = view.getUint32(pos, true);
    pos += 4;
    out[k] = utf8.decode(bytes.subarray(pos, pos + length));
    pos += length;
  }
  return out;
}

/**
 * Decodes one column chunk (`bytes`: its pages, from the dictionary page or first data page to the
 * chunk's end) of a flat column.
 *
 * @throws {UnsupportedChunk} for an encoding or codec it does not take.
 */
export function decodeChunk(bytes: Uint8Array, info: ChunkInfo): DecodedColumn {
  const isString = info.type === "BYTE_ARRAY";
  if (!isString && !["INT32", "INT64", "DOUBLE", "FLOAT"].includes(info.type)) {
    throw new UnsupportedChunk(`type ${info.type}`);
  }
  const into = info.into;
  const rows = info.rows;
  const values = isString
    ? null
    : into?.values && into.values.length >= rows
    ? into.values.subarray(0, rows)
    : new Float64Array(rows);
  const indices = isString
    ? (into?.indices && into.indices.length >= rows
      ? into.indices.subarray(0, rows)
      : new Int32Array(rows)).fill(-1)
    : null;
  let nulls: Uint8Array | null = null;
  let dictNumbers: Float64Array | null = null;
  let dictStrings: string[] | null = null;
  let plainDictionary: Map<string, number> | null = null;
  let row = 0;
  let pos = 0;
  while (pos < bytes.byteLength && row < info.rows) {
    const { header, dataOffset } = readPageHeader(bytes, pos);
    const size = header.compressed_page_size;
    const page = bytes.subarray(dataOffset, dataOffset + size);
    pos = dataOffset + size;
    if (header.type === "DICTIONARY_PAGE") {
      const n = header.dictionary_page_header!.num_values;
      const plain = decompress(page, header.uncompressed_page_size, info.codec);
      if (isString) dictStrings = plainStrings(plain, 0, n);
      else {
        dictNumbers = new Float64Array(n);
        plainNumbers(info.type, plain, 0, n, dictNumbers, 0, null);
      }
      continue;
    }
    let pageRows: number;
    let encoding: string;
    let levels: Uint8Array | null = null;
    let data: Uint8Array;
    let dataStart: number;
    if (header.type === "DATA_PAGE_V2") {
      const h = header.data_page_header_v2!;
      pageRows = h.num_values;
      encoding = h.encoding;
      if (h.repetition_levels_byte_length) throw new UnsupportedChunk("repeated column");
      const levelBytes = h.definition_levels_byte_length;
      if (info.optional && h.num_nulls > 0) {
        levels = scratchLevels(pageRows);
        readHybrid(page, 0, levelBytes, 1, levels, pageRows);
      }
      const rest = page.subarray(levelBytes);
      data = h.is_compressed === false
        ? rest
        : decompress(rest, header.uncompressed_page_size - levelBytes, info.codec);
      dataStart = 0;
    } else if (header.type === "DATA_PAGE") {
      const h = header.data_page_header!;
      pageRows = h.num_values;
      encoding = h.encoding;
      data = decompress(page, header.uncompressed_page_size, info.codec);
      dataStart = 0;
      if (info.optional) {
        const length = new DataView(data.buffer, data.byteOffset).getUint32(0, true);
        levels = scratchLevels(pageRows);
        readHybrid(data, 4, 4 + length, 1, levels, pageRows);
        dataStart = 4 + length;
      }
    } else {
      throw new UnsupportedChunk(`page type ${header.type}`);
    }
    // levels: 1 = a value, 0 = null.
    let present = pageRows;
    if (levels !== null) {
      present = 0;
      for (let i = 0; i < pageRows; i++) present += levels[i];
      if (present < pageRows) {
        nulls ??= into?.nulls && into.nulls.length >= rows
          ? into.nulls.subarray(0, rows).fill(0)
          : new Uint8Array(rows);
        for (let i = 0; i < pageRows; i++) nulls[row + i] = levels[i] ? 0 : 1;
      }
    }
    const pageNulls = present < pageRows ? nulls : null;
    if (encoding === "RLE_DICTIONARY" || encoding === "PLAIN_DICTIONARY") {
      const width = data[dataStart];
      const keys = scratchKeys(present);
      readHybrid(data, dataStart + 1, data.byteLength, width, keys, present);
      let r = row;
      for (let k = 0; k < present; k++) {
        if (pageNulls !== null) { while (pageNulls[r]) r++; }
        if (isString) indices![r] = keys[k];
        else values![r] = dictNumbers![keys[k]];
        r++;
      }
    } else if (encoding === "PLAIN") {
      if (isString) {
        const strings = plainStrings(data, dataStart, present);
        plainDictionary ??= new Map();
        dictStrings ??= [];
        let r = row;
        for (const s of strings) {
          if (pageNulls !== null) { while (pageNulls[r]) r++; }
          let index = plainDictionary.get(s);
          if (index === undefined) {
            index = dictStrings.length;
            dictStrings.push(s);
            plainDictionary.set(s, index);
          }
          indices![r++] = index;
        }
      } else {
        plainNumbers(info.type, data, dataStart, present, values!, row, pageNulls);
      }
    } else if (encoding === "BYTE_STREAM_SPLIT" && !isString) {
      streamSplit(info.type, data, dataStart, present, values!, row, pageNulls);
    } else {
      throw new UnsupportedChunk(`encoding ${encoding}`);
    }
    row += pageRows;
  }
  if (row !== info.rows) throw new UnsupportedChunk(`chunk holds ${row} of ${info.rows} rows`);
  if (info.scale && values !== null) {
    const factor = 10 ** info.scale;
    for (let i = 0; i < values.length; i++) values[i] /= factor;
  }
  return isString
    ? { kind: "string", indices: indices!, dictionary: dictStrings ?? [] }
    : { kind: "number", values: values!, nulls };
}
