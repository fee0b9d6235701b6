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
}

/** Windows of the first tier: segments merge into files of a sixth of the final span. */
export const TIERS = 6;

/**
 * Groups files to merge in two tiers, so that every row is rewritten at most twice: segments are
 * merged per aligned window of `maxSpanMs / 6`, and those files per aligned window of
 * `maxSpanMs`. Windows are aligned to the epoch, so with spans that divide a day no group ever
 * crosses a `dt=` partition (checked besides). A window is merged once it ended `minAgeMs` ago.
 * Returns sources (time order) and the target path of each group, the oldest first.
 */
export function planCompactions(
  files: DataFile[],
  nowMs: number,
  { minAgeMs, maxSpanMs, minFiles }: CompactionPolicy,
): { sources: DataFile[]; target: string }[] {
  const small = Math.max(1000, Math.floor(maxSpanMs / TIERS));
  const groups = new Map<string, { windowEnd: number; files: DataFile[] }>();
  for (const f of files) {
    // Segments merge per small window; compacted files per big window (a lone merged file in
    // its window is done: fewer than minFiles).
    const window = f.compacted ? maxSpanMs : small;
    const windowStart = Math.floor(f.startMs / window) * window;
    const key = `${f.dt}\0${f.identifier}\0${f.table}\0${window}\0${windowStart}`;
    const group = groups.get(key) ?? { windowEnd: windowStart + window, files: [] };
    group.files.push(f);
    groups.set(key, group);
  }
  // A big window waits until its last segments have been merged, so each row moves up once.
  const pending = new Set<string>();
  for (const f of files) {
    if (!f.compacted) {
      pending.add(`${f.dt}\0${f.identifier}\0${f.table}\0${Math.floor(f.startMs / maxSpanMs)}`);
    }
  }
  const plans: { sources: DataFile[]; target: string }[] = [];
  for (const { windowEnd, files: list } of groups.values()) {
    if (nowMs - windowEnd < minAgeMs || list.length < minFiles) continue;
    const f0 = list[0];
    const big = `${f0.dt}\0${f0.identifier}\0${f0.table}\0${Math.floor(f0.startMs / maxSpanMs)}`;
    if (f0.compacted && pending.has(big)) continue;
    list.sort((a, b) => a.startMs - b.startMs);
    const first = list[0];
    const last = list[list.length - 1];
    const dir = first.path.slice(0, first.path.lastIndexOf("/"));
    plans.push({
      sources: list,
      target: `${dir}/${compactedName(first.table, first.startMs, last.endMs)}`,
    });
  }
  return plans.sort((a, b) => a.sources[0].startMs - b.sources[0].startMs);
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
