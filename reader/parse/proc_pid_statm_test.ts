import assert from "node:assert/strict";
import { parseStatm } from "./proc_pid_statm.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-103: parseStatm() reads page counts of a real process", () => {
  // 6581 5680 1757 1 0 4134 0
  assert.deepEqual(parseStatm(fixture("pid_statm_real.txt")), {
    size: 6581,
    resident: 5680,
    shared: 1757,
    text: 1,
    data: 4134,
  });
});

Deno.test("REQ-RDR-103: parseStatm() reads zeros for a kernel thread", () => {
  assert.deepEqual(parseStatm(fixture("pid_statm_kthread.txt")), {
    size: 0,
    resident: 0,
    shared: 0,
    text: 0,
    data: 0,
  });
});

Deno.test("REQ-RDR-118: parseStatm() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parseStatm("765 409 381 5 0 123 0\n\n").data, 123);
  assert.equal(parseStatm("765 409 381 5 0 123 0").size, 765);
  assert.throws(
    () => parseStatm("765 409 381"),
    /^SyntaxError: Cannot parse "\/proc\/<pid>\/statm"/,
  );
  assert.throws(() => parseStatm("765 409 x 5 0 123 0"), SyntaxError);
  assert.throws(() => parseStatm(""), SyntaxError);
});

Deno.test("REQ-RDR-301: parseStatm() refuses negative and too large page counts", () => {
  assert.throws(
    () => parseStatm("-1 5680 1757 1 0 4134 0\n"),
    /Cannot parse "\/proc\/<pid>\/statm": field 1 is negative/,
  );
  assert.throws(
    () => parseStatm(`6581 ${"9".repeat(400)} 1757 1 0 4134 0\n`),
    /field 2 is above 2\^64-1/,
  );
});
