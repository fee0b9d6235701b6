import assert from "node:assert/strict";
import { optionalValue, parse, seconds } from "./args.ts";

Deno.test("REQ-CLI-003: parse() turns an unknown flag or a missing value into a UsageError", () => {
  const options = { json: { type: "boolean" as const }, interval: { type: "string" as const } };
  const parsed = parse("monitor", ["host", "--json"], options);
  assert.deepEqual({ ...parsed.values }, { json: true });
  assert.deepEqual(parsed.positionals, ["host"]);
  assert.throws(() => parse("monitor", ["--bogus"], options), {
    name: "UsageError",
    message: "monitor: Unknown option '--bogus'",
  });
  assert.throws(() => parse("monitor", ["--interval"], options), {
    name: "UsageError",
    message: /^monitor: Option '--interval <value>' argument missing$/,
  });
});

Deno.test("REQ-CLI-003: optionalValue() takes the number after a flag or falls back", () => {
  assert.deepEqual(optionalValue(["host", "--watch"], "--watch", "2"), ["host", "--watch=2"]);
  assert.deepEqual(optionalValue(["--watch", "host"], "--watch", "2"), ["--watch=2", "host"]);
  assert.deepEqual(optionalValue(["--watch", "0.5", "gap"], "--watch", "2"), [
    "--watch=0.5",
    "gap",
  ]);
  assert.deepEqual(optionalValue(["--watch=3"], "--watch", "2"), ["--watch=3"]);
});

Deno.test("REQ-CLI-003: seconds() accepts positive numbers only", () => {
  assert.equal(seconds("--interval", "1.5"), 1.5);
  for (const bad of ["0", "-1", "abc", "", "Infinity"]) {
    assert.throws(() => seconds("--interval", bad), {
      name: "UsageError",
      message: `--interval takes a positive number of seconds, not "${bad}"`,
    });
  }
  assert.throws(() => seconds("--interval", true), { name: "UsageError" });
});
