/**
 * Property-based test of the argument parsers of `fgm collect` and `fgm monitor` (REQ-CLI-012):
 * whatever the vector of arguments, they return options whose numbers are finite and inside
 * their documented ranges, or throw a {@linkcode UsageError} with a one-line message — never
 * another exception.
 *
 * Deterministic: the seed is `FGM_FUZZ_SEED` (default 1) and each parser gets `FGM_FUZZ_RUNS`
 * vectors (default 20 000: about 1.5 s for both here). A failure prints the seed and the shrunk
 * vector.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { UsageError } from "./errors.ts";
import { parseCollectArgs } from "../collector/main.ts";
import type { CollectOptions } from "../collector/collect.ts";
import { type MonitorOptions, parseMonitorArgs } from "../monitor/main.ts";

const SEED = Number(Deno.env.get("FGM_FUZZ_SEED") ?? 1);
const RUNS = Number(Deno.env.get("FGM_FUZZ_RUNS") ?? 20_000);

const S = 1000;
const H = 3_600_000;
const D = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Values and argument vectors

/** Values a careless user or a broken script gives, and some that are valid. */
const value: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0",
    "-0",
    "-1",
    "-0.5",
    "-.5",
    "1e9",
    "1e-9",
    "1e400",
    "-1e9",
    "NaN",
    "Infinity",
    "-Infinity",
    "",
    " ",
    "\n",
    "٣",
    "日本",
    "🙂",
    "0x10",
    "1_000",
    "1,5",
    "--",
    "-",
    "--json",
    "-h",
    "9".repeat(40),
    "100ms",
    "24h",
    "86400",
    "3650d",
    "1024T",
    "64K",
    "15s",
  ),
  // Numbers of every size and sign, with and without a unit.
  fc.tuple(
    fc.oneof(
      fc.integer({ min: -1000, max: 100_000 }).map(String),
      fc.double({ noDefaultInfinity: false }).map(String),
      fc.double({ min: 0, max: 1e4, noNaN: true }).map((n) => n.toFixed(3)),
      fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
    ),
    fc.constantFrom("", "", "ms", "s", "m", "h", "d", "w", "K", "M", "G", "T", "GiB", "x"),
  ).map(([n, unit]) => n + unit),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 6 }),
);

/** One flag with a value, as `--flag value` or `--flag=value`. */
function withValue(flags: string[]): fc.Arbitrary<string[]> {
  return fc.tuple(fc.constantFrom(...flags), value, fc.boolean()).map((
    [flag, v, inline],
  ) => inline ? [`${flag}=${v}`] : [flag, v]);
}

/** A vector of real flags with random values, bare flags and stray values. */
function vector(
  valued: string[],
  bare: string[],
  positionals: fc.Arbitrary<string>,
): fc.Arbitrary<string[]> {
  const token = fc.oneof(
    { weight: 6, arbitrary: withValue(valued) },
    { weight: 2, arbitrary: fc.constantFrom(...bare).map((f) => [f]) },
    { weight: 2, arbitrary: positionals.map((p) => [p]) },
    { weight: 1, arbitrary: value.map((v) => [v]) },
  );
  return fc.array(token, { maxLength: 6 }).map((tokens) => tokens.flat());
}

/** A mutation of a vector: one token replaced, dropped, duplicated or inserted. */
type Mutation = { op: "replace" | "drop" | "duplicate" | "insert"; at: number; token: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("replace", "drop", "duplicate", "insert"),
  at: fc.nat(),
  token: value,
});

function mutate(args: string[], mutations: Mutation[]): string[] {
  const out = [...args];
  for (const { op, at, token } of mutations) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (op === "insert" || out.length === 0) out.splice(i, 0, token);
    else if (op === "replace") out[i] = token;
    else if (op === "drop") out.splice(i, 1);
    else out.splice(i, 0, out[i]);
  }
  return out;
}

/** Valid vectors (flags with values in their ranges), then mutated. */
function mutated(valid: fc.Arbitrary<string[]>): fc.Arbitrary<string[]> {
  return fc.tuple(valid, fc.array(mutation, { maxLength: 3 })).map(([args, m]) => mutate(args, m));
}

// ---------------------------------------------------------------------------------------------
// The property

/** Tallies what the parser did, so that a generator that never reaches a parse is caught. */
interface Outcomes {
  parsed: number;
  refused: number;
}

