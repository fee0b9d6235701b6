/**
 * A full garbage collection on demand, for the collector's quiet moments. V8 collects the old
 * generation only once it has grown well past what is live: between two of its mark-compacts the
 * collector's RSS climbed by 30 MiB and more, mostly the garbage of encoding Parquet (a window's
 * rows become arrays of bigints for a moment) that lived just long enough to be promoted. Right
 * after a flush the next tick is most of a second away and almost nothing is live besides the
 * rows being buffered, so a full collection there keeps the RSS near what is live
 * (bench/README.md, "Sixth round").
 *
 * `gc` is exposed through `node:v8` and `node:vm`, which Deno implements; where that fails the
 * function does nothing.
 *
 * @module
 */

import v8 from "node:v8";
import vm from "node:vm";

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

/** Options of {@linkcode createGarbageCollector}. */
export interface GarbageCollectorOptions {
  /** Collect once the RSS is this much above what it was after the last collection. */
  slackBytes?: number;
  /** The RSS now (default `Deno.memoryUsage().rss`). */
  rss?: () => number;
  /** Runs a full collection (default {@linkcode collectGarbage}). */
  collect?: () => boolean;
}

/** Default {@linkcode GarbageCollectorOptions.slackBytes}: 24 MiB. */
export const GC_SLACK_BYTES = 24 * 2 ** 20;

/**
 * A full collection when the RSS has grown by `slackBytes` since the last one. A full collection
 * costs 10–25 ms of the main thread and more of V8's helper threads afterwards (one a minute cost
 * about 3 ms/s at 50 containers, bench/README.md "Sixth round"), so it runs only when there is
 * that much to give back.
 * Returns `maybeCollect()`, which says whether it collected.
 */
export function createGarbageCollector(
  { slackBytes = GC_SLACK_BYTES, rss = () => Deno.memoryUsage().rss, collect = collectGarbage }:
    GarbageCollectorOptions = {},
): { maybeCollect(): boolean } {
  let baseline = rss();
  return {
    maybeCollect() {
      if (rss() < baseline + slackBytes) return false;
      const done = collect();
      baseline = rss();
      return done;
    },
  };
}
