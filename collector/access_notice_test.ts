import assert from "node:assert/strict";
import {
  accessNoticeLine,
  lostColumns,
  missingCapabilities,
  parseCapEff,
  probeProcessAccess,
} from "./access_notice.ts";

const PTRACE = 1n << 19n, DAC_READ_SEARCH = 1n << 2n, DAC_OVERRIDE = 1n << 1n;

Deno.test("REQ-DEP-022: the capabilities whose absence explains a refused read", () => {
  assert.deepEqual(missingCapabilities(PTRACE | DAC_READ_SEARCH), []);
  assert.deepEqual(missingCapabilities(DAC_READ_SEARCH), ["CAP_SYS_PTRACE"]);
  assert.deepEqual(missingCapabilities(PTRACE), ["CAP_DAC_READ_SEARCH"]);
  assert.deepEqual(missingCapabilities(PTRACE | DAC_OVERRIDE), [], "DAC override reads too");
  assert.deepEqual(missingCapabilities(0n), ["CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH"]);
  assert.deepEqual(missingCapabilities(null), []);
  assert.equal(parseCapEff("Name:\tx\nCapEff:\t0000000000080004\n"), PTRACE | DAC_READ_SEARCH);
  assert.equal(parseCapEff("Name:\tx\n"), null);
});

Deno.test("REQ-DEP-022: one line naming the lost columns and the missing capability", () => {
  const probe = { tried: 40, denied: 12, example: "/host/proc/1/io", capEff: DAC_READ_SEARCH };
  assert.equal(
    accessNoticeLine(probe),
    'cannot read /proc/<pid>/io of 12 of 40 processes ("/host/proc/1/io": permission denied; ' +
      "missing CAP_SYS_PTRACE): their io_read_bytes, io_write_bytes and memory_pss_bytes are " +
      "left null (run as root, or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH)",
  );
  assert.equal(accessNoticeLine({ ...probe, denied: 0 }), null);
  assert.deepEqual(lostColumns(["CAP_DAC_READ_SEARCH"]), [
    "io_read_bytes",
    "io_write_bytes",
    "fds",
  ]);
  assert.deepEqual(lostColumns([]), ["io_read_bytes", "io_write_bytes", "memory_pss_bytes"]);
  assert.deepEqual(lostColumns(["CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH"]), [
    "io_read_bytes",
    "io_write_bytes",
    "memory_pss_bytes",
    "fds",
  ]);
  // A refusal no capability explains (a security module, a process beyond this user namespace).
  const other = accessNoticeLine({ ...probe, denied: 1, capEff: PTRACE | DAC_READ_SEARCH })!;
  assert.doesNotMatch(other, /missing|run as root/);
  assert.match(other, /security module/);
  assert.ok(!other.includes("\n"));
});

Deno.test({
  name: "REQ-DEP-022: the probe reads every other process's io file of a real /proc",
  ignore: Deno.build.os !== "linux",
  fn: () => {
    const probe = probeProcessAccess("/proc");
    assert.ok(probe.tried > 1, `${probe.tried} processes tried`);
    assert.ok(probe.denied <= probe.tried);
    assert.ok(probe.capEff !== null);
    if (Deno.uid() !== 0) {
      // Another user's processes (PID 1 at least) refuse an unprivileged reader.
      assert.ok(probe.denied > 0 && probe.example !== null);
    }
    assert.deepEqual(probeProcessAccess("/nonexistent-proc"), {
      tried: 0,
      denied: 0,
      example: null,
      capEff: probe.capEff,
    });
  },
});
