import assert from "node:assert/strict";
import { collectGarbage, createGarbageCollector } from "./gc.ts";

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
});

Deno.test("REQ-COL-028: createGarbageCollector() collects only once the RSS grew by the slack", () => {
  let rss = 100;
  const runs: number[] = [];
  const gc = createGarbageCollector({
    slackBytes: 10,
    rss: () => rss,
    collect: () => {
      runs.push(rss);
      rss = 103; // what is live after the collection
      return true;
    },
  });
  rss = 109;
  assert.equal(gc.maybeCollect(), false);
  rss = 110;
  assert.equal(gc.maybeCollect(), true);
  assert.deepEqual(runs, [110]);
  // The new baseline is the RSS after the collection (103).
  rss = 112;
  assert.equal(gc.maybeCollect(), false);
  rss = 113;
  assert.equal(gc.maybeCollect(), true);
  assert.deepEqual(runs, [110, 113]);
});
