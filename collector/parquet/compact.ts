/**
 * Compaction: merging the Parquet files of one table and one partition into one file in time
 * order, crash-safely, and recovering after a crash.
 *
 * Sources and target live in one directory (one table's partition). Protocol of
 * {@linkcode compactFiles} (each step durable before the next):
 * 1. write `.<target>.fgm-tmp` and fsync it: the sources' rows merged in time order (re-encoded),
 *    or their row groups copied when they follow each other in time (`method: "concat"`,
 *    `concat.ts`), or bytes the caller encoded from the same rows in memory (`contents`);
 * 2. write the journal `.fgm-compaction-<id>.json` beside them atomically (it names the sources,
 *    the target, and an id that is also stored in the target's footer);
 * 3. rename the temporary file to `<target>` and fsync the directory (the commit point);
 * 4. delete the sources (except the target itself when it was also a source) and fsync the
 *    directory;
 * 5. delete the journal.
 *
 * {@linkcode recoverCompactions} finishes or rolls back what a crash left in the directories it is
 * given: a journal whose target exists and carries the journal's id is finished (the remaining
 * sources are deleted); any other journal is rolled back (its temporary file deleted, sources
 * kept); then stray temporary files of fgm's are deleted. At every point there is exactly one copy
 * of every row among the complete `*.parquet` files once recovery has run. Recovery touches only
 * names it can prove are fgm's: journals named `.fgm-compaction-<uuid>.json` whose content names
 * files of their own directory, and `.<name>.fgm-tmp` files whose `<name>` the caller owns.
 *
 * Memory: sources are read one row group at a time (a source's file is open only while its rows
 * are being merged), the output row group is assembled in Float64Array + null-mask buffers,
 * converted to Parquet values one column at a time and written to the file before the next one is
 * assembled. Peak memory is therefore about the decoded row groups of the sources that overlap in
 * time (normally one) plus one output row group. Measured for one hour of 10 s segments of the
 * 36-column `containers` table with the default 100 000-row groups: 235–245 MiB peak RSS
 * (~45 MiB of it Deno itself), 195–215 MiB with `--v8-flags=--max-old-space-size=48`, 175–190 MiB
 * with `encode.rowGroupRows` 25 000 (bench/README_parquet.md).
 *
 * Reaches: the disk (reads, writes, renames and deletes data files and journals).
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import type { ColumnSpec, TableSchema } from "./schema.ts";
import {
  type CellValue,
  type ColumnData,
  type ColumnVector,
  DEFAULT_ROW_GROUP_ROWS,
  type EncodeOptions,
  encodeTable,
  FileByteWriter,
  TableEncoder,
  vectorAt,
} from "./write.ts";
import { concatenateInto } from "./concat.ts";
import { isCompleteParquet, openTableFile, type RowGroupInfo, type TableFile } from "./read.ts";
import { SCHEMA_METADATA_KEY } from "./schema.ts";
import { syncDir, tmpPathFor, tmpTarget, writeFileAtomic, writeSynced } from "./atomic.ts";

/** Footer metadata key holding the id of the compaction that wrote a file. */
export const COMPACTION_ID_KEY = "fgm.compaction_id";

/** Name of the journal of compaction `id`: hidden, fgm's own, in the target's directory. */
export function journalName(id: string): string {
  return `.fgm-compaction-${id}.json`;
}

/** Whether a file name is one of {@linkcode journalName}'s. */
export function isJournalName(name: string): boolean {
  return JOURNAL_NAME.test(name);
}

const JOURNAL_NAME =
  /^\.fgm-compaction-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;

/** The steps of {@linkcode compactFiles}, reported to {@linkcode CompactOptions.onStep}. */
export type CompactStep =
  | "tmp-written"
  | "journal-written"
  | "renamed"
  | "source-deleted"
  | "sources-deleted"
  | "journal-deleted";

