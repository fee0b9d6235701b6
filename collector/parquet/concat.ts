/**
 * Concatenating Parquet files without decoding them: the row groups of each source are copied
 * byte for byte into one file and the footers are joined. The footer is handled as raw Thrift
 * (hyparquet's compact-protocol reader, hyparquet-writer's writer), so statistics, encodings and
 * everything else in a row group's metadata is carried over exactly; only the byte offsets move.
 * Page indexes (offset and column indexes) are not carried over: readers find the pages through
 * the column chunk offsets, as they do in files written without indexes.
 *
 * This is compaction's second tier: files that already hold large row groups (minutes of rows)
 * gain nothing from being decoded and encoded again, which costs seconds of CPU and hundreds of
 * MiB for a 15-minute window (bench/README.md, "Sixth round").
 *
 * Reaches: the disk (reads the sources' row groups and footers, writes the joined file).
 *
 * @module
 */

import { decodeThrift, encodeThrift, type RawThrift } from "./hyparquet_writer_internals.ts";
import { FileByteWriter } from "./write.ts";

type Thrift = RawThrift;

const MAGIC = 0x31524150; // "PAR1", little-endian

/** A file's footer as raw Thrift (`field_<n>` keys) and the file's size. */
export interface RawFooter {
  /** FileMetaData, raw: `field_2` schema, `field_3` num_rows, `field_4` row groups, … */
  meta: Thrift;
  /** Size of the file in bytes. */
  fileBytes: number;
}

/**
 * Reads the raw footer of an open Parquet file.
 *
 * @throws {Error} when the file does not end in a Parquet footer.
 */
export function readRawFooter(file: Deno.FsFile, path: string): RawFooter {
  const fileBytes = file.statSync().size;
  if (fileBytes < 12) throw new Error(`Cannot read the footer of "${path}": file too short`);
  const tail = readRange(file, fileBytes - 8, 8);
  const view = new DataView(tail.buffer);
  if (view.getUint32(4, true) !== MAGIC) {
    throw new Error(`Cannot read the footer of "${path}": no trailing PAR1`);
  }
  const length = view.getUint32(0, true);
  if (length + 12 > fileBytes) {
    throw new Error(`Cannot read the footer of "${path}": footer length ${length} too large`);
  }
  const bytes = readRange(file, fileBytes - 8 - length, length);
  const meta = decodeThrift(bytes);
  return { meta, fileBytes };
}

/** Serializes raw FileMetaData (the inverse of {@linkcode readRawFooter}'s `meta`). */
export function serializeRawFooter(meta: Thrift): Uint8Array {
  return encodeThrift(meta);
}

function readRange(file: Deno.FsFile, start: number, length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  file.seekSync(start, Deno.SeekMode.Start);
  let read = 0;
  while (read < length) {
    const n = file.readSync(out.subarray(read));
    if (n === null) throw new Error(`unexpected end of file at ${start + read}`);
    read += n;
  }
  return out;
}

/** The byte range `[start, end)` of a row group's column chunks. */
function chunkRange(group: Thrift): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const chunk of group.field_1 as Thrift[]) {
    const md = chunk.field_3 as Thrift | undefined;
    if (!md) throw new Error("a column chunk has no metadata");
    const first = Number(md.field_11 ?? md.field_9);
    start = Math.min(start, first);
    end = Math.max(end, first + Number(md.field_7));
  }
  return { start, end };
}

const shift = (v: bigint | undefined, delta: bigint) => v === undefined ? undefined : v + delta;

/** A copy of a raw row group moved by `delta` bytes, without page index references. */
function movedGroup(group: Thrift, delta: bigint): Thrift {
  const columns = (group.field_1 as Thrift[]).map((chunk) => {
    const md = chunk.field_3 as Thrift;
    const moved: Thrift = {
      ...md,
      field_9: shift(md.field_9, delta),
      field_10: shift(md.field_10, delta),
      field_11: shift(md.field_11, delta),
      field_14: shift(md.field_14, delta),
    };
    const out: Thrift = {};
    if (chunk.field_1 !== undefined) out.field_1 = chunk.field_1;
    out.field_2 = shift(chunk.field_2, delta);
    out.field_3 = dropUndefined(moved);
    // field_4..7 (offset and column index) are left out: the indexes are not copied.
    return dropUndefined(out);
  });
  return dropUndefined({ ...group, field_1: columns, field_5: shift(group.field_5, delta) });
}

