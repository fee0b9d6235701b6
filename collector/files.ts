/**
 * Where `fgm collect` puts its files and which of them to compact or delete. One folder per table,
 * hive-partitioned inside (data contract 2, specs/data_contract.md):
 * `<out>/<table>/dt=YYYY-MM-DD/identifier=<id>/<table>-YYYYMMDDTHHMMSSZ.parquet` for a segment,
 * and `<table>-<first>-<last>.parquet` (both `YYYYMMDDTHHMMSSZ`) for a compacted file. Nothing
 * else in a table folder has a name that Parquet readers take for data: temporary files and
 * compaction journals start with `.fgm-` or `.` and do not end in `.parquet`. Pure planning
 * functions take file lists and return decisions; the thin `listDataFiles` reads the tree, only
 * through fgm's own folder names and never through a symbolic link.
 *
 * Reaches: the disk (lists, stats and deletes files of the output directory).
 *
 * @module
 */

import { TABLE_NAMES, type TableName } from "./columns.ts";
import { tmpTarget } from "./parquet/atomic.ts";
import { isJournalName } from "./parquet/compact.ts";

/** One data file of the output tree. */
export interface DataFile {
  path: string;
  dt: string;
  identifier: string;
  table: TableName;
  /** Time of its first row (from the name). */
  startMs: number;
  /** Time of its last row for compacted files; the start for segments. */
  endMs: number;
  compacted: boolean;
  sizeBytes: number;
}

/**
 * `YYYYMMDDTHHMMSSZ` for a time, or `YYYYMMDDTHHMMSS.mmmZ` with `millis` (a segment whose
 * whole-second name is taken: two flushes that start in the same second).
 */
export function stamp(ms: number, { millis = false } = {}): string {
  const iso = new Date(ms).toISOString().replace(/[-:]/g, "");
  return millis ? iso : iso.replace(/\.\d+Z$/, "Z");
}

/** The inverse of {@linkcode stamp}. */
export function parseStamp(s: string): number {
  const m = s.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{3}))?Z$/);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] === undefined ? 0 : +m[7]);
}

/** `YYYY-MM-DD` (UTC) of a time: the `dt=` partition. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Makes a value safe as a directory name (`identifier=` values come from pod or node names). */
export function safeIdentifier(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, "_") || "unknown";
}

/** The directory of a table's partition. */
export function partitionDir(
  out: string,
  table: TableName,
  dt: string,
  identifier: string,
): string {
  return `${out}/${table}/dt=${dt}/identifier=${safeIdentifier(identifier)}`;
}

/**
 * Makes the directory of a table's partition (as {@linkcode partitionDir}) below `out`, one level
 * at a time, and returns it. A level that exists as anything but a real directory — a symbolic
 * link above all — is refused: fgm writes only into folders of its layout, never through a link
 * to somewhere else. (`out` itself may be a link: that is the user's choice of disk.)
 *
 * @throws {Error} naming the level that is not a directory, or the error of `mkdir`.
 */
