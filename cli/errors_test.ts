import assert from "node:assert/strict";
import { exitCodeOf, messageOf, NotFoundError, quote, UsageError } from "./errors.ts";

Deno.test("REQ-CLI-005: exitCodeOf() gives 2 for usage errors and 1 for everything else", () => {
  assert.equal(exitCodeOf(new UsageError("monitor: missing level")), 2);
  assert.equal(exitCodeOf(new NotFoundError("no process with PID 7")), 1);
  assert.equal(exitCodeOf(new Error("boom")), 1);
  assert.equal(exitCodeOf(new Deno.errors.PermissionDenied("denied")), 1);
  assert.equal(exitCodeOf("a thrown string"), 1);
});

Deno.test("REQ-CLI-004: messageOf() keeps only the first line of a message, never the stack", () => {
  const error = new Error('Cannot parse "cpu.stat": bad line\n  while reading /sys/fs/cgroup');
  assert.equal(messageOf(error), 'Cannot parse "cpu.stat": bad line');
  assert.equal(
    messageOf(new NotFoundError('no container matches "x"')),
    'no container matches "x"',
  );
  assert.equal(messageOf(42), "42");
});

Deno.test("REQ-CLI-004: quote() keeps a value with a newline on one line", () => {
  assert.equal(quote("-1"), '"-1"');
  assert.equal(quote("ünï"), '"ünï"');
  assert.equal(quote("a\nb"), '"a\\nb"');
  assert.equal(
    messageOf(new UsageError(`monitor: ${quote("a\nb")} is not a PID`)),
    'monitor: "a\\nb" is not a PID',
  );
  assert.equal(quote(undefined), '"undefined"');
});
