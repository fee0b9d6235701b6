import assert from "node:assert/strict";
import { collectGarbage } from "./gc.ts";

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
