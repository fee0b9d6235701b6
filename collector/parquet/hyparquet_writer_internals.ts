/**
 * The one place the collector touches hyparquet-writer's private modules and fields, written
 * against hyparquet-writer 0.17.0 (and hyparquet 1.31.5 for its Thrift compact-protocol reader):
 * `hyparquet_writer_internals_test.ts` fails when the installed version is another, so that an
 * upgrade is this file's work.
 *
 * What fgm takes from the library below its public `parquetWrite` API:
 *
 * - page framing for the column chunks `numeric_chunk.ts` encodes itself (data page headers,
 *   dictionary pages, the RLE/bit-packed hybrid);
 * - its column writer for every other chunk, fed one flat column's levels;
 * - the file's footer: {@linkcode FooterWriter} hands row groups written outside
 *   `ParquetWriter.write()` to a `ParquetWriter` (its `row_groups`, `num_rows` and
 *   `pendingIndexes` fields), which writes page indexes, metadata and the trailing magic;
 * - Thrift compact protocol for raw footers (`concat.ts`).
 *
 * Pure: bytes in, bytes out; no I/O.
 *
 * @module
 */

import type {
  ColumnChunk,
  CompressionCodec,
  KeyValue,
  OffsetIndex,
  PageHeader,
  SchemaElement,
} from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { encodeNestedValues } from "hyparquet-writer/src/dremel.js";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeDictionaryPage as libWriteDictionaryPage } from "hyparquet-writer/src/dictionary.js";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";
import { serializeTCompactProtocol } from "hyparquet-writer/src/thrift.js";
import { deserializeTCompactProtocol } from "hyparquet/src/thrift.js";

/** The hyparquet-writer version this adapter was written against. */
export const HYPARQUET_WRITER_VERSION = "0.17.0";
/** The hyparquet version whose Thrift reader {@linkcode decodeThrift} uses. */
export const HYPARQUET_VERSION = "1.31.5";

export { ByteWriter };

/** hyparquet-writer's output: a growable buffer with an `offset` (see `FileByteWriter`). */
export type Writer = ParquetWriter["writer"];

/** A page compressor by codec name, as hyparquet-writer calls it. */
export type Compressors = Partial<Record<string, (input: Uint8Array) => Uint8Array>>;

/** A written column chunk, with the page indexes the footer writes after the row groups. */
export interface WrittenChunk {
  chunk: ColumnChunk;
  offsetIndex?: OffsetIndex;
}

/** Raw Thrift as hyparquet's compact-protocol reader returns it (`field_<n>` keys). */
// deno-lint-ignore no-explicit-any
export type RawThrift = Record<string, any>;

/** Writes a Thrift page header (data page v2 for fgm's own chunks). */
export function writeDataPageHeader(writer: Writer, header: PageHeader): void {
  writePageHeader(writer, header);
}

/**
 * Writes a dictionary page of `dictionary` (plain-encoded, compressed with `codec`); returns its
 * uncompressed size including the header, as the column writer counts it.
 */
export function writeDictionaryPage(
  writer: Writer,
  column: {
    columnName: string;
    element: SchemaElement;
    codec: CompressionCodec;
    compressors: Compressors;
  },
  dictionary: (number | bigint)[],
): number {
  return libWriteDictionaryPage(
    writer,
    column as unknown as Parameters<typeof libWriteDictionaryPage>[1],
    dictionary,
  );
}

/** Appends `values` to `writer` in the RLE/bit-packed hybrid encoding at `bitWidth`. */
export function writeRleBitPacked(
  writer: Writer,
  values: ArrayLike<number>,
  bitWidth: number,
): void {
  writeRleBitPackedHybrid(writer, values as number[], bitWidth);
}

