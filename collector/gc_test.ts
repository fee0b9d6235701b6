import assert from "node:assert/strict";
import {
  collectGarbage,
  createGarbageCollector,
  HEAP_GROWING_PERCENT,
  limitHeapGrowth,
  oldGenerationBytes,
  releaseFreedMemory,
} from "./gc.ts";

/** `RssAnon` of this process in bytes. */
function rssAnon(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Number(/RssAnon:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

Deno.test("REQ-COL-028: releaseFreedMemory() gives glibc's free heap memory back to the kernel", () => {
  const libc = Deno.dlopen("libc.so.6", {
    malloc: { parameters: ["usize"], result: "pointer" },
    free: { parameters: ["pointer"], result: "void" },
    memset: { parameters: ["pointer", "i32", "usize"], result: "pointer" },
  });
  try {
    // 64-KiB blocks come from the heap (below glibc's mmap threshold); freeing all but every
    // tenth leaves holes that glibc keeps (it only trims the top of the heap by itself).
    const blockBytes = 64n * 1024n;
    const blocks: Deno.PointerValue[] = [];
    for (let i = 0; i < 800; i++) {
      const p = libc.symbols.malloc(blockBytes);
      assert.ok(p !== null);
      libc.symbols.memset(p, 1, blockBytes);
      blocks.push(p);
    }
    blocks.forEach((p, i) => {
      if (i % 10 !== 9) libc.symbols.free(p);
    });
    const before = rssAnon();
    assert.equal(releaseFreedMemory(), true, "FFI and glibc are available");
    const after = rssAnon();
    // 720 free blocks of 64 KiB: 45 MiB; at least most of it must be returned.
    assert.ok(before - after > 30 * 2 ** 20, `RssAnon ${before} -> ${after}`);
    blocks.forEach((p, i) => {
      if (i % 10 === 9) libc.symbols.free(p);
    });
  } finally {
    libc.close();
  }
});

Deno.test("REQ-COL-028: limitHeapGrowth() sets the flag, and refuses a percentage that is not a positive integer", () => {
  // Its effect on the collector's RSS is measured by bench/collect_bench.ts (bench/README.md,
  // "Seventh round"): V8's first old-generation limit on a large machine is hundreds of MiB, so
  // a short test process never reaches the mark-compacts whose limits the flag sets.
  assert.equal(limitHeapGrowth(HEAP_GROWING_PERCENT), true);
  assert.throws(() => limitHeapGrowth(0), RangeError);
  assert.throws(() => limitHeapGrowth(12.5), RangeError);
  assert.throws(() => limitHeapGrowth(-5), RangeError);
});

Deno.test("REQ-COL-028: collectGarbage() runs a full collection that frees unreachable objects", () => {
  assert.equal(collectGarbage(), true, "gc is available under Deno");
  let garbage: bigint[][] | null = [];
  for (let i = 0; i < 20; i++) garbage.push(Array.from({ length: 50_000 }, (_, k) => BigInt(k)));
  const before = Deno.memoryUsage().heapUsed;
  garbage = null;
  assert.equal(collectGarbage(), true);
  const after = Deno.memoryUsage().heapUsed;
  // 1M bigints and their arrays: well over 20 MiB, all of it unreachable now.
  assert.ok(before - after > 20 * 2 ** 20, `${before} -> ${after}`);
  assert.ok(oldGenerationBytes() > 0);
});

Deno.test("REQ-COL-028: createGarbageCollector() collects once the old generation is the slack above its least", () => {
  let used = 100;
  const runs: number[] = [];
  const gc = createGarbageCollector({
    slackBytes: 10,
    collectFirst: false,
    used: () => used,
    collect: () => {
      runs.push(used);
      used = 103; // what is live after the collection
      return true;
    },
  });
  used = 109;
  assert.equal(gc.maybeCollect(), false);
  used = 110;
  assert.equal(gc.maybeCollect(), true);
  assert.deepEqual(runs, [110]);
  // The least is now what the collection left (103).
  used = 112;
  assert.equal(gc.maybeCollect(), false);
  // One of V8's own mark-compacts brings it lower: the slack counts from there.
  used = 95;
  assert.equal(gc.maybeCollect(), false);
  used = 104;
  assert.equal(gc.maybeCollect(), false);
  used = 105;
  assert.equal(gc.maybeCollect(), true);
  assert.deepEqual(runs, [110, 105]);
});

Deno.test("REQ-COL-028: createGarbageCollector() collects at its first call by default, then by the slack", () => {
  let used = 100;
  let runs = 0;
  const gc = createGarbageCollector({
    slackBytes: 10,
    used: () => used,
    collect: () => {
      runs++;
      used = 60; // start-up's garbage gone
      return true;
    },
  });
  assert.equal(gc.maybeCollect(), true);
  assert.equal(runs, 1);
  used = 69;
  assert.equal(gc.maybeCollect(), false);
  used = 70;
  assert.equal(gc.maybeCollect(), true);
  assert.equal(runs, 2);
});
