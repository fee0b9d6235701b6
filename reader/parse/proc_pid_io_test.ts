import assert from "node:assert/strict";
import { parsePidIo } from "./proc_pid_io.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-105: parsePidIo() reads a real process's I/O counters", () => {
  assert.deepEqual(parsePidIo(fixture("pid_io_real.txt")), {
    rchar: 1804880,
    wchar: 101721,
    syscr: 684,
    syscw: 32,
    readBytes: 11075584,
    writeBytes: 163840,
    cancelledWriteBytes: 0,
  });
});

Deno.test("REQ-RDR-118: parsePidIo() tolerates trailing newlines", () => {
  assert.equal(parsePidIo(fixture("pid_io_real.txt") + "\n\n").syscw, 32);
});

Deno.test("REQ-RDR-118: parsePidIo() throws SyntaxError on truncated or garbage text", () => {
  const real = fixture("pid_io_real.txt");
  assert.throws(
    () => parsePidIo(real.slice(0, real.indexOf("write_bytes"))),
    /Cannot parse "\/proc\/<pid>\/io": no "write_bytes:" line/,
  );
  assert.throws(() => parsePidIo(""), SyntaxError);
  assert.throws(() => parsePidIo(real.replace("684", "6x4")), SyntaxError);
});
const NINES = "9".repeat(400);

Deno.test("REQ-RDR-301: parsePidIo() refuses negative and too large counters", () => {
  const real = fixture("pid_io_real.txt");
  const cases: [string, RegExp][] = [
    ["rchar: -5", /Cannot parse "\/proc\/<pid>\/io": rchar is negative: "-5"/],
    ["rchar: 18446744073709551616", /rchar is above 2\^64-1/],
    [`rchar: ${NINES}`, /rchar is above 2\^64-1/],
    ["rchar: 1.5", /rchar is not an integer/],
  ];
  for (const [line, message] of cases) {
    assert.throws(() => parsePidIo(real.replace("rchar: 1804880", line)), message, line);
  }
  // Every line is checked, also one of a key this parser does not use.
  assert.throws(() => parsePidIo(`${real}future_key: -1\n`), /future_key is negative/);
  assert.equal(
    parsePidIo(real.replace("rchar: 1804880", "rchar: 18446744073709551615")).rchar,
    2 ** 64,
  );
});
