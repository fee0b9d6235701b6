import assert from "node:assert/strict";
import {
  optionalKey,
  parseCgroupInteger,
  parseCgroupMaxOrInteger,
  parseFlatKeyed,
  requiredKey,
} from "./cgroup_util.ts";

Deno.test("parseCgroupInteger() reads one integer and names the file in errors", () => {
  assert.equal(parseCgroupInteger("42\n", "memory.current"), 42);
  assert.equal(parseCgroupInteger("-1\n", "cpu.cfs_quota_us"), -1);
  for (const bad of ["", "\n", "4 2\n", "1\n2\n", "0x10\n"]) {
    assert.throws(
      () => parseCgroupInteger(bad, "memory.current"),
      (e: unknown) =>
        e instanceof SyntaxError && e.message.startsWith('Cannot parse "memory.current"'),
    );
  }
});

Deno.test("parseCgroupMaxOrInteger() maps max to null", () => {
  assert.equal(parseCgroupMaxOrInteger("max\n", "memory.max"), null);
  assert.equal(parseCgroupMaxOrInteger("1073741824\n", "memory.max"), 1073741824);
  assert.throws(() => parseCgroupMaxOrInteger("MAX\n", "memory.max"), SyntaxError);
});

Deno.test("parseFlatKeyed() reads key value lines, first occurrence wins", () => {
  assert.deepEqual(parseFlatKeyed("a 1\nb 2\na 3\n\n", "x"), { a: 1, b: 2 });
  assert.throws(() => parseFlatKeyed("a 1 2\n", "x"), SyntaxError);
  assert.throws(() => parseFlatKeyed("a\n", "x"), SyntaxError);
  // Keys that collide with Object.prototype are plain keys.
  assert.deepEqual(parseFlatKeyed("constructor 1\n", "x"), { constructor: 1 });
});

Deno.test("requiredKey() throws, optionalKey() gives null for a missing key", () => {
  assert.equal(requiredKey({ a: 1 }, "a", "f"), 1);
  assert.throws(() => requiredKey({}, "a", "f"), /Cannot parse "f": missing "a"/);
  assert.equal(optionalKey({}, "a"), null);
  assert.equal(optionalKey({ a: 0 }, "a"), 0);
});
