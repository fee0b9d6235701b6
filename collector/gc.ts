/**
 * Keeping the collector's memory near what is live (bench/README.md, "Seventh round"). Without
 * these measures its RSS climbed by 30 MiB and more between V8's own collections:
 *
 * - V8 lets the old generation grow to a multiple (up to 4×) of what was live after its last
 *   mark-compact. With a 1-MiB young generation (`--max-semi-space-size=1`, what the deployment
 *   files set) the previous tick's snapshot and the rows kept for the first-tier windows are
 *   promoted, ~0.5 MB/s of garbage in the old generation at 50 containers; the old generation
 *   then grew from ~10 MiB live to 30 MiB and more. {@linkcode limitHeapGrowth} sets V8's heap
 *   growing factor (`--heap-growing-percent`, read at every mark-compact, so it works when set at
 *   run time) so that the next mark-compact starts at 20 % above what is live: an incremental
 *   mark-compact every 12–20 s at 50 containers, 1–5 ms of the main thread each.
 * - Until its first mark-compact V8 works with an old-generation limit of hundreds of MiB, so the
 *   first minute's heap grew with start-up's garbage in it: the collector's RSS peaked then (75
 *   against 64 MiB later, bench/README.md, "Tenth round"). The backstop below therefore runs one
 *   full collection at the first flush whatever the heap holds.
 * - V8 does not always follow that factor: after a mark-compact that ran while a window was being
 *   encoded, it let the old generation grow to 50 MiB before the next. A backstop
 *   ({@linkcode createGarbageCollector}) runs a full collection after a flush when the old
 *   generation is 16 MiB above the least it has been since the last one. Under Deno `gc()` is a
 *   memory-reducing collection, two mark-compacts of 15–25 ms each; it fired 1–3 times in 5
 *   minutes. Forcing one after every window's encode (the previous policy) cost about 3 ms/s at
 *   50 containers: V8's helper threads work harder after each.
 * - glibc keeps memory freed by the runtime's native side (compression contexts, I/O buffers) in
 *   its arenas. {@linkcode releaseFreedMemory} (`malloc_trim(0)`, 0.3–1.6 ms a call) gives it back
 *   after every flush: 4–8 MiB less RSS at 50 containers.
 *
 * @module
 */

import v8 from "node:v8";
import vm from "node:vm";
import { lazyLibc } from "./libc.ts";

/** Default of {@linkcode limitHeapGrowth}: the old generation may grow 20 % past what is live. */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets V8's heap growing factor for the rest of the process: each mark-compact starts once the
 * old generation is `percent` % larger than what the last one left live (V8's own factor is
 * between 10 % and 300 %, larger when collections are cheap). V8 still grows the heap by at least
 * a few MiB between collections. Returns whether the flag could be set.
 */
export function limitHeapGrowth(percent: number = HEAP_GROWING_PERCENT): boolean {
  if (!(Number.isInteger(percent) && percent > 0)) {
    throw new RangeError(`Cannot limit heap growth to ${percent} %: expected a positive integer`);
  }
  try {
    v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
    return true;
  } catch {
    return false;
  }
}

const libc = lazyLibc({ malloc_trim: { parameters: ["usize"], result: "i32" } });

/**
 * Returns to the kernel the memory the C library holds free in its heaps (`malloc_trim(0)`), for
 * every thread's arena. Returns whether it could call it (FFI allowed, glibc present); does
 * nothing otherwise.
 */
export function releaseFreedMemory(): boolean {
  const c = libc();
  if (c === null) return false;
  c.malloc_trim(0n);
  return true;
}

let gc: (() => void) | null | undefined;

/** Runs a full, synchronous garbage collection when the runtime allows it; returns whether it did. */
export function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      const f = vm.runInNewContext("gc");
      gc = typeof f === "function" ? f : null;
    } catch {
      gc = null;
    }
  }
  const run = gc;
  if (run === null || run === undefined) return false;
  run();
  return true;
}

/** Bytes in use in V8's old generation (old space and large objects), from `node:v8`. */
export function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.space_name === "old_space" || space.space_name === "large_object_space") {
      bytes += space.space_used_size;
    }
  }
  return bytes;
}

/** Options of {@linkcode createGarbageCollector}. */
export interface GarbageCollectorOptions {
  /** Collect once the old generation is this much above the least it has been. */
  slackBytes?: number;
  /** Bytes in use now (default {@linkcode oldGenerationBytes}). */
  used?: () => number;
  /** Runs a full collection (default {@linkcode collectGarbage}). */
  collect?: () => boolean;
  /**
   * Collect at the first `maybeCollect()` whatever the slack (default `true`): the collector's
   * first flush, when start-up's garbage is still in the heap and V8 has not yet set an
   * old-generation limit from what is live (its first one is hundreds of MiB).
   */
  collectFirst?: boolean;
}

/** Default {@linkcode GarbageCollectorOptions.slackBytes}: 16 MiB. */
export const GC_SLACK_BYTES = 16 * 2 ** 20;

/**
 * The backstop of the module documentation. `maybeCollect()` (after each flush) tracks the least
 * the old generation has used since the last full collection (right after one of V8's own
 * mark-compacts that is about what is live) and runs a full collection when it is `slackBytes`
 * above that; it says whether it collected. With `collectFirst`, its first call collects anyway.
 */
export function createGarbageCollector(
  {
    slackBytes = GC_SLACK_BYTES,
    used = oldGenerationBytes,
    collect = collectGarbage,
    collectFirst = true,
  }: GarbageCollectorOptions = {},
): { maybeCollect(): boolean } {
  let least = used();
  let first = collectFirst;
  return {
    maybeCollect() {
      const now = used();
      least = Math.min(least, now);
      if (!first && now < least + slackBytes) return false;
      first = false;
      const done = collect();
      least = used();
      return done;
    },
  };
}
