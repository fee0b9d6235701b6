import assert from "node:assert/strict";
import {
  optionalKey,
  parseCgroupInteger,
  parseCgroupMaxOrInteger,
  parseCgroupSignedInteger,
  parseFlatKeyed,
  requiredKey,
} from "./cgroup_util.ts";

const NINES = "9".repeat(400);

Deno.test("parseCgroupInteger() reads one integer and names the file in errors", () => {
  assert.equal(parseCgroupInteger("42\n", "memory.current"), 42);
  // The fast path for the kernel's `<digits>\n` and the general path agree at their edges.
  assert.equal(parseCgroupInteger("42", "memory.current"), 42);
  assert.equal(parseCgroupInteger(" 42 \n\n", "memory.current"), 42);
  assert.equal(parseCgroupInteger("007\n", "memory.current"), 7);
  assert.equal(parseCgroupInteger("999999999999999\n", "x"), 999999999999999);
  assert.equal(parseCgroupInteger("18446744073709551615\n", "x"), 18446744073709551615);
  for (const bad of ["", "\n", "4 2\n", "1\n2\n", "0x10\n", "-\n", "12a\n", "1\n\n2"]) {
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

Deno.test("parseFlatKeyed() reads odd spacing, CRLF, negatives and blank lines as a per-line split would", () => {
  const text = "a 1\n\n  b 2\nc\t3\nd 4 \ne  5\r\nf 6\ng 7\ng 8\nh 9\né 10";
  assert.deepEqual(parseFlatKeyed(text, "x.stat"), {
    a: 1,
    b: 2,
    c: 3,
    d: 4,
    e: 5,
    f: 6,
    g: 7,
    h: 9,
    é: 10,
  });
  for (const bad of ["a 1 2", "a\tb 3", "a 1x", "b -", "key", "a 1\nb 2 3"]) {
    assert.throws(() => parseFlatKeyed(bad, "x.stat"), /Cannot parse "x\.stat"/, bad);
  }
});

Deno.test("REQ-RDR-223: parseFlatKeyed() with only keeps those keys and still rejects garbage lines", () => {
  const text = "cache 10\nrss 20\ntotal_rss 30\nmapped_file 40\nrss_huge 50\n";
  assert.deepEqual(parseFlatKeyed(text, "memory.stat", ["rss", "total_rss", "swap"]), {
    rss: 20,
    total_rss: 30,
  });
  assert.throws(
    () => parseFlatKeyed("rss 20\nthis is garbage\n", "memory.stat", ["rss"]),
    /memory\.stat.*garbage/,
  );
  assert.throws(() => parseFlatKeyed("rss twenty\n", "memory.stat", ["rss"]), SyntaxError);
});

Deno.test("REQ-RDR-301: parseCgroupInteger() refuses a sign and values above 2^64-1 on both paths", () => {
  // 15 digits take the fast path, more the general one: both bounds hold at the seam.
  assert.equal(parseCgroupInteger("999999999999999\n", "memory.current"), 999999999999999);
  assert.equal(parseCgroupInteger("9999999999999999\n", "memory.current"), 9999999999999999);
  assert.equal(parseCgroupInteger("0018446744073709551615\n", "x"), 18446744073709551615);
  // 16 to 20 digits stay on the fast path when within 2^64-1 (v1's "unlimited" has 19).
  assert.equal(parseCgroupInteger("9223372036854771712\n", "x"), 9223372036854771712);
  assert.deepEqual(parseFlatKeyed("hierarchical_memory_limit 9223372036854771712\n", "x"), {
    hierarchical_memory_limit: 9223372036854771712,
  });
  const cases: [string, RegExp][] = [
    ["-5\n", /^SyntaxError: Cannot parse "memory\.current": value is negative: "-5"/],
    ["-1\n", /^SyntaxError: Cannot parse "memory\.current": value is negative: "-1"/],
    ["-0\n", /value is negative/],
    // Number() reads this as 2^64 exactly like 2^64-1: the digits are compared instead.
    [
      "18446744073709551616\n",
      /^SyntaxError: Cannot parse "memory\.current": value is above 2\^64-1/,
    ],
    [`${NINES}\n`, /value is above 2\^64-1/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseCgroupInteger(text, "memory.current"), message, text);
    assert.throws(() => parseCgroupMaxOrInteger(text, "memory.current"), message, text);
  }
});

Deno.test("REQ-RDR-302: parseCgroupSignedInteger() reads a signed value within 64 bits", () => {
  assert.equal(parseCgroupSignedInteger("-1\n", "cpu.cfs_quota_us"), -1);
  assert.equal(parseCgroupSignedInteger("20000\n", "cpu.cfs_quota_us"), 20000);
  assert.equal(
    parseCgroupSignedInteger("-9223372036854775808\n", "cpu.cfs_quota_us"),
    -9223372036854775808,
  );
  for (const text of ["-9223372036854775809\n", "9223372036854775808\n", `-${NINES}\n`, "--1\n"]) {
    assert.throws(
      () => parseCgroupSignedInteger(text, "cpu.cfs_quota_us"),
      /^SyntaxError: Cannot parse "cpu\.cfs_quota_us": value is (outside the signed 64-bit range|not an integer)/,
      text,
    );
  }
});

Deno.test("REQ-RDR-301: parseFlatKeyed() refuses negative and too large values on both paths", () => {
  assert.deepEqual(parseFlatKeyed("a 999999999999999\nb 18446744073709551615\n", "cpu.stat"), {
    a: 999999999999999,
    b: 18446744073709551615,
  });
  const cases: [string, RegExp][] = [
    ["usage_usec -6\n", /^SyntaxError: Cannot parse "cpu\.stat": usage_usec is negative: "-6"/],
    ["usage_usec 18446744073709551616\n", /usage_usec is above 2\^64-1/],
    [`usage_usec ${NINES}\n`, /usage_usec is above 2\^64-1/],
    ["usage_usec 1.5\n", /usage_usec is not an integer: "1\.5"/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseFlatKeyed(text, "cpu.stat"), message, text);
  }
});

Deno.test("REQ-RDR-305: parseFlatKeyed() with only checks the value of every line, wanted or not", () => {
  for (const line of ["unknown garbage", "unknown -5", `unknown ${NINES}`, "unknown 1e3"]) {
    const text = `rss 20\n${line}\ntotal_rss 30\n`;
    assert.throws(
      () => parseFlatKeyed(text, "memory.stat", ["rss", "total_rss"]),
      /^SyntaxError: Cannot parse "memory\.stat": unknown is /,
      line,
    );
  }
  // A well-formed line of a key not asked for is still skipped without a string made for it.
  assert.deepEqual(parseFlatKeyed("rss 20\nunknown 5\n", "memory.stat", ["rss"]), { rss: 20 });
});
