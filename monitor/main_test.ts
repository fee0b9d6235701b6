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
  assert.throws(() => parseMonitorArgs(["host", "--watch=0"]), UsageError);
});

Deno.test("REQ-MON-008: parseMonitorArgs() takes --interval as a positive number of seconds", () => {
  const interval = (args: string[]) =>
    (parseMonitorArgs(args) as { intervalSeconds: number }).intervalSeconds;
  assert.equal(interval(["gap", "--interval", "2.5"]), 2.5);
  assert.throws(() => parseMonitorArgs(["gap", "--interval", "0"]), {
    name: "UsageError",
    message: '--interval takes a positive number of seconds, not "0"',
  });
  assert.throws(() => parseMonitorArgs(["gap", "--interval", "soon"]), UsageError);
  assert.throws(() => parseMonitorArgs(["gap", "--interval"]), UsageError);
});

Deno.test("REQ-CLI-003: parseMonitorArgs() rejects a bad level, target or flag with a UsageError", () => {
  const cases: [string[], string][] = [
    [[], "monitor: missing level (host, process, container, all, gap, correlation)"],
    [["pod"], 'monitor: unknown level "pod" (host, process, container, all, gap, correlation)'],
    [["process"], "monitor process: missing PID"],
    [["container"], "monitor container: missing container id or name"],
    [["correlation"], "monitor correlation: missing container id or name"],
    [["process", "abc"], 'monitor process: "abc" is not a PID'],
    [["process", "-1"], "monitor: Unknown option '-1'"],
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
