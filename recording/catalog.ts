/**
 * The files of a recording: a directory `fgm collect` wrote (one folder per table, several nodes'
 * `identifier=` partitions side by side), a directory of the first layout, any folder of Parquet
 * files, or one file. Files are found by walking the tree (hidden names, `_` names and symbolic
 * links skipped) and known by their names (table, node, time range); footers are read only when a
 * query first touches a file, then kept. A file that cannot be read (truncated, foreign, half
 * written) is reported once and skipped. Nothing here ever writes.
 *
 * @module
 */

import { parseFileName } from "../collector/files.ts";
import { type FileFooter, readFooter } from "./footer.ts";

/** One Parquet file of the recording. */
export interface RecordingFile {
  path: string;
  /** Table name: from the file name, else (foreign files) from its stored schema. */
  table: string;
  /** Node: the `identifier=` folder it is in, else the `node` column's, else "local". */
  node: string;
  /**
   * First and last sample time (epoch ms): from the name, else from the footer. A segment's name
   * has its first sample only: until its footer is read, `endMs` is a bound (the longest flush)
   * and `endExact` false.
   */
  startMs: number;
  endMs: number;
  endExact: boolean;
  size: number;
  mtimeMs: number;
}

/** Options of {@linkcode openCatalog}. */
export interface CatalogOptions {
  /** Called while walking a large tree: files found so far. */
  progress?: (files: number) => void;
  /** Called once per file that cannot be used, with the reason. */
  problem?: (path: string, reason: string) => void;
}

/** An open recording. */
export interface Catalog {
  /** The path given. */
  readonly root: string;
  /** Every usable file, by table, oldest first. */
  files(table: string): readonly RecordingFile[];
  /** Table names present. */
  tables(): string[];
  /** Whether a file of that path is listed. */
  has(path: string): boolean;
  /** Nodes present. */
  nodes(): string[];
  /** First and last sample time over all files (footers of the newest read), or `null`. */
  range(): Promise<{ startMs: number; endMs: number } | null>;
  /** The footer of a file (read once, kept); `null` when it cannot be read (reported once). */
  footer(file: RecordingFile): Promise<FileFooter | null>;
  /** Walks the tree again (new, replaced and removed files); returns how many changed. */
  refresh(): Promise<number>;
  /** Problems reported so far, by path. */
  readonly problems: ReadonlyMap<string, string>;
}

const IDENTIFIER = /^identifier=(.+)$/;

/** The longest `--flush`: a segment's rows end at most this long after its name's time. */
const MAX_FLUSH_MS = 3_600_000;

/** The `identifier=` value of the folder a path is in, if any. */
function nodeOf(path: string): string | null {
  const parts = path.split("/");
  for (let i = parts.length - 2; i >= 0; i--) {
    const m = parts[i].match(IDENTIFIER);
    if (m) return m[1];
  }
  return null;
}

interface Found {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Parquet files under `dir` (or `dir` itself when it is one), sorted. */
function walk(dir: string, found: Found[], progress?: (n: number) => void): void {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name.startsWith("_") || e.isSymlink) continue;
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) walk(path, found, progress);
    else if (e.isFile && e.name.endsWith(".parquet")) {
      try {
        const info = Deno.statSync(path);
        found.push({ path, size: info.size, mtimeMs: info.mtime?.getTime() ?? 0 });
        if (progress && found.length % 2000 === 0) progress(found.length);
      } catch { /* removed meanwhile */ }
    }
  }
}

/**
 * Opens the recording at `path` (a directory or one Parquet file).
 *
 * @throws {Error} `Cannot open "<path>": …` when it does not exist or is neither.
 */
