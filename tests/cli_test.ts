/**
 * The `fgm` command line as a user meets it: help, version, usage errors and their exit codes,
 * one-line errors, and `fgm monitor` on this machine's own processes (see specs/cli.md and
 * specs/monitor.md). Every test runs the real CLI in a subprocess.
 */

import assert from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { type FgmResult, runFgm, spawnFgm } from "./support/fgm.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** Asserts that a run failed with `code` and exactly one `fgm: ` line on stderr, no stack. */
function assertOneLineError(r: FgmResult, code: number, pattern?: RegExp): string {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `one stderr line, got:\n${r.stderr}`);
  assert.ok(lines[0].startsWith("fgm: "), `starts with "fgm: ": ${lines[0]}`);
  assert.ok(r.stderr.endsWith("\n"));
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  if (pattern) assert.match(lines[0], pattern);
  return lines[0];
}

/** A `sleep` child of this test, killed and reaped by `stop()`. */
function startSleep(seconds = 60) {
  const child = new Deno.Command("sleep", {
    args: [String(seconds)],
    stdout: "null",
    stderr: "null",
  })
    .spawn();
  return {
    pid: child.pid,
    async stop() {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
      await child.status;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Help, version, usage errors

Deno.test("REQ-CLI-001: fgm --help, -h and help print the usage and exit 0", async () => {
  for (const flag of ["--help", "-h", "help"]) {
    const r = await runFgm([flag]);
    assert.equal(r.code, 0, flag);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^fgm \d+\.\d+\.\d+ — /);
    assert.match(r.stdout, /^Usage:$/m);
    for (const sub of ["collect", "view", "monitor"]) {
      assert.match(r.stdout, new RegExp(`fgm ${sub} `));
    }
  }
});

Deno.test("REQ-CLI-001: fgm without arguments prints the usage and exits 2", async () => {
  const r = await runFgm([]);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /^Usage:$/m);
});

Deno.test("REQ-CLI-002: fgm --version and -V print the version of deno.json", async () => {
  for (const flag of ["--version", "-V"]) {
    const r = await runFgm([flag]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `fgm ${denoJson.version}\n`);
    assert.equal(r.stderr, "");
  }
});

Deno.test("REQ-CLI-001: fgm monitor --help prints the monitor usage and exits 0", async () => {
  for (const args of [["monitor", "--help"], ["monitor", "container", "-h"]]) {
    const r = await runFgm(args);
    assert.equal(r.code, 0, args.join(" "));
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^Usage: fgm monitor <level> \[target\] \[options\]$/m);
    for (const level of ["host", "process <pid>", "container <id|name>", "all", "gap"]) {
      assert.ok(r.stdout.includes(`  ${level} `), `help lists ${level}`);
    }
    for (const option of ["--json", "--watch", "--interval", "--proc-root"]) {
      assert.ok(r.stdout.includes(option), `help lists ${option}`);
    }
  }
});

Deno.test("REQ-CLI-003: an unknown subcommand exits 2 with one line on stderr", async () => {
  const r = await runFgm(["frobnicate"]);
  assertOneLineError(r, 2, /^fgm: unknown subcommand "frobnicate"/);
  assert.equal(r.stdout, "");
});

Deno.test("REQ-CLI-003: an unknown flag exits 2 with one line on stderr", async () => {
  assertOneLineError(await runFgm(["--frobnicate"]), 2, /unknown option "--frobnicate"/);
  assertOneLineError(
    await runFgm(["monitor", "host", "--frobnicate"]),
    2,
    /^fgm: monitor: Unknown option '--frobnicate'$/,
  );
});

Deno.test("REQ-CLI-003: a bad monitor level, target or option value exits 2", async () => {
  assertOneLineError(
    await runFgm(["monitor", "process", "abc"]),
    2,
    /^fgm: monitor process: "abc" is not a PID$/,
  );
  assertOneLineError(await runFgm(["monitor", "pods"]), 2, /unknown level "pods"/);
  assertOneLineError(await runFgm(["monitor", "container"]), 2, /missing container id or name/);
  assertOneLineError(await runFgm(["monitor", "host", "--interval", "0"]), 2, /--interval/);
});

// ---------------------------------------------------------------------------------------------
// Runtime errors

Deno.test("REQ-MON-009: monitor process of an unknown PID exits 1 with one line", async () => {
  assertOneLineError(
    await runFgm(["monitor", "process", "999999999"]),
    1,
    /^fgm: no process with PID 999999999$/,
  );
});

Deno.test("REQ-MON-009: monitor container of an unknown name exits 1 with one line", async () => {
  assertOneLineError(
    await runFgm(["monitor", "container", "no-such-thing"]),
    1,
    /^fgm: no container matches "no-such-thing" \(\d+ containers on this node\)$/,
  );
});

Deno.test("REQ-CLI-004: an unreadable --proc-root exits 1 with one line, not a stack trace", async () => {
  const r = await runFgm(["monitor", "host", "--proc-root", "/nonexistent"]);
  assertOneLineError(r, 1, /\/nonexistent/);
  assert.equal(r.stdout, "");
});

