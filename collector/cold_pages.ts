/**
 * Giving back the pages of the executable that only start-up used. Under `deno run` over half of
 * what the collector's RSS counted was the pages of the `deno` executable that loading the
 * program touched (module graph, type stripping, npm resolution: 45 988 of 85 304 kB at 50
 * containers, bench/README.md, "Tenth round") and that a tick never touches again; the kernel keeps them
 * mapped until memory runs short. {@linkcode releaseColdExecutablePages} asks it to reclaim every
 * page of the executable's mappings now (`madvise(MADV_PAGEOUT)`, Linux 5.4+): clean file pages
 * that only this process maps are dropped, and those a tick still uses come back at once by a
 * page fault (from the disk, or the page cache where another process still holds them). Pages
 * another process maps too (a second `deno`) are left alone by the kernel.
 *
 * Reaches: /proc (`/proc/self/maps`) and the kernel through libc (`madvise(2)`).
 *
 * @module
 */

import { lazyLibc } from "./libc.ts";

/** One mapping of `/proc/<pid>/maps`: its addresses `[start, end)` and permissions (`r-xp`). */
export interface Mapping {
  start: bigint;
  end: bigint;
  permissions: string;
}

/**
 * The mappings of `path` in a `/proc/<pid>/maps` text (`start-end perms offset dev inode path`),
 * in their order. Lines that are not mappings of `path` are skipped.
 */
export function mappingsOf(maps: string, path: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of maps.split("\n")) {
    // The path is the sixth field and may contain spaces: everything after the inode's padding.
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s+(.*)$/.exec(line);
    if (m === null || m[4] !== path) continue;
    out.push({
      start: BigInt(`0x${m[1]}`),
      end: BigInt(`0x${m[2]}`),
      permissions: m[3],
    });
  }
  return out;
}

const MADV_PAGEOUT = 21;

const libc = lazyLibc({ madvise: { parameters: ["pointer", "usize", "i32"], result: "i32" } });

/**
 * Asks the kernel to reclaim the pages of `mappings` (`MADV_PAGEOUT`); returns how many mappings
 * it accepted. A mapping the kernel refuses (an old kernel: `EINVAL`) is skipped; without FFI
 * nothing is done and 0 returned.
 */
export function pageOut(mappings: Mapping[]): number {
  const c = libc();
  if (c === null) return 0;
  let accepted = 0;
  for (const m of mappings) {
    const address = Deno.UnsafePointer.create(m.start);
    if (c.madvise(address, m.end - m.start, MADV_PAGEOUT) === 0) accepted++;
  }
  return accepted;
}

/**
 * Asks the kernel to reclaim the pages of this process's executable (`Deno.execPath()`: the
 * `deno` of `deno run`, or the compiled `fgm` binary) that nothing is using, as the module
 * documentation says. Returns how many mappings were paged out (0 where FFI or the kernel does
 * not allow it, or `/proc/self/maps` cannot be read).
 */
export function releaseColdExecutablePages(): number {
  let maps: string;
  try {
    maps = Deno.readTextFileSync("/proc/self/maps");
  } catch {
    return 0;
  }
  return pageOut(mappingsOf(maps, Deno.execPath()));
}

/** Default {@linkcode ColdPageOptions.everyMs}: 30 minutes. */
export const COLD_PAGES_EVERY_MS = 30 * 60_000;

/** Options of {@linkcode createColdPageReleaser}. */
export interface ColdPageOptions {
  /** Pages out what is cold (default {@linkcode releaseColdExecutablePages}). */
  release?: () => number;
  /** After the start-up releases, once every this many ms (at a flush). */
  everyMs?: number;
}

/**
 * When the collector gives back its executable's cold pages: after its first tick (start-up is
 * over), after its first flush (the first Parquet encode), after the flush that committed its
 * first first-tier window (the last code of the loop run for the first time), then every
 * `everyMs` at a flush, for what rare paths (an API refresh, an error) touched since. Times are
 * monotonic ms; `windows` is how many first-tier windows the run has committed so far. Each method
 * returns whether it released.
 */
export function createColdPageReleaser(
  { release = releaseColdExecutablePages, everyMs = COLD_PAGES_EVERY_MS }: ColdPageOptions = {},
): { afterTick(nowMs: number): boolean; afterFlush(nowMs: number, windows: number): boolean } {
  let ticked = false;
  let flushed = false;
  let windowed = false;
  let lastMs = -Infinity;
  const run = (nowMs: number) => {
    release();
    lastMs = nowMs;
    return true;
  };
  return {
    afterTick(nowMs) {
      if (ticked) return false;
      ticked = true;
      return run(nowMs);
    },
    afterFlush(nowMs, windows) {
      if (!flushed) {
        flushed = true;
        if (windows > 0) windowed = true;
        return run(nowMs);
      }
      if (!windowed && windows > 0) {
        windowed = true;
        return run(nowMs);
      }
      return nowMs - lastMs >= everyMs ? run(nowMs) : false;
    },
  };
}