/** Options for {@linkcode compactFiles}. */
export interface CompactOptions {
  /**
   * The key-value metadata of the merged file from its sources' (default
   * {@linkcode commonMetadata}: what they all agree on). The compaction id is added after.
   */
  mergeMetadata?: (sources: Record<string, string>[]) => Record<string, string>;
  /** The time column rows are ordered by; default `time`. */
  timeColumn?: string;
  /** Encoding options for the target (defaults of `encodeTable`). */
  encode?: EncodeOptions;
  /**
   * How the target is produced:
   * - `merge` (default): rows are decoded, merged in time order and encoded again into row
   *   groups of `encode.rowGroupRows`;
   * - `concat`: when the sources have the same schema and their row groups follow each other in
   *   time (ordered by their first time, each group starting no earlier than the previous one
   *   ended), their row groups are copied byte for byte ({@linkcode concatenateInto}); otherwise
   *   as `merge`. For sources that already hold large row groups.
   */
  method?: "merge" | "concat";
  /**
   * The target's bytes, already encoded by the caller from the very rows of the sources (which are
   * then not read), with `contents.id` as {@linkcode COMPACTION_ID_KEY} in their footer: the
   * collector encodes a window it still holds in memory ({@linkcode encodeCompacted}).
   */
  contents?: EncodedCompaction;
  /**
   * Called after each step, for crash-injection tests: an exception thrown here leaves the files
   * exactly as a kill at that point would (nothing is cleaned up).
   */
  onStep?: (step: CompactStep, detail: { path?: string }) => void | Promise<void>;
}

/** What a compaction produced. */
export interface CompactResult {
  /** The target path. */
  target: string;
  /** Rows in the target. */
  rows: number;
  /** Target size in bytes. */
  bytes: number;
  /** Number of source files merged. */
  sources: number;
  /** Smallest and largest time in the target (epoch ms), `null` when it has no rows. */
  timeMinMs: number | null;
  timeMaxMs: number | null;
}

/** A compaction's target encoded in memory; see {@linkcode CompactOptions.contents}. */
export interface EncodedCompaction {
  id: string;
  bytes: Uint8Array;
  rows: number;
  timeMinMs: number | null;
  timeMaxMs: number | null;
}

/**
 * Encodes rows `[0, rowCount)` of `columns` (in time order) as the target of a compaction, to be
 * committed later with {@linkcode compactFiles} and {@linkcode CompactOptions.contents}.
 */
export function encodeCompacted(
  schema: TableSchema,
  columns: ColumnData,
  rowCount: number,
  options: { timeColumn?: string; encode?: EncodeOptions } = {},
): EncodedCompaction {
  const id = newId();
  const bytes = encodeTable(schema, columns, rowCount, {
    ...options.encode,
    metadata: { ...options.encode?.metadata, [COMPACTION_ID_KEY]: id },
  });
  const time = columns[options.timeColumn ?? "time"];
  const at = (i: number) => time === undefined || rowCount === 0 ? null : vectorAt(time, i);
  const first = at(0);
  const last = at(rowCount - 1);
  return {
    id,
    bytes,
    rows: rowCount,
    timeMinMs: typeof first === "number" ? first : null,
    timeMaxMs: typeof last === "number" ? last : null,
  };
}

/** The journal of one compaction. Files are named within the journal's directory. */
export interface CompactionJournal {
  version: 2;
  /** Random id, also stored in the target's footer under {@linkcode COMPACTION_ID_KEY}. */
  id: string;
  target: string;
  sources: string[];
  createdAt: string;
}

/** What {@linkcode recoverCompactions} did. */
export interface RecoveryReport {
  /** Journals whose compaction was finished (target present). */
  finished: string[];
  /** Journals whose compaction was rolled back (sources kept). */
  rolledBack: string[];
  /** Source files deleted while finishing compactions. */
  deletedSources: string[];
  /** Temporary files deleted. */
  deletedTmp: string[];
  /** Journals that could not be read; left in place, with the reason. */
  problems: { path: string; reason: string }[];
}

