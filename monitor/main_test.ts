import assert from "node:assert/strict";
import { UsageError } from "../cli/errors.ts";
import { parseMonitorArgs, parsePasswd } from "./main.ts";

Deno.test("REQ-MON-007: parseMonitorArgs() reads the level, target and --json", () => {
  assert.deepEqual(parseMonitorArgs(["container", "web", "--json"]), {
    level: "container",
    target: "web",
    json: true,
    watchSeconds: null,
    intervalSeconds: 1,
    roots: {},
  });
  assert.equal((parseMonitorArgs(["host"]) as { json: boolean }).json, false);
});

Deno.test("REQ-MON-008: parseMonitorArgs() takes --watch with or without seconds", () => {
  const watch = (args: string[]) =>
    (parseMonitorArgs(args) as { watchSeconds: number }).watchSeconds;
  assert.equal(watch(["host", "--watch"]), 2);
  assert.equal(watch(["--watch", "host"]), 2);
  assert.equal(watch(["host", "--watch", "5"]), 5);
  assert.equal(watch(["host", "--watch", "0.5"]), 0.5);
  assert.equal(watch(["host", "--watch=3"]), 3);
  assert.equal(watch(["host", "--watch", "2s"]), 2);
  assert.throws(() => parseMonitorArgs(["host", "--watch=0"]), UsageError);
});

Deno.test("REQ-MON-008, REQ-CLI-007: parseMonitorArgs() takes --interval and --watch as durations from 100ms to 24h", () => {
  const parsed = (args: string[]) =>
    parseMonitorArgs(args) as { intervalSeconds: number; watchSeconds: number | null };
  assert.equal(parsed(["gap", "--interval", "2.5"]).intervalSeconds, 2.5);
  assert.equal(parsed(["gap", "--interval", "500ms"]).intervalSeconds, 0.5);
  assert.equal(parsed(["gap", "--interval=2s"]).intervalSeconds, 2);
  assert.equal(parsed(["gap", "--interval", "0.1"]).intervalSeconds, 0.1);
  assert.equal(parsed(["gap", "--interval", "24h"]).intervalSeconds, 86_400);
  assert.equal(parsed(["gap", "--watch", "1m"]).watchSeconds, 60);
  assert.equal(parsed(["gap", "--watch", ".5"]).watchSeconds, 0.5);
  const range = "a duration from 100ms to 24h (seconds, or with a unit: 500ms, 2s, 5m, 2h, 7d)";
  const bad = [
    "0",
    "-1",
    "-0.5",
    "1e9",
    "1e-9",
    "0.05",
    "99ms",
    "25h",
    "NaN",
    "Infinity",
    "",
    "soon",
    "٣",
  ];
  for (const flag of ["--interval", "--watch"]) {
    for (const value of bad) {
      // `--watch NaN` is `--watch` and a level: an optional value is taken when meant as a number.
      const spaced = flag === "--interval" || /^[-+.\d]/.test(value);
      const forms = spaced
        ? [["gap", flag, value], ["gap", `${flag}=${value}`]]
        : [["gap", `${flag}=${value}`]];
      for (const args of forms) {
        assert.throws(() => parseMonitorArgs(args), {
          name: "UsageError",
          message: `monitor: ${flag} takes ${range}, not ${JSON.stringify(value)}`,
        }, JSON.stringify(args));
      }
    }
  }
  assert.throws(() => parseMonitorArgs(["gap", "--interval"]), {
    name: "UsageError",
    message: "monitor: --interval needs a value",
  });
});

Deno.test("REQ-CLI-011: parseMonitorArgs() takes a PID from 1 to 4194304 and refuses the rest", () => {
  const target = (pid: string) => (parseMonitorArgs(["process", pid]) as { target: string }).target;
  assert.equal(target("1"), "1");
  assert.equal(target("4194304"), "4194304");
  assert.equal(target("0042"), "42");
  for (
    const bad of [
      "0",
      "4194305",
      "99999999999999999999999",
      "-5",
      "-1",
      "+5",
      "1.5",
      "1e3",
      "0x10",
      "",
      " ",
      "٣",
    ]
  ) {
    assert.throws(() => parseMonitorArgs(["process", bad]), {
      name: "UsageError",
      message: `monitor process: ${JSON.stringify(bad)} is not a PID (1 to 4194304)`,
    }, bad);
  }
  assert.throws(() => parseMonitorArgs(["process", "--", "-5"]), {
    message: 'monitor process: "-5" is not a PID (1 to 4194304)',
  });
});

Deno.test("REQ-CLI-010: parseMonitorArgs() refuses an empty container name or root", () => {
  for (const level of ["container", "correlation"]) {
    assert.throws(() => parseMonitorArgs([level, ""]), {
      name: "UsageError",
      message: `monitor ${level}: "" is not a container id or name`,
    });
  }
  assert.throws(() => parseMonitorArgs(["host", "--proc-root", ""]), {
    name: "UsageError",
    message: 'monitor: --proc-root needs a value, not ""',
  });
});

Deno.test("REQ-CLI-003, REQ-CLI-009: parseMonitorArgs() rejects a bad level, target or flag with a UsageError", () => {
  const cases: [string[], string][] = [
    [[], "monitor: missing level (host, process, container, all, gap, correlation)"],
    [["pod"], 'monitor: unknown level "pod" (host, process, container, all, gap, correlation)'],
    [["process"], "monitor process: missing PID"],
    [["container"], "monitor container: missing container id or name"],
    [["correlation"], "monitor correlation: missing container id or name"],
    [["process", "abc"], 'monitor process: "abc" is not a PID (1 to 4194304)'],
    [["process", "-1"], 'monitor process: "-1" is not a PID (1 to 4194304)'],
    [["-1"], 'monitor: unknown level "-1" (host, process, container, all, gap, correlation)'],
    [["host", "-1"], 'monitor host: unexpected argument "-1"'],
    [["host", "extra"], 'monitor host: unexpected argument "extra"'],
    [["container", "a", "b"], 'monitor container: unexpected argument "b"'],
    [["host", "--bogus"], "monitor: Unknown option '--bogus'"],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseMonitorArgs(args), { name: "UsageError", message }, args.join(" "));
  }
});

Deno.test("REQ-CLI-001: parseMonitorArgs() answers help for -h and --help whatever else is given", () => {
  assert.equal(parseMonitorArgs(["--help"]), "help");
  assert.equal(parseMonitorArgs(["process", "-h"]), "help");
});

Deno.test("REQ-MON-007: parseMonitorArgs() takes the roots of procfs, cgroups, sysfs and the host", () => {
  const o = parseMonitorArgs([
    "host",
    "--proc-root",
    "/host/proc",
    "--cgroup-root",
    "/host/sys/fs/cgroup",
    "--sys-root",
    "/host/sys",
    "--host-root",
    "/host/",
  ]);
  assert.deepEqual((o as { roots: unknown }).roots, {
    proc: "/host/proc",
    cgroup: "/host/sys/fs/cgroup",
    sys: "/host/sys",
    host: "/host",
  });
});

Deno.test("REQ-MON-002: parsePasswd() maps uids to user names and skips junk", () => {
  const users = parsePasswd(
    "root:x:0:0:root:/root:/bin/bash\n# comment\nalice:x:1000:1000::/home/alice:/bin/sh\nbad:x:y:0::/:\n",
  );
  assert.deepEqual([...users], [[0, "root"], [1000, "alice"]]);
  assert.equal(parsePasswd(null).size, 0);
});
