import assert from "node:assert/strict";
import { borrow, releaseScratch, scratchBytes } from "./scratch.ts";

Deno.test("REQ-ANA-016: borrow() reuses one array per slot and grows it when asked for more", () => {
  const a = borrow("scratch-test", 100);
  const b = borrow("scratch-test", 50);
  assert.equal(b.buffer, a.buffer);
  assert.equal(b.length, 50);
  const c = borrow("scratch-test", 200);
  assert.equal(c.length, 200);
  assert.notEqual(c.buffer, a.buffer);
  assert.notEqual(borrow("scratch-test-other", 10).buffer, c.buffer);
});

Deno.test("REQ-ANA-016: releaseScratch() gives the kept work arrays back", () => {
  borrow("scratch-test-release", 1000);
  assert.ok(scratchBytes() >= 8000);
  releaseScratch();
  assert.equal(scratchBytes(), 0);
  assert.equal(borrow("scratch-test-release", 10).length, 10);
});
