/**
 * A full garbage collection on demand, for the collector's quiet moments. V8 collects the old
 * generation only once it has grown well past what is live: between two of its mark-compacts the
 * collector's RSS climbed by 30 MiB and more, mostly the garbage of encoding Parquet (a window's
 * rows become arrays of bigints for a moment) that lived just long enough to be promoted. Right
 * after a flush the next tick is most of a second away and almost nothing is live besides the
 * rows being buffered, so a full collection there is cheap (a few ms on a heap of tens of MiB)
 * and keeps the RSS near what is live (bench/README.md, "Sixth round").
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