/**
 * Runs `parse` on `args`: a result must satisfy `check`; a throw must be a UsageError whose
 * message is one line naming the command.
 */
function holds<T>(
  command: string,
  parse: (args: string[]) => T | "help",
  check: (o: T, args: string[]) => void,
  outcomes: Outcomes,
) {
  return (args: string[]) => {
    let result: T | "help";
    try {
      result = parse(args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      assert.ok(error.message.startsWith(`${command}`), error.message);
      assert.doesNotMatch(error.message, /\n/, "one line");
      outcomes.refused++;
      return;
    }
    if (result === "help") return;
    check(result, args);
    outcomes.parsed++;
  };
}

function assertIn(name: string, n: unknown, min: number, max: number) {
  assert.ok(
    typeof n === "number" && Number.isFinite(n) && n >= min && n <= max,
    `${name} = ${n}, outside ${min} … ${max}`,
  );
}

function assertName(name: string, text: unknown) {
  assert.ok(typeof text === "string" && text.trim() !== "", `${name} = ${JSON.stringify(text)}`);
}

function checkCollect(o: CollectOptions) {
  assertIn("intervalMs", o.intervalMs, 100, 24 * H);
  if (o.pssIntervalMs !== 0) assertIn("pssIntervalMs", o.pssIntervalMs, 100, 24 * H);
  assertIn("flushMs", o.flushMs, S, H);
  assertIn("compactMinAgeMs", o.compactMinAgeMs, 0, 24 * H);
  assertIn("compactSpanMs", o.compactSpanMs, 15 * S, 24 * H);
  if (o.retentionMs !== null) assertIn("retentionMs", o.retentionMs, 60 * S, 3650 * D);
  if (o.durationMs !== null) assertIn("durationMs", o.durationMs, o.intervalMs, 3650 * D);
  if (o.maxDiskBytes !== null) {
    assertIn("maxDiskBytes", o.maxDiskBytes, 64 * 1024, 2 ** 50);
    assert.ok(Number.isInteger(o.maxDiskBytes));
  }
  for (const ms of [o.intervalMs, o.pssIntervalMs, o.flushMs, o.compactSpanMs]) {
    assert.ok(Number.isInteger(ms), `${ms} ms is whole`);
  }
  assertName("out", o.out);
  assertName("node", o.node);
  assert.ok(!/[/\0]/.test(o.node) && o.node !== "." && o.node !== "..", o.node);
  if (o.serviceAccountDir !== undefined) assertName("serviceAccountDir", o.serviceAccountDir);
  for (const [root, path] of Object.entries(o.roots)) {
    if (root !== "host") assertName(root, path); // `--host-root /` is "" (the root itself).
  }
}

const LEVELS = ["host", "process", "container", "all", "gap", "correlation"];

function checkMonitor(o: MonitorOptions) {
  assertIn("intervalSeconds", o.intervalSeconds, 0.1, 86_400);
  if (o.watchSeconds !== null) assertIn("watchSeconds", o.watchSeconds, 0.1, 86_400);
  assert.ok(LEVELS.includes(o.level), o.level);
  if (o.level === "process") {
    assert.match(o.target ?? "", /^[1-9]\d*$/);
    assertIn("PID", Number(o.target), 1, 4_194_304);
  } else if (o.level === "container" || o.level === "correlation") {
    assertName("target", o.target);
  } else {
    assert.equal(o.target, null);
  }
  for (const [root, path] of Object.entries(o.roots)) {
    if (root !== "host") assertName(root, path);
  }
}

/** Asserts the property over `RUNS` vectors of `arbitrary`, and that both outcomes occurred. */
function assertProperty(
  arbitrary: fc.Arbitrary<string[]>,
  predicate: (args: string[]) => void,
  outcomes: Outcomes,
) {
  fc.assert(fc.property(arbitrary, predicate), { seed: SEED, numRuns: RUNS });
  if (RUNS >= 500) {
    // The generators reach both sides: a vector of random values that never parses would prove
    // nothing about the ranges of what does.
    assert.ok(outcomes.parsed >= RUNS / 20, `only ${outcomes.parsed} of ${RUNS} parsed`);
    assert.ok(outcomes.refused >= RUNS / 20, `only ${outcomes.refused} of ${RUNS} refused`);
  }
}

// ---------------------------------------------------------------------------------------------
// collect

const COLLECT_VALUED = [
  "--out",
  "--interval",
  "--pss-interval",
  "--flush",
  "--compact-after",
  "--compact-span",
  "--retention",
  "--max-disk",
  "--identifier",
  "--service-account-dir",
  "--duration",
  "--proc-root",
  "--cgroup-root",
  "--sys-root",
  "--host-root",
];

/** Valid collect vectors: every flag at most once, with a value inside its range. */
const validCollect: fc.Arbitrary<string[]> = fc.record({
  interval: fc.constantFrom("100ms", "0.5", "1", "2s", "1m", "24h"),
  pss: fc.constantFrom("0", "100ms", "10s", "24h"),
  flush: fc.constantFrom("1s", "10", "1h"),
  after: fc.constantFrom("0", "2m", "24h"),
  span: fc.constantFrom("15s", "15m", "24h"),
  retention: fc.constantFrom("1m", "7d", "3650d"),
  disk: fc.constantFrom("64K", "2G", "1024T"),
  duration: fc.constantFrom("24h", "3650d"),
  identifier: fc.constantFrom("node-a", "ü", "a b"),
  out: fc.constantFrom("/tmp/x", "./data", "-dash"),
}).chain((v) =>
  fc.subarray([
    ["--interval", v.interval],
    [`--pss-interval=${v.pss}`],
    ["--flush", v.flush],
    ["--compact-after", v.after],
    [`--compact-span=${v.span}`],
    ["--retention", v.retention],
    ["--max-disk", v.disk],
    ["--duration", v.duration],
    ["--identifier", v.identifier],
    [`--out=${v.out}`],
    ["--host-processes"],
  ])
).map((pairs) => ["--identifier", "fuzz", ...pairs.flat()]);

Deno.test("REQ-CLI-012, REQ-CLI-007, REQ-CLI-008: parseCollectArgs() returns in-range options or throws a UsageError, whatever the arguments", () => {
  const outcomes = { parsed: 0, refused: 0 };
  const arbitrary = fc.oneof(
    vector(COLLECT_VALUED, ["--host-processes", "--help", "-h", "--bogus"], value),
    mutated(validCollect),
  );
  assertProperty(
    arbitrary,
    holds("collect", (args) => parseCollectArgs(args, () => undefined), checkCollect, outcomes),
    outcomes,
  );
});

// ---------------------------------------------------------------------------------------------
// monitor

const MONITOR_VALUED = [
  "--interval",
  "--watch",
  "--proc-root",
  "--cgroup-root",
  "--sys-root",
  "--host-root",
];

const monitorPositional: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...LEVELS),
  fc.integer({ min: -10, max: 5_000_000 }).map(String),
  fc.constantFrom("4194304", "4194305", "99999999999999999999999", "-5", "0", "1.5", "web"),
  value,
);

