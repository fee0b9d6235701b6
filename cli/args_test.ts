import assert from "node:assert/strict";
import { optionalValue, parse, ROOT_OPTIONS, rootsFromFlags, textFlag } from "./args.ts";

const OPTIONS = {
  json: { type: "boolean" as const },
  interval: { type: "string" as const },
  help: { type: "boolean" as const, short: "h" },
};

Deno.test("REQ-CLI-003: parse() turns an unknown flag or a missing value into a UsageError", () => {
  const parsed = parse("monitor", ["host", "--json"], OPTIONS);
  assert.deepEqual({ ...parsed.values }, { json: true });
  assert.deepEqual(parsed.positionals, ["host"]);
  assert.throws(() => parse("monitor", ["--bogus"], OPTIONS), {
    name: "UsageError",
    message: "monitor: Unknown option '--bogus'",
  });
  assert.throws(() => parse("monitor", ["--interval"], OPTIONS), {
    name: "UsageError",
    message: "monitor: --interval needs a value",
  });
  assert.throws(() => parse("monitor", ["--interval", "--"], OPTIONS), {
    name: "UsageError",
    message: "monitor: --interval needs a value",
  });
  assert.throws(() => parse("monitor", ["--interval", "--json"], OPTIONS), {
    name: "UsageError",
    message:
      'monitor: --interval needs a value, not the option "--json" (write "--interval=--json" if it is the value)',
  });
  assert.throws(() => parse("monitor", ["--json=1"], OPTIONS), {
    name: "UsageError",
    message: "monitor: Option '--json' does not take an argument",
  });
});

Deno.test("REQ-CLI-009: parse() takes a negative number as a flag's value in both forms", () => {
  for (const args of [["--interval", "-1"], ["--interval=-1"]]) {
    assert.deepEqual({ ...parse("monitor", args, OPTIONS).values }, { interval: "-1" });
  }
  for (const value of ["-0.5", "-.5", "-1e9", "-", "2s", ""]) {
    assert.equal(parse("monitor", ["--interval", value], OPTIONS).values.interval, value);
  }
});

Deno.test("REQ-CLI-009: parse() keeps a negative number where a positional is due, in order", () => {
  const parsed = parse("monitor", ["process", "-5", "--json", "-.5", "x", "-1e9"], OPTIONS);
  assert.deepEqual(parsed.positionals, ["process", "-5", "-.5", "x", "-1e9"]);
  assert.equal(parsed.values.json, true);
  // After "--" everything is positional, as parseArgs has it.
  assert.deepEqual(parse("monitor", ["a", "--", "--json", "-5"], OPTIONS).positionals, [
    "a",
    "--json",
    "-5",
  ]);
  // Other arguments with a dash are still options.
  assert.throws(() => parse("monitor", ["-x"], OPTIONS), {
    name: "UsageError",
    message: "monitor: Unknown option '-x'",
  });
  assert.equal(parse("monitor", ["-h", "-5"], OPTIONS).values.help, true);
});

Deno.test("REQ-CLI-003: optionalValue() takes the number after a flag or falls back", () => {
  assert.deepEqual(optionalValue(["host", "--watch"], "--watch", "2"), ["host", "--watch=2"]);
  assert.deepEqual(optionalValue(["--watch", "host"], "--watch", "2"), ["--watch=2", "host"]);
  assert.deepEqual(optionalValue(["--watch", "0.5", "gap"], "--watch", "2"), [
    "--watch=0.5",
    "gap",
  ]);
  assert.deepEqual(optionalValue(["--watch=3"], "--watch", "2"), ["--watch=3"]);
  // REQ-CLI-007, REQ-CLI-009: durations with units and numbers to refuse are values too.
  for (const value of ["5s", "500ms", ".5", "-1", "+1", "1e9"]) {
    assert.deepEqual(optionalValue(["--watch", value], "--watch", "2"), [`--watch=${value}`]);
  }
  assert.deepEqual(optionalValue(["--watch", "--json"], "--watch", "2"), ["--watch=2", "--json"]);
  assert.deepEqual(optionalValue(["--", "--watch", "5"], "--watch", "2"), ["--", "--watch", "5"]);
});

Deno.test("REQ-CLI-010: textFlag() refuses an empty or blank name", () => {
  assert.equal(textFlag("collect", "--out", "/data"), "/data");
  assert.equal(textFlag("collect", "--out", " spaced "), " spaced ");
  assert.equal(textFlag("collect", "--out", undefined), undefined);
  for (const bad of ["", " ", "\t\n", true]) {
    assert.throws(() => textFlag("collect", "--out", bad), {
      name: "UsageError",
      message: `collect: --out needs a value, not ${JSON.stringify(String(bad))}`,
    });
  }
});

Deno.test("REQ-CLI-010: rootsFromFlags() keeps absent roots at their defaults and refuses empty ones", () => {
  assert.deepEqual(rootsFromFlags("monitor", {}), {});
  assert.deepEqual(
    rootsFromFlags("monitor", { "proc-root": "/host/proc", "host-root": "/host//" }),
    { proc: "/host/proc", host: "/host" },
  );
  for (const flag of Object.keys(ROOT_OPTIONS)) {
    assert.throws(() => rootsFromFlags("collect", { [flag]: "" }), {
      name: "UsageError",
      message: `collect: --${flag} needs a value, not ""`,
    });
  }
});