export async function openCatalog(path: string, options: CatalogOptions = {}): Promise<Catalog> {
  const root = path.replace(/\/+$/, "") || "/";
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(root);
  } catch (error) {
    throw new Error(
      `Cannot open "${path}": ${
        error instanceof Deno.errors.NotFound ? "no such file or directory" : String(error)
      }`,
    );
  }
  if (!info.isDirectory && !info.isFile) {
    throw new Error(`Cannot open "${path}": not a directory or a Parquet file`);
  }
  const problems = new Map<string, string>();
  const footers = new Map<string, { key: string; footer: Promise<FileFooter | null> }>();
  let byTable = new Map<string, RecordingFile[]>();
  /** Files that could not be described (foreign, unreadable), with their size and time then. */
  const skipped = new Map<string, string>();

  const report = (p: string, reason: string) => {
    if (problems.has(p)) return;
    problems.set(p, reason);
    options.problem?.(p, reason);
  };

  const loadFooter = (file: Found): Promise<FileFooter | null> => {
    const key = `${file.size}:${file.mtimeMs}`;
    const known = footers.get(file.path);
    if (known && known.key === key) return known.footer;
    let f: Deno.FsFile | null = null;
    let read: FileFooter | null = null;
    try {
      f = Deno.openSync(file.path);
      read = readFooter(f, file.size, file.path);
    } catch (error) {
      report(file.path, error instanceof Error ? error.message : String(error));
    } finally {
      f?.close();
    }
    const footer = Promise.resolve(read);
    footers.set(file.path, { key, footer });
    return footer;
  };

  const describe = async (found: Found): Promise<RecordingFile | null> => {
    const name = found.path.slice(found.path.lastIndexOf("/") + 1);
    const parsed = parseFileName(name);
    const node = nodeOf(found.path);
    if (parsed !== null) {
      return {
        ...found,
        table: parsed.table,
        node: node ?? "local",
        startMs: parsed.startMs,
        // A segment's rows span up to one flush (at most an hour) after its name's time.
        endMs: parsed.compacted ? parsed.endMs + 999 : parsed.startMs + MAX_FLUSH_MS,
        endExact: parsed.compacted,
      };
    }
    // Not one of fgm's names: its footer says what it is.
    const footer = await loadFooter(found);
    if (footer === null) return null;
    if (!footer.schema.columns.some((c) => c.name === "time")) {
      report(found.path, `Cannot use "${found.path}": it has no "time" column`);
      return null;
    }
    const mins = footer.rowGroups.map((g) => g.timeMinMs).filter((v) => v !== null) as number[];
    const maxs = footer.rowGroups.map((g) => g.timeMaxMs).filter((v) => v !== null) as number[];
    return {
      ...found,
      table: footer.schema.name,
      node: node ?? "local",
      startMs: mins.length ? Math.min(...mins) : -Infinity,
      endMs: maxs.length ? Math.max(...maxs) : Infinity,
      endExact: true,
    };
  };

  const scan = async (): Promise<number> => {
    const found: Found[] = [];
    if (info.isFile) {
      const s = Deno.statSync(root);
      found.push({ path: root, size: s.size, mtimeMs: s.mtime?.getTime() ?? 0 });
    } else walk(root, found, options.progress);
    const before = new Map<string, RecordingFile>();
    for (const list of byTable.values()) for (const f of list) before.set(f.path, f);
    const next = new Map<string, RecordingFile[]>();
    let changed = 0;
    for (const f of found) {
      const old = before.get(f.path);
      before.delete(f.path);
      const stamp = `${f.size}:${f.mtimeMs}`;
      if (skipped.get(f.path) === stamp) continue; // unusable, and unchanged since
      let file: RecordingFile | null;
      if (old && old.size === f.size && old.mtimeMs === f.mtimeMs) file = old;
      else {
        changed++;
        file = await describe(f);
      }
      if (file === null) {
        skipped.set(f.path, stamp);
        continue;
      }
      skipped.delete(f.path);
      const list = next.get(file.table) ?? [];
      list.push(file);
      next.set(file.table, list);
    }
    changed += before.size;
    for (const gone of before.keys()) footers.delete(gone);
    for (const list of next.values()) {
      list.sort((a, b) => a.startMs - b.startMs || a.path.localeCompare(b.path));
    }
    byTable = next;
    return changed;
  };

  await scan();
  return {
    root,
    files: (table) => byTable.get(table) ?? [],
    tables: () => [...byTable.keys()].sort(),
    has: (path) => [...byTable.values()].some((list) => list.some((f) => f.path === path)),
    nodes: () => [...new Set([...byTable.values()].flat().map((f) => f.node))].sort(),
    async range() {
      // Names bound the edges (a second's resolution, a flush's length for segments); the footers
      // of the few files that can hold the first or the last sample make them exact.
      const all = [...byTable.values()].flat();
      if (all.length === 0) return null;
      const timesOf = async (f: RecordingFile) => {
        const footer = await loadFooter(f);
        if (footer === null) return null; // unreadable: reported, not part of the recording
        const mins = footer.rowGroups.map((g) => g.timeMinMs).filter((v) => v !== null);
        const maxs = footer.rowGroups.map((g) => g.timeMaxMs).filter((v) => v !== null);
        return mins.length && maxs.length
          ? { min: Math.min(...mins as number[]), max: Math.max(...maxs as number[]) }
          : null;
      };
      let startMs = Infinity;
      for (const f of [...all].sort((x, y) => x.startMs - y.startMs)) {
        if (f.startMs > startMs) break; // its first sample is no earlier than its name's second
        startMs = Math.min(startMs, (await timesOf(f))?.min ?? Infinity);
      }
      let endMs = -Infinity;
      for (const f of [...all].sort((x, y) => y.endMs - x.endMs)) {
        if (f.endMs < endMs) break; // its last sample is no later than its name's bound
        endMs = Math.max(endMs, (await timesOf(f))?.max ?? -Infinity);
      }
      return Number.isFinite(startMs) && Number.isFinite(endMs) ? { startMs, endMs } : null;
    },
    footer: (file) => loadFooter(file),
    refresh: scan,
    problems,
  };
}