/** Valid monitor vectors: a level, its target and flags in range. */
const validMonitor: fc.Arbitrary<string[]> = fc.record({
  level: fc.constantFrom(...LEVELS),
  pid: fc.integer({ min: 1, max: 4_194_304 }),
  interval: fc.constantFrom("0.1", "1", "500ms", "2s", "24h"),
  watch: fc.option(fc.constantFrom("", "2", "100ms", "1m"), { nil: undefined }),
  json: fc.boolean(),
}).map((v) => {
  const target = v.level === "process"
    ? [String(v.pid)]
    : v.level === "container" || v.level === "correlation"
    ? ["web"]
    : [];
  return [
    v.level,
    ...target,
    "--interval",
    v.interval,
    ...(v.watch === undefined ? [] : v.watch === "" ? ["--watch"] : ["--watch", v.watch]),
    ...(v.json ? ["--json"] : []),
  ];
});

Deno.test("REQ-CLI-012, REQ-CLI-007, REQ-CLI-011: parseMonitorArgs() returns in-range options or throws a UsageError, whatever the arguments", () => {
  const outcomes = { parsed: 0, refused: 0 };
  const arbitrary = fc.oneof(
    fc.tuple(
      monitorPositional,
      vector(MONITOR_VALUED, ["--json", "--watch", "-h"], monitorPositional),
    )
      .map(([level, rest]) => [level, ...rest]),
    mutated(validMonitor),
  );
  assertProperty(arbitrary, holds("monitor", parseMonitorArgs, checkMonitor, outcomes), outcomes);
});
