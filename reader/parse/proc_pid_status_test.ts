import assert from "node:assert/strict";
import { parsePidStatus } from "./proc_pid_status.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-102: parsePidStatus() reads a real process's status", () => {
  assert.deepEqual(parsePidStatus(fixture("pid_status_real.txt")), {
    name: "python3",
    state: "S",
    tgid: 2596,
    pid: 2596,
    ppid: 1,
    uids: [0, 0, 0, 0],
    gids: [0, 0, 0, 0],
    nsPids: [2596],
    nsTgids: [2596],
    threads: 1,
    vmRssBytes: 22720 * 1024,
    vmSizeBytes: 26324 * 1024,
    vmSwapBytes: 0,
    rssAnonBytes: 15692 * 1024,
    rssFileBytes: 7028 * 1024,
    rssShmemBytes: 0,
    voluntaryCtxtSwitches: 101,
    nonvoluntaryCtxtSwitches: 6,
  });
});

Deno.test("REQ-RDR-102: parsePidStatus() gives null memory for a kernel thread", () => {
  const status = parsePidStatus(fixture("pid_status_kthread.txt"));
  assert.equal(status.name, "kthreadd");
  assert.equal(status.ppid, 0);
  assert.deepEqual(status.nsPids, [2]);
  assert.equal(status.vmRssBytes, null);
  assert.equal(status.vmSizeBytes, null);
  assert.equal(status.vmSwapBytes, null);
  assert.equal(status.rssAnonBytes, null);
  assert.equal(status.rssFileBytes, null);
  assert.equal(status.rssShmemBytes, null);
  assert.equal(typeof status.voluntaryCtxtSwitches, "number");
});

Deno.test("REQ-RDR-102: parsePidStatus() reads nested PID namespaces", () => {
  const status = parsePidStatus(fixture("pid_status_container.txt"));
  assert.deepEqual(status.nsPids, [2596, 1]);
  assert.deepEqual(status.nsTgids, [2596, 1]);
  assert.equal(status.nsPids?.at(-1), 1);
});

Deno.test("REQ-RDR-102: parsePidStatus() gives null for lines an old kernel lacks", () => {
  const status = parsePidStatus(fixture("pid_status_linux3_10.txt"));
  assert.equal(status.name, "bash");
  assert.deepEqual(status.uids, [1000, 1000, 1000, 1000]);
  assert.equal(status.nsPids, null);
  assert.equal(status.nsTgids, null);
  assert.equal(status.rssAnonBytes, null);
  assert.equal(status.rssFileBytes, null);
  assert.equal(status.rssShmemBytes, null);
  assert.equal(status.vmRssBytes, 2048 * 1024);
  assert.equal(status.voluntaryCtxtSwitches, 40);
});

Deno.test("REQ-RDR-102: parsePidStatus() keeps spaces and parentheses and unescapes the name", () => {
  assert.equal(parsePidStatus(fixture("pid_status_comm_parens.txt")).name, "(a) b)");
  const base = fixture("pid_status_real.txt");
  assert.equal(
    parsePidStatus(base.replace("Name:\tpython3", "Name:\t a\\nb\\\\c ")).name,
    " a\nb\\c ",
  );
  assert.equal(parsePidStatus(base.replace("Name:\tpython3", "Name:\tx: y")).name, "x: y");
});

Deno.test("REQ-RDR-118: parsePidStatus() tolerates trailing newlines", () => {
  assert.equal(parsePidStatus(fixture("pid_status_real.txt") + "\n\n").threads, 1);
});

Deno.test("REQ-RDR-118: parsePidStatus() throws SyntaxError on garbage and truncation", () => {
  const real = fixture("pid_status_real.txt");
  const truncated = real.slice(0, real.indexOf("Uid:"));
  assert.throws(
    () => parsePidStatus(truncated),
    (error: unknown) =>
      error instanceof SyntaxError &&
      error.message === 'Cannot parse "/proc/<pid>/status": no "Uid:" line',
  );
  assert.throws(() => parsePidStatus(""), SyntaxError);
  assert.throws(() => parsePidStatus("garbage"), SyntaxError);
  assert.throws(
    () => parsePidStatus(real.replace("VmRSS:\t   22720 kB", "VmRSS:\t   22x20 kB")),
    SyntaxError,
  );
  assert.throws(() => parsePidStatus(real.replace("Uid:\t0\t0\t0\t0", "Uid:\t0\t0")), SyntaxError);
});

Deno.test("REQ-RDR-301: parsePidStatus() refuses negative and too large IDs, counts and sizes", () => {
  const real = fixture("pid_status_real.txt");
  const cases: [RegExp, string, RegExp][] = [
    [
      /^VmRSS:.*$/m,
      "VmRSS:\t      -5 kB",
      /Cannot parse "\/proc\/<pid>\/status": VmRSS is negative/,
    ],
    [/^VmRSS:.*$/m, "VmRSS:\t18014398509481984 kB", /VmRSS \(kB\) is above 2\^64-1 bytes/],
    [/^Uid:.*$/m, "Uid:\t-1\t0\t0\t0", /Uid is negative/],
    [/^Threads:.*$/m, "Threads:\t18446744073709551616", /Threads is above 2\^64-1/],
    [/^voluntary_ctxt_switches:.*$/m, "voluntary_ctxt_switches:\t-3", /is negative/],
    [/^NSpid:.*$/m, "NSpid:\t2596 -1", /NSpid is negative/],
  ];
  for (const [line, replacement, message] of cases) {
    assert.match(real, line);
    assert.throws(() => parsePidStatus(real.replace(line, replacement)), message, replacement);
  }
});
