/**
 * Where `fgm collect` puts its files and which of them to compact or delete:
 * `<out>/dt=YYYY-MM-DD/identifier=<id>/<table>-YYYYMMDDTHHMMSSZ.parquet` for a segment, and
 * `<table>-<first>-<last>.parquet` (both `YYYYMMDDTHHMMSSZ`) for a compacted file. Pure planning
 * functions take file lists and return decisions; the thin `listDataFiles` reads the tree.
 *
 * @module
 */

/** One data file of the output tree. */
export interface DataFile {
  path: string;
  dt: string;
  identifier: string;
  table: string;
  /** Time of its first row (from the name). */
  startMs: number;
  /** Time of its last row for compacted files; the start for segments. */
  endMs: number;
  compacted: boolean;
  sizeBytes: number;
}

/** `YYYYMMDDTHHMMSSZ` for a time. */
export function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** The inverse of {@linkcode stamp}. */
export function parseStamp(s: string): number {
  const m = s.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** `YYYY-MM-DD` (UTC) of a time: the `dt=` partition. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Makes a value safe as a directory name (`identifier=` values come from pod or node names). */
export function safeIdentifier(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, "_") || "unknown";
}

/** The directory of a partition. */
export function partitionDir(out: string, dt: string, identifier: string): string {
  return `${out}/dt=${dt}/identifier=${safeIdentifier(identifier)}`;
}

/** File name of a segment starting at `startMs`. */
export function segmentName(table: string, startMs: number): string {
  return `${table}-${stamp(startMs)}.parquet`;
}

/** File name of a compacted file spanning `startMs`..`endMs`. */
export function compactedName(table: string, startMs: number, endMs: number): string {
  return `${table}-${stamp(startMs)}-${stamp(endMs)}.parquet`;
}

const NAME = /^([a-z_]+)-(\d{8}T\d{6}Z)(?:-(\d{8}T\d{6}Z))?\.parquet$/;

/** Reads table and times from a file name, or `null` for names that are not ours. */
export function parseFileName(
  name: string,
): { table: string; startMs: number; endMs: number; compacted: boolean } | null {
  const m = name.match(NAME);
  if (!m) return null;
  const startMs = parseStamp(m[2]);
  const endMs = m[3] ? parseStamp(m[3]) : startMs;
  if (Number.isNaN(startMs) || Number.isNaN(endMs)) return null;
  return { table: m[1], startMs, endMs, compacted: m[3] !== undefined };
}

/** Lists every data file under `out`, oldest first. */
export function listDataFiles(out: string): DataFile[] {
  const files: DataFile[] = [];
  const dirs = (path: string, prefix: string) => {
    try {
      return [...Deno.readDirSync(path)].filter((e) => e.isDirectory && e.name.startsWith(prefix));
    } catch {
      return [];
    }
  };
  for (const dt of dirs(out, "dt=")) {
    for (const id of dirs(`${out}/${dt.name}`, "identifier=")) {
      const dir = `${out}/${dt.name}/${id.name}`;
      for (const e of Deno.readDirSync(dir)) {
        const parsed = e.isFile ? parseFileName(e.name) : null;
        if (!parsed) continue;
        let size = 0;
        try {
          size = Deno.statSync(`${dir}/${e.name}`).size;
        } catch {
          continue; // deleted meanwhile
        }
        files.push({
          path: `${dir}/${e.name}`,
          dt: dt.name.slice(3),
          identifier: id.name.slice("identifier=".length),
          ...parsed,
          sizeBytes: size,
        });
      }
    }
  }
  return files.sort((a, b) => a.startMs - b.startMs || a.path.localeCompare(b.path));
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
