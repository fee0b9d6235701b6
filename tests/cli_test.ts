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
    /^fgm: monitor process: "abc" is not a PID \(1 to 4194304\)$/,
  );
  assertOneLineError(await runFgm(["monitor", "pods"]), 2, /unknown level "pods"/);
  assertOneLineError(await runFgm(["monitor", "container"]), 2, /missing container id or name/);
  assertOneLineError(await runFgm(["monitor", "host", "--interval", "0"]), 2, /--interval/);
});

Deno.test("REQ-CLI-007, REQ-CLI-009, REQ-CLI-011: impossible monitor values exit 2 with one line in fgm's words", async () => {
  const range = "a duration from 100ms to 24h \\(seconds, or with a unit: 500ms, 2s, 5m, 2h, 7d\\)";
  const cases: [string[], RegExp][] = [
    [
      ["host", "--interval", "1e9"],
      new RegExp(`^fgm: monitor: --interval takes ${range}, not "1e9"$`),
    ],
    [
      ["host", "--interval", "1e-9"],
      new RegExp(`^fgm: monitor: --interval takes ${range}, not "1e-9"$`),
    ],
    [
      ["host", "--interval", "-1"],
      new RegExp(`^fgm: monitor: --interval takes ${range}, not "-1"$`),
    ],
    [["host", "--interval=-1"], new RegExp(`^fgm: monitor: --interval takes ${range}, not "-1"$`)],
    [["host", "--watch", "-1"], new RegExp(`^fgm: monitor: --watch takes ${range}, not "-1"$`)],
    [["process", "-5"], /^fgm: monitor process: "-5" is not a PID \(1 to 4194304\)$/],
    [
      ["process", "99999999999999999999999"],
      /^fgm: monitor process: "99999999999999999999999" is not a PID \(1 to 4194304\)$/,
    ],
    [["host", "--proc-root", ""], /^fgm: monitor: --proc-root needs a value, not ""$/],
  ];
  const runs = await Promise.all(cases.map(([args]) => runFgm(["monitor", ...args])));
  runs.forEach((r, i) => {
    assertOneLineError(r, 2, cases[i][1]);
    assert.equal(r.stdout, "");
  });
});

Deno.test("REQ-CLI-008, REQ-CLI-010: impossible collect values exit 2 with one line, before any file is touched", async () => {
  const cwd = Deno.makeTempDirSync({ prefix: "fgm-cli-" });
  try {
    const cases: [string[], RegExp][] = [
      [
        ["--max-disk", "0"],
        /^fgm: collect: --max-disk takes a size from 64K to 1024T .*, not "0"$/,
      ],
      [
        ["--duration", "0"],
        /^fgm: collect: --duration takes a duration from 100ms to 3650d .*, not "0"$/,
      ],
      [["--flush", "0"], /^fgm: collect: --flush takes a duration from 1s to 1h .*, not "0"$/],
      [
        ["--retention=-1"],
        /^fgm: collect: --retention takes a duration from 1m to 3650d .*, not "-1"$/,
      ],
      [["--out", ""], /^fgm: collect: --out needs a value, not ""$/],
      [["--out", " "], /^fgm: collect: --out needs a value, not " "$/],
      [["--identifier", ""], /^fgm: collect: --identifier needs a value, not ""$/],
    ];
    const runs = await Promise.all(
      cases.map(([args]) =>
        new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "--quiet",
            new URL("../mod.ts", import.meta.url).pathname,
            "collect",
            ...args,
          ],
          cwd,
          env: { NO_COLOR: "1" },
        }).output()
      ),
    );
    runs.forEach((out, i) => {
      const decode = (b: Uint8Array) => new TextDecoder().decode(b);
      const r = { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
      assertOneLineError(r, 2, cases[i][1]);
      assert.equal(r.stdout, "");
    });
    assert.deepEqual([...Deno.readDirSync(cwd)], [], "nothing written, not even ./fgm-data");
  } finally {
    Deno.removeSync(cwd, { recursive: true });
  }
});

Deno.test("REQ-CLI-007, REQ-CLI-008: the help of collect and monitor shows every range", async () => {
  const [collect, monitor] = await Promise.all([
    runFgm(["collect", "--help"]),
    runFgm(["monitor", "--help"]),
  ]);
  for (
    const line of [
      /--interval <duration> +sampling interval, 100ms to 24h/,
      /--pss-interval <dur> .*0 \(off\) or 100ms to 24h/,
      /--flush <duration> .*1s to 1h/,
      /--compact-after <dur> .*0 to 24h/,
      /--compact-span <dur> .*15s to 24h/,
      /--retention <duration> .*1m to 3650d/,
      /--max-disk <size> .*64K to 1024T/,
      /--duration <duration> .*--interval to 3650d/,
    ]
  ) {
    assert.match(collect.stdout, line);
  }
  assert.match(monitor.stdout, /--watch \[duration\] .*every 100ms to 24h/);
  assert.match(monitor.stdout, /--interval <duration> .*100ms to 24h/);
  assert.match(monitor.stdout, /A PID is 1 to 4194304/);
});

// ---------------------------------------------------------------------------------------------
// Runtime errors

Deno.test("REQ-MON-009: monitor process of an unknown PID exits 1 with one line", async () => {
  assertOneLineError(
    // PID_MAX_LIMIT itself: a valid PID that no process ever has (PIDs stay below pid_max).
    await runFgm(["monitor", "process", "4194304"]),
    1,
    /^fgm: no process with PID 4194304$/,
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