/** Merges the schemas of the sources: union of columns, first appearance order. */
export function mergeSchemas(schemas: TableSchema[]): TableSchema {
  if (schemas.length === 0) throw new TypeError("Cannot merge schemas: none given");
  const name = schemas[0].name;
  const columns: ColumnSpec[] = [];
  const index = new Map<string, number>();
  const presentIn = new Map<string, number>();
  for (const schema of schemas) {
    if (schema.name !== name) {
      throw new TypeError(`Cannot compact tables "${name}" and "${schema.name}" together`);
    }
    for (const column of schema.columns) {
      presentIn.set(column.name, (presentIn.get(column.name) ?? 0) + 1);
      const i = index.get(column.name);
      if (i === undefined) {
        index.set(column.name, columns.length);
        columns.push({ ...column });
        continue;
      }
      const prev = columns[i];
      if (
        prev.type !== column.type || (prev.scale ?? 0) !== (column.scale ?? 0) ||
        (prev.precision ?? 9) !== (column.precision ?? 9)
      ) {
        throw new TypeError(
          `Cannot compact table "${name}": column "${column.name}" changes type from ${prev.type} to ${column.type}`,
        );
      }
      // Later files come from newer collectors: keep their descriptions.
      columns[i] = {
        ...prev,
        nullable: prev.nullable || column.nullable,
        description: column.description ?? prev.description,
        source: column.source ?? prev.source,
      };
    }
  }
  for (const column of columns) {
    if (presentIn.get(column.name)! < schemas.length) column.nullable = true;
  }
  return { name, columns };
}

const NUMERIC = new Set(["timestamp_ms", "int32", "int64", "double", "float", "decimal"]);

/**
 * One output column of the row group being assembled. Numeric columns live in a Float64Array
 * plus a null mask (8-9 bytes per cell, outside the V8 heap); strings and booleans, and a numeric
 * column that meets a bigint beyond 2^53, in a plain array.
 */
class OutputColumn {
  typed: Float64Array | null;
  nulls: Uint8Array | null;
  plain: CellValue[] | null;

  constructor(readonly spec: ColumnSpec, readonly size: number) {
    const numeric = NUMERIC.has(spec.type);
    this.typed = numeric ? new Float64Array(size) : null;
    this.nulls = numeric ? new Uint8Array(size) : null;
    this.plain = numeric ? null : new Array<CellValue>(size);
  }

  set(i: number, v: CellValue): void {
    if (this.plain) {
      this.plain[i] = v;
    } else if (v === null || v === undefined) {
      this.nulls![i] = 1;
    } else if (typeof v === "number") {
      this.typed![i] = v;
      this.nulls![i] = 0;
    } else {
      // A bigint (or a wrong type, which the encoder reports): fall back to a plain array.
      this.plain = Array.from(this.typed!, (x, k) => (this.nulls![k] ? null : x));
      this.typed = null;
      this.nulls = null;
      this.plain[i] = v;
    }
  }

  vector(): ColumnVector {
    return this.plain ?? { values: this.typed!, nulls: this.nulls! };
  }
}

/** What compaction keeps about a source between reads: its footer is re-read when needed. */
interface SourceInfo {
  path: string;
  schema: TableSchema;
  rowGroups: RowGroupInfo[];
  /** Key-value metadata other than the schema. */
  metadata: Record<string, string>;
}

/**
 * The key-value metadata a merged file keeps: each key (but the compaction id) that every source
 * has, with the same value (the data contract's version, say).
 */
export function commonMetadata(sources: readonly Record<string, string>[]): Record<string, string> {
  if (sources.length === 0) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(sources[0])) {
    if (key === COMPACTION_ID_KEY) continue;
    if (sources.every((m) => m[key] === value)) out[key] = value;
  }
  return out;
}

interface Cursor {
  order: number;
  source: SourceInfo;
  /** Open only while the cursor has rows loaded or about to be (bounds open descriptors). */
  file: TableFile | null;
  /** Batches of row-group indexes loaded together; one group per batch when the file is sorted. */
  batches: number[][];
  next: number;
  loaded: boolean;
  data: Record<string, CellValue[]> | null;
  time: number[];
  row: number;
  key: number;
}

function before(a: Cursor, b: Cursor): boolean {
  return a.key < b.key || (a.key === b.key && a.order < b.order);
}

