import assert from "node:assert/strict";
import { boundedMemo } from "./memo.ts";

Deno.test("REQ-RDR-025: boundedMemo() computes each key once and starts over past max keys", () => {
  const memo = boundedMemo<string | null>(2);
  let calls = 0;
  const f = (k: string) =>
    memo(k, () => {
      calls++;
      return k === "none" ? null : k.toUpperCase();
    });
  assert.equal(f("a"), "A");
  assert.equal(f("a"), "A");
  assert.equal(f("none"), null);
  assert.equal(f("none"), null);
  assert.equal(calls, 2);
  assert.equal(f("b"), "B"); // third key: the memo starts over
  assert.equal(f("a"), "A");
  assert.equal(calls, 4);
});
