/**
 * First-tier compaction from memory. The collector writes a segment of each table every flush
 * (10 s), so that a crash loses little; merging a first-tier window of those segments in a child
 * process means decoding every row it just encoded, which cost more CPU than collecting (6 ms/s
 * at 50 containers) and 120 MiB or more per child (bench/README.md, "Sixth round"). Instead, the
 * rows of each segment written are also kept here, per table, until its first-tier window is
 * over; the window is then encoded once into its first-tier file, and committed — written, the
 * segments deleted, through the compaction journal (REQ-STO-008) — once it is `minAgeMs` old,
 * exactly when the maintainer would have merged it. Until then its segments are reserved: the
 * maintainer leaves them alone.
 *
 * Anything unusual (a segment that belongs to an earlier window, because a failed flush was
 * retried; a segment gone before the commit; a failed commit) drops the window from memory, and
 * the maintainer merges its segments from disk as before.
 *
 * Reaches: the disk (writes first-tier files, through `parquet/compact.ts`).
 *
 * @module
 */

import { compactFiles, encodeCompacted, type EncodedCompaction } from "./parquet/compact.ts";
import { compactedName, firstTierMs } from "./files.ts";
import { appendColumns, bufferColumns, newBuffer, type TableBuffer } from "./table_buffer.ts";
import { contractMetadata, type Table } from "./columns.ts";
import { entitiesMetadata, entitiesOf } from "./entities.ts";
import { type ColumnData, vectorAt } from "./parquet/write.ts";

/** Settings of {@linkcode createFirstTier}. */
export interface FirstTierOptions {
  compactMinAgeMs: number;
  compactSpanMs: number;
}

/** A window being filled or waiting for its commit. */
interface Window {
  table: Table;
  /** Directory of the segments (`dt=…/identifier=…`). */
  dir: string;
  windowStart: number;
  windowEnd: number;
  segments: string[];
  /** First segment's start and the last row's time. */
  firstMs: number;
  lastMs: number;
  /** Rows while the window fills; `null` once encoded. */
  buffer: TableBuffer | null;
  strings: Map<string, string>;
  encoded: EncodedCompaction | null;
}

/** What {@linkcode FirstTier.commitDue} did. */
export interface CommitReport {
  /** First-tier files written. */
  committed: string[];
  /** Messages of windows that could not be committed (left to the maintainer). */
  failures: string[];
  /** Windows encoded (now over, to be committed once old enough). */
  encoded: number;
}

/** First-tier windows of every table; see the module documentation. */
export interface FirstTier {
  /**
   * Records a segment just written: `columns` (first `rows` rows) are its rows, in time order;
   * `startMs` its first row's time.
   */
  written(
    table: Table,
    path: string,
    startMs: number,
    columns: ColumnData,
    rows: number,
  ): void;
  /** Segments the maintainer must leave alone. */
  reserved(): ReadonlySet<string>;
  /**
   * Encodes a window that is over (`nowMs` past its end; one per call, the oldest first) and
   * commits those encoded and `minAgeMs` old.
   * With `final` (the run is ending), only commits: a window not due yet is left to the
   * maintainer of a later run rather than encoded for nothing.
   */
  commitDue(nowMs: number, options?: { final?: boolean }): Promise<CommitReport>;
  /** Rows held in memory (all tables). */
  readonly rowsHeld: number;
}