export function ensurePartitionDir(
  out: string,
  table: TableName,
  dt: string,
  identifier: string,
): string {
  let path = out;
  for (const level of [table, `dt=${dt}`, `identifier=${safeIdentifier(identifier)}`]) {
    path = `${path}/${level}`;
    let info: Deno.FileInfo | null = null;
    try {
      info = Deno.lstatSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (info === null) {
      try {
        Deno.mkdirSync(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        info = Deno.lstatSync(path);
      }
    }
    if (info !== null && (info.isSymlink || !info.isDirectory)) {
      throw new Error(
        `Cannot write into "${path}": it is ${
          info.isSymlink ? "a symbolic link" : "not a directory"
        }, and fgm writes only into folders it made`,
      );
    }
  }
  return path;
}

/**
 * File name of a segment starting at `startMs`; with `millis`, to the millisecond (when the
 * whole-second name is taken).
 */
export function segmentName(table: string, startMs: number, { millis = false } = {}): string {
  return `${table}-${stamp(startMs, { millis })}.parquet`;
}

/** File name of a compacted file spanning `startMs`..`endMs`. */
export function compactedName(table: string, startMs: number, endMs: number): string {
  return `${table}-${stamp(startMs)}-${stamp(endMs)}.parquet`;
}

const NAME =
  /^(containers|processes|host)-(\d{8}T\d{6}(?:\.\d{3})?Z)(?:-(\d{8}T\d{6}(?:\.\d{3})?Z))?\.parquet$/;

/** Reads table and times from a file name, or `null` for names that are not ours. */
export function parseFileName(
  name: string,
): { table: TableName; startMs: number; endMs: number; compacted: boolean } | null {
  const m = name.match(NAME);
  if (!m) return null;
  const startMs = parseStamp(m[2]);
  const endMs = m[3] ? parseStamp(m[3]) : startMs;
  if (Number.isNaN(startMs) || Number.isNaN(endMs)) return null;
  return { table: m[1] as TableName, startMs, endMs, compacted: m[3] !== undefined };
}

/** The partition directories fgm writes under `out`: `<table>/dt=…/identifier=…`. */
export interface PartitionDir {
  path: string;
  table: TableName;
  dt: string;
  identifier: string;
}

const DT = /^dt=\d{4}-\d{2}-\d{2}$/;
const IDENTIFIER = /^identifier=[A-Za-z0-9._-]+$/;

/** Real subdirectories (never symbolic links) of `path` whose names match; none when unreadable. */
function subdirs(path: string, name: RegExp): string[] {
  try {
    return [...Deno.readDirSync(path)]
      .filter((e) => e.isDirectory && !e.isSymlink && name.test(e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Every partition directory of fgm's layout under `out`. Only fgm's names are followed (a table
 * folder, `dt=YYYY-MM-DD`, `identifier=<safe id>`); symbolic links are not, whatever they are
 * called, so nothing outside `out` is ever listed.
 */
export function listPartitions(out: string): PartitionDir[] {
  const dirs: PartitionDir[] = [];
  for (const table of TABLE_NAMES) {
    if (subdirs(out, new RegExp(`^${table}$`)).length === 0) continue;
    for (const dt of subdirs(`${out}/${table}`, DT)) {
      for (const id of subdirs(`${out}/${table}/${dt}`, IDENTIFIER)) {
        dirs.push({
          path: `${out}/${table}/${dt}/${id}`,
          table,
          dt: dt.slice(3),
          identifier: id.slice("identifier=".length),
        });
      }
    }
  }
  return dirs;
}

/**
 * Lists every data file of fgm's layout under `out` (a regular file with a name of
 * {@linkcode parseFileName} for the table of its folder), oldest first.
 */
export function listDataFiles(out: string): DataFile[] {
  const files: DataFile[] = [];
  for (const dir of listPartitions(out)) {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir.path)];
    } catch {
      continue; // removed meanwhile
    }
    for (const e of entries) {
      const parsed = e.isFile && !e.isSymlink ? parseFileName(e.name) : null;
      if (!parsed || parsed.table !== dir.table) continue;
      let size = 0;
      try {
        size = Deno.statSync(`${dir.path}/${e.name}`).size;
      } catch {
        continue; // deleted meanwhile
      }
      files.push({
        path: `${dir.path}/${e.name}`,
        dt: dir.dt,
        identifier: dir.identifier,
        ...parsed,
        sizeBytes: size,
      });
    }
  }
  return files.sort((a, b) => a.startMs - b.startMs || a.path.localeCompare(b.path));
}

/** Names fgm keeps at the top of an output directory, besides the table folders. */
const OWN_TOP_LEVEL = new Set(["session.json", ".session.json.fgm-tmp", ".fgm-collect.lock"]);

/**
 * What in `out` is not fgm's, as paths relative to it: entries at its top other than the table
 * folders, `session.json` and the lock (and the first layout's `dt=` folders); entries of a table
 * folder other than `dt=` folders, of those other than `identifier=` folders; and in a partition
 * anything but data files of its table and fgm's own temporary files and journals. A symbolic
 * link is never fgm's. fgm never touches any of them; the collector says so once at start.
 */
export function foreignEntries(out: string): string[] {
  const found: string[] = [];
  const entries = (path: string): Deno.DirEntry[] => {
    try {
      return [...Deno.readDirSync(path)];
    } catch {
      return [];
    }
  };
  const realDir = (e: Deno.DirEntry, name: RegExp) =>
    e.isDirectory && !e.isSymlink && name.test(e.name);
  for (const e of entries(out)) {
    const ours = (OWN_TOP_LEVEL.has(e.name) && e.isFile && !e.isSymlink) ||
      realDir(e, TABLE_FOLDER) || realDir(e, DT);
    if (!ours) found.push(e.name);
  }
  for (const table of TABLE_NAMES) {
    for (const dt of entries(`${out}/${table}`)) {
      if (!realDir(dt, DT)) {
        found.push(`${table}/${dt.name}`);
        continue;
      }
      for (const id of entries(`${out}/${table}/${dt.name}`)) {
        if (!realDir(id, IDENTIFIER)) found.push(`${table}/${dt.name}/${id.name}`);
      }
    }
  }
  for (const dir of listPartitions(out)) {
    const rel = dir.path.slice(out.length + 1);
    for (const e of entries(dir.path)) {
      const stands = tmpTarget(e.name);
      const ours = e.isFile && !e.isSymlink &&
        (parseFileName(e.name)?.table === dir.table || isJournalName(e.name) ||
          (stands !== null && (parseFileName(stands) !== null || isJournalName(stands))));
      if (!ours) found.push(`${rel}/${e.name}`);
    }
  }
  return found.sort();
}

const TABLE_FOLDER = new RegExp(`^(${TABLE_NAMES.join("|")})$`);

/**
 * Whether `out` holds files of the first layout (contract 1, before 2026-12: every table in
 * `<out>/dt=…/identifier=…/`). fgm leaves them as they are: it neither compacts nor deletes them.
 */
export function hasContract1Files(out: string): boolean {
  for (const dt of subdirs(out, DT)) {
    for (const id of subdirs(`${out}/${dt}`, IDENTIFIER)) {
      try {
        for (const e of Deno.readDirSync(`${out}/${dt}/${id}`)) {
          if (e.isFile && parseFileName(e.name)) return true;
        }
      } catch { /* unreadable: not ours to judge */ }
    }
  }
  return false;
}

/** Options of {@linkcode planCompactions}. */
export interface CompactionPolicy {
  /** A window is merged once its end is this far in the past: readers may be on young files. */
  minAgeMs: number;
  /** A fully compacted file spans one aligned window of this length. */
  maxSpanMs: number;
  /** Fewer files than this in a window are not worth a merge. */
  minFiles: number;
  /**
   * Files someone else compacts (the collector, from rows it still holds): never planned, and
   * they hold their big window back like any segment still waiting.
   */
  reserved?: ReadonlySet<string>;
}

/** One planned compaction. */
export interface CompactionPlan {
  /** Files to merge, in time order. */
  sources: DataFile[];
  target: string;
  /**
   * 1: segments into a first-tier file (re-encoded: segments' row groups are small);
   * 2: first-tier files (and segments too few to merge on their own) into a full-span file
   * (concatenated when they follow each other in time; REQ-STO-012).
   */
  tier: 1 | 2;
}

/**
 * Windows of the first tier: segments merge into files of a fifteenth of the final span (1 minute
 * at the default 15 minutes). The collector holds a first-tier window's rows in memory and encodes
 * them at once, so this bounds that memory (bench/README.md, "Sixth round"); files of a minute of
 * rows already compress to a few tenths of a byte per value.
 */
export const TIERS = 15;

/** The length of a first-tier window for a full span of `maxSpanMs`. */
export function firstTierMs(maxSpanMs: number): number {
  return Math.max(1000, Math.floor(maxSpanMs / TIERS));
}

/**
 * Groups files to merge in two tiers, so that every row is re-encoded at most once: segments are
 * merged per aligned window of `maxSpanMs / 15`, and those files per aligned window of
 * `maxSpanMs` (segments of a first-tier window too few to merge on their own join them). Windows
 * are aligned to the epoch, so with spans that divide a day no group ever crosses a `dt=`
 * partition (checked besides). A window is merged once it ended `minAgeMs` ago. Returns the
 * plans, the oldest first.
 */
export function planCompactions(
  files: DataFile[],
  nowMs: number,
  { minAgeMs, maxSpanMs, minFiles, reserved }: CompactionPolicy,
): CompactionPlan[] {
  const small = firstTierMs(maxSpanMs);
  type Group = { windowEnd: number; files: DataFile[]; big: string };
  const smallGroups = new Map<string, Group>();
  const bigGroups = new Map<string, Group>();
  const add = (groups: Map<string, Group>, f: DataFile, window: number, big: string) => {
    const windowStart = Math.floor(f.startMs / window) * window;
    const key = `${f.dt}\0${f.identifier}\0${f.table}\0${window}\0${windowStart}`;
    const group = groups.get(key) ?? { windowEnd: windowStart + window, files: [], big };
    group.files.push(f);
    groups.set(key, group);
  };
  const bigOf = (f: DataFile) =>
    `${f.dt}\0${f.identifier}\0${f.table}\0${Math.floor(f.startMs / maxSpanMs)}`;
  // A big window waits until its segments have moved up, so each row is re-encoded once.
  const pending = new Set<string>();
  for (const f of files) {
    if (reserved?.has(f.path)) pending.add(bigOf(f));
    else if (f.compacted) add(bigGroups, f, maxSpanMs, bigOf(f));
    else add(smallGroups, f, small, bigOf(f));
  }
  const aged = (g: Group) => nowMs - g.windowEnd >= minAgeMs;
  const plans: CompactionPlan[] = [];
  for (const g of smallGroups.values()) {
    if (aged(g) && g.files.length < minFiles) {
      // Too few to merge alone (a run stopped early in the window): they move up as they are.
      for (const f of g.files) add(bigGroups, f, maxSpanMs, g.big);
    } else if (aged(g)) {
      plans.push(plan(g.files, 1));
      pending.add(g.big);
    } else {
      pending.add(g.big);
    }
  }
  for (const g of bigGroups.values()) {
    if (aged(g) && g.files.length >= minFiles && !pending.has(g.big)) plans.push(plan(g.files, 2));
  }
  return plans.sort((a, b) => a.sources[0].startMs - b.sources[0].startMs);
}

function plan(list: DataFile[], tier: 1 | 2): CompactionPlan {
  list.sort((a, b) => a.startMs - b.startMs);
  const first = list[0];
  const last = list[list.length - 1];
  const dir = first.path.slice(0, first.path.lastIndexOf("/"));
  return {
    sources: list,
    target: `${dir}/${compactedName(first.table, first.startMs, last.endMs)}`,
    tier,
  };
}

/**
 * Files to delete, oldest first: those whose last row is older than `retentionMs`, then more of
 * the oldest until the rest fits in `maxDiskBytes`. `keep` (files being written or compacted) are
 * never chosen.
 */
export function planRetention(
  files: DataFile[],
  nowMs: number,
  { retentionMs = null, maxDiskBytes = null }: {
    retentionMs?: number | null;
    maxDiskBytes?: number | null;
  },
): DataFile[] {
  const doomed = new Set<DataFile>();
  if (retentionMs !== null) {
    for (const f of files) if (nowMs - f.endMs > retentionMs) doomed.add(f);
  }
  if (maxDiskBytes !== null) {
    let total = files.reduce((s, f) => s + (doomed.has(f) ? 0 : f.sizeBytes), 0);
    for (const f of [...files].sort((a, b) => a.endMs - b.endMs)) {
      if (total <= maxDiskBytes) break;
      if (doomed.has(f)) continue;
      doomed.add(f);
      total -= f.sizeBytes;
    }
  }
  return files.filter((f) => doomed.has(f));
}