Deno.test({
  name: "REQ-MON-011: a process that exits during the interval gives exit 1 and one line",
  sanitizeResources: false,
  fn: async () => {
    const sleep = startSleep();
    const run = runFgm(["monitor", "process", String(sleep.pid), "--interval", "5"]);
    // fgm starts and takes its first sweep well within 2.5 s; the process dies before the second.
    await new Promise((r) => setTimeout(r, 2500));
    await sleep.stop();
    assertOneLineError(await run, 1, new RegExp(`^fgm: process ${sleep.pid} exited$`));
  },
});

// ---------------------------------------------------------------------------------------------
// Output on this machine

Deno.test("REQ-MON-002: monitor process shows a sleep child of this test in a table", async () => {
  const sleep = startSleep();
  try {
    const r = await runFgm(["monitor", "process", String(sleep.pid)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, new RegExp(`^Process ${sleep.pid} \\(sleep\\)$`, "m"));
    assert.match(r.stdout, new RegExp(`^ {2}pid: +${sleep.pid}$`, "m"));
    assert.match(r.stdout, /^ {2}name: +sleep$/m);
    assert.match(r.stdout, /^ {2}cmdline: +\S*sleep 60$/m);
    assert.match(r.stdout, new RegExp(`^ {2}ppid: +${Deno.pid}$`, "m"));
    assert.match(r.stdout, /^ {2}cpu: +0\.0% of a core/m, "sleep uses no CPU");
  } finally {
    await sleep.stop();
  }
});

Deno.test("REQ-MON-007: monitor host --json prints one JSON document and nothing on stderr", async () => {
  const r = await runFgm(["monitor", "host", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const doc: Json = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), [
    "hostname",
    "kernel",
    "os",
    "uptimeSeconds",
    "cpuCount",
    "cpu",
    "load",
    "memory",
    "pressure",
    "filesystems",
    "interfaces",
    "processes",
    "containers",
    "notes",
  ]);
  assert.ok(doc.cpuCount >= 1);
  assert.ok(doc.memory.totalBytes > 0);
  assert.ok(doc.processes > 1);
  assert.ok(Array.isArray(doc.containers));
});

Deno.test("REQ-MON-007: monitor process --json documents this test's sleep child", async () => {
  const sleep = startSleep();
  try {
    const r = await runFgm(["monitor", "process", String(sleep.pid), "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const doc: Json = JSON.parse(r.stdout);
    assert.equal(doc.pid, sleep.pid);
    assert.equal(doc.name, "sleep");
    assert.equal(doc.ppid, Deno.pid);
    assert.match(doc.cmdline, /^\S*sleep 60$/);
    assert.equal(doc.cpuMillicores, 0);
    assert.ok(doc.rssBytes > 0);
    assert.ok(doc.startedAtMs > Date.now() - 120_000 && doc.startedAtMs <= Date.now());
  } finally {
    await sleep.stop();
  }
});

Deno.test("REQ-MON-004: monitor all --json prints the host and a document per container", async () => {
  const r = await runFgm(["monitor", "all", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const doc: Json = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), ["host", "containers"]);
  assert.deepEqual(
    doc.containers.map((c: Json) => c.id),
    doc.host.containers.map((c: Json) => c.id),
  );
});

Deno.test("REQ-MON-005: monitor gap --json counts this machine's processes outside containers", async () => {
  const r = await runFgm(["monitor", "gap", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const doc: Json = JSON.parse(r.stdout);
  assert.ok(doc.intervalSeconds >= 1 && doc.intervalSeconds < 2);
  const outside = doc.findings.find((f: Json) => f.id === "processes-outside-containers");
  assert.ok(outside.values.processes >= 2, "at least this test and fgm run outside containers");
  assert.ok(outside.values.rssBytes > 0);
});

Deno.test({
  name: "REQ-MON-008: monitor host --json --watch 1 prints one JSON document per line until killed",
  sanitizeResources: false,
  fn: async () => {
    const child = spawnFgm(["monitor", "host", "--json", "--watch", "1"]);
    const stderr = new Response(child.stderr).text();
    let stdout = "";
    const reading = (async () => {
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) stdout += chunk;
    })();
    const started = Date.now();
    // Kill after ~2.5 s, or later on a slow machine once two documents are out (at most 30 s).
    while (true) {
      await new Promise((r) => setTimeout(r, 100));
      const elapsed = Date.now() - started;
      const complete = stdout.split("\n").length - 1;
      if ((elapsed >= 2500 && complete >= 2) || elapsed >= 30_000) break;
    }
    child.kill("SIGTERM");
    await child.status;
    await reading;
    assert.equal(await stderr, "");
    const lines = stdout.split("\n").filter((l) => l !== "");
    assert.ok(lines.length >= 2, `at least 2 lines, got ${lines.length}: ${stdout.slice(0, 200)}`);
    const docs = lines.map((l) => JSON.parse(l));
    for (const d of docs) assert.equal(typeof d.cpuCount, "number");
    assert.ok(docs[1].uptimeSeconds > docs[0].uptimeSeconds, "each line is a new sample");
  },
});
