import assert from "node:assert/strict";
import { parseCmdline } from "./proc_pid_cmdline.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-107: parseCmdline() splits a real NUL-separated command line", () => {
  assert.deepEqual(parseCmdline(fixture("pid_cmdline_real.bin")), [
    "/root/.pyenv/versions/3.11.7/bin/python3",
    "/tmp/cw/sock.py",
  ]);
  assert.deepEqual(parseCmdline(fixture("pid_cmdline_comm_parens.bin")), ["/tmp/cw/(a) b)", "30"]);
});

Deno.test("REQ-RDR-107: parseCmdline() returns [] for a kernel thread", () => {
  assert.deepEqual(parseCmdline(fixture("pid_cmdline_kthread.bin")), []);
});

Deno.test("REQ-RDR-107: parseCmdline() keeps empty arguments and handles a missing trailing NUL", () => {
  assert.deepEqual(parseCmdline("a\0\0b\0"), ["a", "", "b"]);
  assert.deepEqual(parseCmdline("nginx: worker process"), ["nginx: worker process"]);
  assert.deepEqual(parseCmdline("\0"), [""]);
});
