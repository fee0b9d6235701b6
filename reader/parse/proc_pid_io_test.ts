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