/** How {@linkcode writeFlatColumnChunk} writes one chunk. */
export interface FlatChunkOptions {
  /** The schema's root element. */
  root: SchemaElement;
  element: SchemaElement;
  codec: CompressionCodec;
  compressors: Compressors;
  statistics: boolean;
  /** Target uncompressed bytes per data page. */
  pageBytes: number;
  /** `undefined` lets hyparquet-writer choose. */
  encoding?: "RLE_DICTIONARY" | "DELTA_BINARY_PACKED" | "BYTE_STREAM_SPLIT" | "PLAIN";
}

/**
 * Writes one column chunk of a flat (top-level, non-repeated) column through hyparquet-writer's
 * column writer, with the definition levels `ParquetWriter.write()` would make for it.
 */
export function writeFlatColumnChunk(
  writer: Writer,
  o: FlatChunkOptions,
  values: unknown[],
): WrittenChunk {
  const name = o.element.name;
  return writeColumn({
    writer,
    column: {
      columnName: name,
      element: o.element,
      schemaPath: [o.root, o.element],
      codec: o.codec,
      compressors: o.compressors,
      stats: o.statistics,
      pageSize: o.pageBytes,
      columnIndex: false,
      offsetIndex: true,
      encoding: o.encoding,
    } as Parameters<typeof writeColumn>[0]["column"],
    pageData: encodeNestedValues(
      [
        { element: o.root, children: [], count: 1, path: [] },
        { element: o.element, children: [], count: 0, path: [name] },
      ],
      values,
    ),
  });
}

/** Options of {@linkcode FooterWriter}. */
export interface FooterWriterOptions {
  /** Parquet schema elements, root first. */
  schema: SchemaElement[];
  codec: CompressionCodec;
  compressors: Compressors;
  statistics: boolean;
  kvMetadata: KeyValue[];
  createdBy: string;
}

/**
 * A file being written row group by row group outside `ParquetWriter.write()`: writes the
 * leading magic when made, takes each row group's chunks as they are written
 * ({@linkcode addRowGroup}), and writes page indexes and the footer at {@linkcode finish}.
 */
export class FooterWriter {
  readonly #pq: ParquetWriter;

  /** Starts a file: writes the leading `PAR1` magic into `writer`. */
  constructor(writer: Writer, o: FooterWriterOptions) {
    this.#pq = new ParquetWriter({ writer, ...o });
  }

  /** The output. */
  get writer(): Writer {
    return this.#pq.writer;
  }

  /** The file's codec. */
  get codec(): CompressionCodec {
    return this.#pq.codec;
  }

  /** Page compressors: the ones given plus hyparquet-writer's built-in SNAPPY. */
  get compressors(): Compressors {
    return this.#pq.compressors as Compressors;
  }

  /** Records a row group of `rows` rows whose chunks were written from offset `groupStart` on. */
  addRowGroup(chunks: readonly WrittenChunk[], rows: number, groupStart: number): void {
    const pq = this.#pq;
    let totalBytes = 0n;
    for (const { chunk } of chunks) totalBytes += chunk.meta_data?.total_uncompressed_size ?? 0n;
    for (const written of chunks) pq.pendingIndexes.push(written);
    pq.num_rows += BigInt(rows);
    pq.row_groups.push({
      columns: chunks.map((c) => c.chunk),
      total_byte_size: totalBytes,
      num_rows: BigInt(rows),
      total_compressed_size: BigInt(pq.writer.offset - groupStart),
    });
  }

  /** Writes page indexes, the footer and the trailing `PAR1`. */
  finish(): void {
    this.#pq.finish();
  }
}

/** Serializes raw Thrift (the inverse of {@linkcode decodeThrift}) with the compact protocol. */
export function encodeThrift(meta: RawThrift): Uint8Array {
  const writer = new ByteWriter();
  serializeTCompactProtocol(writer, meta);
  return new Uint8Array(writer.getBuffer());
}

/** Reads one Thrift compact-protocol struct from the start of `bytes`, raw. */
export function decodeThrift(bytes: Uint8Array): RawThrift {
  return deserializeTCompactProtocol({
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: 0,
  });
}