/** A binary min-heap of cursors by (key, order). */
class CursorHeap {
  readonly items: Cursor[] = [];
  push(c: Cursor): void {
    const a = this.items;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Cursor | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
  peek(): Cursor | undefined {
    return this.items[0];
  }
}

function batchMin(file: SourceInfo, batch: number[]): number {
  let min = Infinity;
  for (const g of batch) {
    const t = file.rowGroups[g].timeMinMs;
    if (t === null) return -Infinity;
    min = Math.min(min, t);
  }
  return min;
}

/** Row-group batches for a file: one per group when groups are in time order, else all at once. */
function batchesOf(file: SourceInfo): number[][] {
  const groups = file.rowGroups.map((_, i) => i).filter((i) => file.rowGroups[i].rows > 0);
  let sorted = true;
  for (let i = 1; i < groups.length; i++) {
    const prev = file.rowGroups[groups[i - 1]].timeMaxMs;
    const cur = file.rowGroups[groups[i]].timeMinMs;
    if (prev === null || cur === null || prev > cur) sorted = false;
  }
  if (sorted) return groups.map((g) => [g]);
  return groups.length ? [groups] : [];
}

async function loadBatch(c: Cursor, timeColumn: string): Promise<void> {
  const batch = c.batches[c.next++];
  const parts = [];
  c.file ??= await openTableFile(c.source.path);
  for (const g of batch) parts.push(await c.file.readRowGroup(g));
  let data = parts[0];
  if (parts.length > 1) {
    data = {};
    for (const name of Object.keys(parts[0])) data[name] = parts.flatMap((p) => p[name]);
  }
  const times = data[timeColumn];
  const time = new Array<number>(times.length);
  let sorted = true;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (typeof t !== "number") {
      throw new TypeError(`Cannot compact "${c.source.path}": row with time ${String(t)}`);
    }
    time[i] = t;
    if (i > 0 && t < time[i - 1]) sorted = false;
  }
  if (!sorted) {
    // Stable sort of the batch by time; equal times keep the file's order.
    const order = time.map((_, i) => i).sort((a, b) => time[a] - time[b] || a - b);
    for (const name of Object.keys(data)) {
      const src = data[name];
      data[name] = order.map((i) => src[i]);
    }
    for (let i = 0; i < order.length; i++) time[i] = times[order[i]] as number;
  }
  c.data = data;
  c.time = time;
  c.row = 0;
  c.loaded = true;
  c.key = time[0];
}

