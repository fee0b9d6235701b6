import assert from "node:assert/strict";
import { boundedMemo } from "./memo.ts";

Deno.test("REQ-RDR-025: boundedMemo() computes each argument triple once and starts over past max answers", () => {
  let calls = 0;
  const f = boundedMemo<string | null>(3, (a, b, c) => {
    calls++;
    return c === "none" ? null : `${a}|${b}|${c}`.toUpperCase();
  });
  assert.equal(f("m", "r", "a"), "M|R|A");
  assert.equal(f("m", "r", "a"), "M|R|A");
  assert.equal(f("m", "r", "none"), null);
  assert.equal(f("m", "r", "none"), null);
  assert.equal(calls, 2);
  // The arguments are kept apart, not joined: ("m", "ra", "") is another triple.
  assert.equal(f("m", "ra", ""), "M|RA|");
  assert.equal(f("m|r", "a", ""), "M|R|A|");
  assert.equal(calls, 4);
  // Past three answers the memo starts over, keeping only the new one.
  assert.equal(f("n", "r", "a"), "N|R|A");
  assert.equal(calls, 5);
  assert.equal(f("n", "r", "a"), "N|R|A");
  assert.equal(calls, 5);
  assert.equal(f("m", "r", "a"), "M|R|A");
  assert.equal(calls, 6);
});

Deno.test("REQ-RDR-025: boundedMemo() takes a missing third argument as an empty string", () => {
  let calls = 0;
  const join = boundedMemo<string>(10, (a, b, c) => {
    calls++;
    return `${a}/${b}${c}`;
  });
  assert.equal(
    join("/sys/fs/cgroup/memory/docker/x", "memory.stat"),
    "/sys/fs/cgroup/memory/docker/x/memory.stat",
  );
  assert.equal(
    join("/sys/fs/cgroup/memory/docker/x", "memory.stat", ""),
    "/sys/fs/cgroup/memory/docker/x/memory.stat",
  );
  assert.equal(calls, 1);
});