/** Creates the first-tier windows of a collector run. */
export function createFirstTier(o: FirstTierOptions): FirstTier {
  const small = firstTierMs(o.compactSpanMs);
  /** The window being filled, per table and directory. */
  const filling = new Map<string, Window>();
  /** Windows over, encoded or to be encoded, oldest first. */
  const waiting: Window[] = [];
  const reserved = new Set<string>();

  /** Forgets a window: its segments are the maintainer's again. */
  const drop = (w: Window) => {
    for (const p of w.segments) reserved.delete(p);
    w.buffer = null;
    w.encoded = null;
    const i = waiting.indexOf(w);
    if (i >= 0) waiting.splice(i, 1);
  };
  const encode = (w: Window) => {
    if (w.buffer === null) return;
    const columns = bufferColumns(w.buffer);
    w.encoded = encodeCompacted(w.table, columns, w.buffer.rows, {
      encode: {
        metadata: {
          ...contractMetadata(),
          ...entitiesMetadata(entitiesOf(w.table, columns, w.buffer.rows)),
        },
      },
    });
    w.buffer = null;
    w.strings.clear();
  };

  return {
    written(table, path, startMs, columns, rows) {
      const dir = path.slice(0, path.lastIndexOf("/"));
      const key = `${table.name}\0${dir}`;
      const windowStart = Math.floor(startMs / small) * small;
      let w = filling.get(key);
      if (w && w.windowStart > windowStart) {
        // A segment of an earlier window (a failed flush retried): that window cannot be
        // committed from memory any more; the maintainer merges it from disk.
        const earlier = waiting.find((x) =>
          x.table === table && x.dir === dir && x.windowStart === windowStart
        );
        if (earlier) drop(earlier);
        return;
      }
      if (w && w.windowStart < windowStart) {
        waiting.push(w);
        w = undefined;
      }
      if (!w) {
        w = {
          table,
          dir,
          windowStart,
          windowEnd: windowStart + small,
          segments: [],
          firstMs: startMs,
          lastMs: startMs,
          buffer: newBuffer(table),
          strings: new Map(),
          encoded: null,
        };
        filling.set(key, w);
      }
      try {
        appendColumns(w.buffer!, columns, rows, w.strings);
      } catch (error) {
        // Part of the rows may be in: the window no longer matches its segments.
        filling.delete(key);
        drop(w);
        throw error;
      }
      const last = columns.time === undefined ? null : vectorAt(columns.time, rows - 1);
      if (typeof last === "number") w.lastMs = Math.max(w.lastMs, last);
      w.segments.push(path);
      reserved.add(path);
    },

    reserved: () => reserved,

    async commitDue(nowMs, { final = false } = {}) {
      const report: CommitReport = { committed: [], failures: [], encoded: 0 };
      for (const [key, w] of filling) {
        if (nowMs >= w.windowEnd) {
          filling.delete(key);
          waiting.push(w);
        }
      }
      // One window encoded per call (per flush): the tables' windows end together, and encoding
      // them one flush apart keeps the garbage of only one in the heap at a time.
      let encodedOne = false;
      for (const w of [...waiting]) {
        if (nowMs < w.windowEnd) continue;
        if (w.segments.length < 2) {
          // Nothing to gain: a lone segment moves up to the second tier as it is.
          drop(w);
          continue;
        }
        if (final && nowMs - w.windowEnd < o.compactMinAgeMs) continue;
        if (w.buffer !== null && !w.segments.every(exists)) {
          // A segment already deleted by retention (a tight --max-disk): leave the rest be.
          drop(w);
          continue;
        }
        if (w.buffer !== null) {
          if (encodedOne) continue;
          encodedOne = true;
          report.encoded++;
        }
        try {
          encode(w);
        } catch (error) {
          report.failures.push(`cannot encode a window of "${w.table.name}": ${message(error)}`);
          drop(w);
          continue;
        }
        if (nowMs - w.windowEnd < o.compactMinAgeMs) continue;
        const target = `${w.dir}/${compactedName(w.table.name, w.firstMs, w.lastMs)}`;
        try {
          // Retention may have deleted a segment since: then leave the rest be.
          if (!w.segments.every(exists)) continue;
          await compactFiles(w.segments, target, { contents: w.encoded! });
          report.committed.push(target);
        } catch (error) {
          report.failures.push(`cannot write "${target}": ${message(error)}`);
        } finally {
          drop(w);
        }
      }
      return report;
    },

    get rowsHeld() {
      let rows = 0;
      for (const w of filling.values()) rows += w.buffer?.rows ?? 0;
      for (const w of waiting) rows += w.buffer?.rows ?? 0;
      return rows;
    },
  };
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