/** A random id (UUID v4 via Web Crypto). */
function newId(): string {
  return crypto.randomUUID();
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function removeIfExists(path: string): Promise<boolean> {
  try {
    await Deno.remove(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Streams the merge of `sources` into `tmp` (step 1). Returns rows, bytes and time range.
 */
async function writeMerged(
  files: SourceInfo[],
  tmp: string,
  id: string,
  options: CompactOptions,
): Promise<Omit<CompactResult, "target" | "sources">> {
  const timeColumn = options.timeColumn ?? "time";
  const schema = mergeSchemas(files.map((f) => f.schema));
  if (!schema.columns.some((c) => c.name === timeColumn)) {
    throw new TypeError(`Cannot compact table "${schema.name}": no "${timeColumn}" column`);
  }
  const groupRows = options.encode?.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  const out = await Deno.open(tmp, { write: true, create: true, truncate: true });
  let cursors: Cursor[] = [];
  try {
    const writer = new FileByteWriter(out);
    const encoder = new TableEncoder(writer, schema, {
      ...options.encode,
      metadata: {
        ...(options.mergeMetadata ?? commonMetadata)(files.map((f) => f.metadata)),
        ...options.encode?.metadata,
        [COMPACTION_ID_KEY]: id,
      },
    });
    const buffer = schema.columns.map((column) => new OutputColumn(column, groupRows));
    let filled = 0;
    let timeMinMs: number | null = null;
    let timeMaxMs: number | null = null;
    const flush = () => {
      if (filled === 0) return;
      const vectors: Record<string, ColumnVector> = {};
      for (const out of buffer) vectors[out.spec.name] = out.vector();
      encoder.write(vectors, 0, filled);
      filled = 0;
    };

    const heap = new CursorHeap();
    cursors = [];
    files.forEach((source, order) => {
      const batches = batchesOf(source);
      if (batches.length === 0) return;
      const cursor: Cursor = {
        order,
        source,
        file: null,
        batches,
        next: 0,
        loaded: false,
        data: null,
        time: [],
        row: 0,
        key: batchMin(source, batches[0]),
      };
      cursors.push(cursor);
      heap.push(cursor);
    });

    for (let c = heap.pop(); c; c = heap.pop()) {
      if (!c.loaded) {
        await loadBatch(c, timeColumn);
        heap.push(c);
        continue;
      }
      const limit = heap.peek();
      const data = c.data!;
      const rows = c.time.length;
      let end = c.row;
      while (
        end < rows &&
        (!limit || c.time[end] < limit.key || (c.time[end] === limit.key && c.order < limit.order))
      ) end++;
      // Copy rows [c.row, end) into the output buffer, flushing full row groups.
      let from = c.row;
      while (from < end) {
        const n = Math.min(end - from, groupRows - filled);
        for (const dst of buffer) {
          const src = data[dst.spec.name];
          if (src) { for (let i = 0; i < n; i++) dst.set(filled + i, src[from + i]); }
          else for (let i = 0; i < n; i++) dst.set(filled + i, null);
        }
        filled += n;
        from += n;
        if (filled === groupRows) flush();
      }
      if (end > c.row) {
        if (timeMinMs === null) timeMinMs = c.time[c.row];
        timeMaxMs = c.time[end - 1];
      }
      c.row = end;
      if (c.row < rows) {
        c.key = c.time[c.row];
        heap.push(c);
      } else if (c.next < c.batches.length) {
        c.loaded = false;
        c.data = null;
        c.time = [];
        c.key = batchMin(c.source, c.batches[c.next]);
        heap.push(c);
      } else {
        c.data = null;
        c.file?.close();
        c.file = null;
      }
    }
    flush();
    encoder.finish();
    await out.sync();
    const { size } = await out.stat();
    return { rows: encoder.rows, bytes: size, timeMinMs, timeMaxMs };
  } finally {
    out.close();
    for (const c of cursors) c.file?.close();
  }
}

/**
 * Whether sources (ordered by first time) can be concatenated in that order: one fgm schema, time
 * statistics on every row group, and each row group starting no earlier than the previous ended.
 */
function concatenable(files: SourceInfo[]): boolean {
  const schema = JSON.stringify(files[0]?.schema);
  let lastMax = -Infinity;
  for (const f of files) {
    if (JSON.stringify(f.schema) !== schema) return false;
    for (const g of f.rowGroups) {
      if (g.rows === 0) continue;
      if (g.timeMinMs === null || g.timeMaxMs === null || g.timeMinMs < lastMax) return false;
      lastMax = g.timeMaxMs;
    }
  }
  return true;
}

/** Step 1 by concatenation: the sources' row groups copied into `tmp`, fsynced. */
function writeConcatenated(
  files: SourceInfo[],
  tmp: string,
  id: string,
  mergeMetadata: NonNullable<CompactOptions["mergeMetadata"]>,
): Omit<CompactResult, "target" | "sources"> {
  const out = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  try {
    const rows = concatenateInto(out, files.map((f) => f.path), [
      { key: SCHEMA_METADATA_KEY, value: JSON.stringify(files[0].schema) },
      ...Object.entries(mergeMetadata(files.map((f) => f.metadata))).map(([key, value]) => ({
        key,
        value,
      })),
      { key: COMPACTION_ID_KEY, value: id },
    ]);
    out.syncSync();
    const groups = files.flatMap((f) => f.rowGroups).filter((g) => g.rows > 0);
    return {
      rows,
      bytes: out.statSync().size,
      timeMinMs: groups[0]?.timeMinMs ?? null,
      timeMaxMs: groups.at(-1)?.timeMaxMs ?? null,
    };
  } finally {
    out.close();
  }
}

/**
 * Merges Parquet files of one table and one partition into `target`, in time order (stable:
 * rows with equal times keep their source's order, sources ordered by their first time), then
 * deletes the sources; crash-safe at every step (see the module documentation).
 *
 * Sources and `target` must be in one directory, which also holds the journal. `target` may be
 * one of the sources (appending new segments to an existing compacted file); otherwise it must not
 * exist yet. Sources must be complete Parquet files
 * ({@linkcode isCompleteParquet}) with compatible schemas (columns may be added over time; a
 * column missing from a source is null there). Only one compaction may write a given target at a
 * time, and {@linkcode recoverCompactions} must not run while compactions are in progress.
 *
 * @throws {Error} before anything is changed when the inputs are unusable; the sources are
 *   untouched and the temporary file is removed.
 */
export async function compactFiles(
  sources: string[],
  target: string,
  options: CompactOptions = {},
): Promise<CompactResult> {
  if (sources.length === 0) throw new TypeError(`Cannot compact into "${target}": no sources`);
  const unique = [...new Set(sources)];
  const targetAbs = resolve(target);
  const dir = dirname(targetAbs);
  const elsewhere = unique.find((s) => dirname(resolve(s)) !== dir);
  if (elsewhere !== undefined) {
    throw new TypeError(
      `Cannot compact "${elsewhere}" into "${target}": sources and target must share a directory`,
    );
  }
  const targetIsSource = unique.some((s) => resolve(s) === targetAbs);
  if (!targetIsSource && await exists(target)) {
    throw new Error(`Cannot compact into "${target}": it exists and is not one of the sources`);
  }
  if (!target.endsWith(".parquet")) {
    throw new TypeError(`Cannot compact into "${target}": the name must end in .parquet`);
  }
  for (const source of unique) {
    if (!isCompleteParquet(source)) {
      throw new Error(`Cannot compact "${source}": not a complete Parquet file`);
    }
  }
  await Deno.mkdir(dir, { recursive: true });

  const id = options.contents?.id ?? newId();
  const tmp = tmpPathFor(target);
  let written: Omit<CompactResult, "target" | "sources">;
  try {
    if (options.contents) {
      const { bytes, rows, timeMinMs, timeMaxMs } = options.contents;
      await writeSynced(tmp, bytes);
      written = { rows, bytes: bytes.byteLength, timeMinMs, timeMaxMs };
    } else {
      // Read each footer once and close the file again: a day of 10 s segments is 8 640 files.
      const infos: SourceInfo[] = [];
      for (const path of unique) {
        const file = await openTableFile(path, { timeColumn: options.timeColumn });
        infos.push({
          path,
          schema: file.schema,
          rowGroups: file.rowGroups,
          metadata: file.metadata,
        });
        file.close();
      }
      // Order sources by their first time; ties keep the given order.
      const keyed = infos.map((f, i) => ({ f, i, t: f.rowGroups[0]?.timeMinMs ?? -Infinity }));
      keyed.sort((a, b) => a.t - b.t || a.i - b.i);
      const ordered = keyed.map((k) => k.f);
      written = options.method === "concat" && concatenable(ordered)
        ? writeConcatenated(ordered, tmp, id, options.mergeMetadata ?? commonMetadata)
        : await writeMerged(ordered, tmp, id, options);
    }
  } catch (error) {
    await removeIfExists(tmp).catch(() => {});
    throw error;
  }
  await options.onStep?.("tmp-written", { path: tmp });

  // Step 2: the journal.
  const journalPath = join(dir, journalName(id));
  const journal: CompactionJournal = {
    version: 2,
    id,
    target: basename(targetAbs),
    sources: unique.map((s) => basename(s)),
    createdAt: new Date().toISOString(),
  };
  try {
    await writeFileAtomic(journalPath, new TextEncoder().encode(JSON.stringify(journal, null, 2)));
  } catch (error) {
    // Nothing is committed yet: drop the merged file, keep the sources.
    await removeIfExists(tmp).catch(() => {});
    throw error;
  }
  await options.onStep?.("journal-written", { path: journalPath });

  // Step 3: commit.
  await Deno.rename(tmp, target);
  await syncDir(dirname(target));
  await options.onStep?.("renamed", { path: target });

  // Step 4: delete the sources.
  await deleteSources(unique.filter((s) => resolve(s) !== targetAbs), options.onStep);
  await options.onStep?.("sources-deleted", {});

  // Step 5: forget the journal.
  await removeIfExists(journalPath);
  await syncDir(dir);
  await options.onStep?.("journal-deleted", { path: journalPath });

  return { target, sources: unique.length, ...written };
}

async function deleteSources(
  sources: string[],
  onStep?: CompactOptions["onStep"],
): Promise<string[]> {
  const deleted: string[] = [];
  const dirs = new Set<string>();
  for (const source of sources) {
    if (await removeIfExists(source)) deleted.push(source);
    dirs.add(dirname(source));
    await onStep?.("source-deleted", { path: source });
  }
  for (const dir of dirs) await syncDir(dir);
  return deleted;
}

/** Reads the compaction id from a file's footer, or `null`. */
async function compactionIdOf(path: string): Promise<string | null> {
  if (!isCompleteParquet(path)) return null;
  try {
    const file = await openTableFile(path);
    file.close();
    return file.metadata[COMPACTION_ID_KEY] ?? null;
  } catch {
    return null;
  }
}

/** A plain file name within a directory: no separator, not `.` or `..`. */
function isPlainName(name: unknown): name is string {
  return typeof name === "string" && name !== "" && name !== "." && name !== ".." &&
    !name.includes("/") && !name.includes("\0");
}

/** Names of the regular files (never symbolic links) of `dir`; none when it cannot be read. */
async function regularFiles(dir: string): Promise<string[]> {
  try {
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) if (e.isFile && !e.isSymlink) names.push(e.name);
    return names.sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Options of {@linkcode recoverCompactions}. */
export interface RecoverOptions {
  /**
   * Whether a data file name is one the caller writes (default: any name ending in `.parquet`).
   * A journal naming any other file is left alone and reported; a temporary file is deleted only
   * when the name it stands for is owned.
   */
  owns?: (name: string) => boolean;
}

/**
 * Finishes or rolls back every compaction a crash interrupted in `dirs` (each read on its own, not
 * recursively, symbolic links ignored), then deletes stray temporary files there. Call it on
 * start, before any writer or compaction runs.
 *
 * - a journal (`.fgm-compaction-<uuid>.json` naming owned files of its own directory) whose target
 *   exists and carries the journal's id: delete the sources still present (never the target),
 *   then the journal;
 * - any other such journal: delete the target's temporary file, then the journal; sources stay;
 * - a journal that cannot be read or names anything else: left in place, reported;
 * - then every `.<name>.fgm-tmp` whose `<name>` is owned or a journal's.
 */
export async function recoverCompactions(
  dirs: Iterable<string>,
  { owns = (name: string) => name.endsWith(".parquet") }: RecoverOptions = {},
): Promise<RecoveryReport> {
  const report: RecoveryReport = {
    finished: [],
    rolledBack: [],
    deletedSources: [],
    deletedTmp: [],
    problems: [],
  };
  for (const dir of [...new Set(dirs)].sort()) {
    const names = await regularFiles(dir);
    for (const name of names) {
      const m = name.match(JOURNAL_NAME);
      if (!m) continue;
      const journalPath = join(dir, name);
      let journal: CompactionJournal;
      try {
        journal = JSON.parse(await Deno.readTextFile(journalPath));
        if (
          journal?.version !== 2 || journal.id !== m[1] || !isPlainName(journal.target) ||
          !Array.isArray(journal.sources) || !journal.sources.every(isPlainName)
        ) {
          throw new TypeError("not a journal of this version");
        }
        const foreign = [journal.target, ...journal.sources].find((n) => !owns(n));
        if (foreign !== undefined) throw new TypeError(`it names "${foreign}", not a file of ours`);
      } catch (error) {
        report.problems.push({
          path: journalPath,
          reason: `Cannot use journal: ${error instanceof Error ? error.message : error}`,
        });
        continue;
      }
      const target = join(dir, journal.target);
      if (await compactionIdOf(target) === journal.id) {
        const sources = journal.sources.filter((s) => s !== journal.target).map((s) =>
          join(dir, s)
        );
        report.deletedSources.push(...await deleteSources(sources));
        report.finished.push(journalPath);
      } else {
        const tmp = tmpPathFor(target);
        if (await removeIfExists(tmp)) report.deletedTmp.push(tmp);
        report.rolledBack.push(journalPath);
      }
      await removeIfExists(journalPath);
      await syncDir(dir);
    }
    let removed = false;
    for (const name of await regularFiles(dir)) {
      const stands = tmpTarget(name);
      if (stands === null || !(owns(stands) || JOURNAL_NAME.test(stands))) continue;
      const tmp = join(dir, name);
      if (await removeIfExists(tmp)) {
        report.deletedTmp.push(tmp);
        removed = true;
      }
    }
    if (removed) await syncDir(dir);
  }
  return report;
}