/** Thrift objects must not carry undefined fields, and keep ascending field order. */
function dropUndefined(o: Thrift): Thrift {
  const out: Thrift = {};
  const keys = Object.keys(o).filter((k) => o[k] !== undefined);
  keys.sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  for (const k of keys) out[k] = o[k];
  return out;
}

/** JSON of a raw Thrift value (bigints as strings), for comparing schemas. */
function thriftJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => typeof v === "bigint" ? `${v}n` : v);
}

/** Why `footers` cannot be concatenated, or `null` when they can (same Parquet schema). */
export function concatObstacle(footers: RawFooter[]): string | null {
  if (footers.length === 0) return "no sources";
  const schema = thriftJson(footers[0].meta.field_2);
  for (const f of footers) {
    if (thriftJson(f.meta.field_2) !== schema) return "the sources' Parquet schemas differ";
    if (f.meta.field_8 !== undefined || f.meta.field_9 !== undefined) {
      return "a source is encrypted";
    }
  }
  return null;
}

/**
 * Writes the row groups of `paths`, in the given order, into `out` (at its current position, which
 * must be the start of an empty file) with a footer joining theirs. Key-value metadata is
 * `metadata` (in order), replacing the sources'. Returns the rows written. Does not fsync.
 *
 * @throws {Error} when a source is not a Parquet file or the sources' schemas differ
 *   ({@linkcode concatObstacle}).
 */
export function concatenateInto(
  out: Deno.FsFile,
  paths: string[],
  metadata: { key: string; value: string }[],
): number {
  const writer = new FileByteWriter(out);
  writer.appendUint32(MAGIC);
  let first: RawFooter | null = null;
  const groups: Thrift[] = [];
  let rows = 0n;
  for (const path of paths) {
    const file = Deno.openSync(path, { read: true });
    try {
      const footer = readRawFooter(file, path);
      if (first === null) first = footer;
      const obstacle = concatObstacle([first, footer]);
      if (obstacle !== null) throw new Error(`Cannot concatenate "${path}": ${obstacle}`);
      for (const group of (footer.meta.field_4 ?? []) as Thrift[]) {
        if ((group.field_1 as Thrift[]).length === 0) continue;
        const { start, end } = chunkRange(group);
        if (!(start >= 4 && end <= footer.fileBytes && start < end)) {
          throw new Error(`Cannot concatenate "${path}": a row group lies outside the file`);
        }
        writer.flush();
        const at = writer.offset;
        copyRange(file, out, start, end - start);
        // Keep the writer's offset in step with the bytes written around it.
        writer.offset += end - start;
        groups.push(movedGroup(group, BigInt(at - start)));
        rows += group.field_3 as bigint;
      }
    } finally {
      file.close();
    }
  }
  if (first === null) throw new TypeError("Cannot concatenate: no sources");
  const meta = dropUndefined({
    ...first.meta,
    field_3: rows,
    field_4: groups,
    field_5: metadata.map((kv) => ({ field_1: kv.key, field_2: kv.value })),
  });
  const footer = serializeRawFooter(meta);
  writer.appendBytes(footer);
  writer.appendUint32(footer.byteLength);
  writer.appendUint32(MAGIC);
  writer.finish();
  return Number(rows);
}

function copyRange(from: Deno.FsFile, to: Deno.FsFile, start: number, length: number): void {
  const chunk = new Uint8Array(Math.min(length, 1 << 20));
  from.seekSync(start, Deno.SeekMode.Start);
  let left = length;
  while (left > 0) {
    const n = from.readSync(chunk.subarray(0, Math.min(left, chunk.length)));
    if (n === null) throw new Error(`unexpected end of file at ${start + length - left}`);
    let written = 0;
    while (written < n) written += to.writeSync(chunk.subarray(written, n));
    left -= n;
  }
}
