import assert from "node:assert/strict";
import { parseProcStat } from "./proc_stat.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-114: parseProcStat() reads the real /proc/stat", () => {
  const stat = parseProcStat(fixture("stat_real.txt"));
  assert.deepEqual(stat.cpu, {
    user: 1340,
    nice: 0,
    system: 821,
    idle: 25634,
    iowait: 65,
    irq: 0,
    softirq: 22,
    steal: 6,
    guest: 0,
    guestNice: 0,
  });
  assert.deepEqual(stat.cpus.map((c) => [c.cpu, c.user, c.idle]), [[0, 511, 13072], [
    1,
    829,
    12561,
  ]]);
  assert.equal(stat.ctxt, 260070);
  assert.equal(stat.btimeSeconds, 1795320632);
  assert.equal(stat.processes, 2572);
  assert.equal(stat.procsRunning, 2);
  assert.equal(stat.procsBlocked, 0);
});

Deno.test("REQ-RDR-114: parseProcStat() keeps CPU numbers when a CPU is offline", () => {
  const text = "cpu  10 0 10 100 0 0 0 0 0 0\n" +
    "cpu0 5 0 5 50 0 0 0 0 0 0\n" +
    "cpu2 5 0 5 50 0 0 0 0 0 0\n" +
    "ctxt 1\nbtime 2\nprocesses 3\nprocs_running 4\nprocs_blocked 5\n";
  const stat = parseProcStat(text);
  assert.deepEqual(stat.cpus.map((c) => c.cpu), [0, 2]);
  assert.equal(stat.procsBlocked, 5);
});

Deno.test("REQ-RDR-118: parseProcStat() tolerates trailing newlines", () => {
  assert.equal(parseProcStat(fixture("stat_real.txt") + "\n\n").cpus.length, 2);
});

Deno.test("REQ-RDR-118: parseProcStat() throws SyntaxError on truncated or garbage text", () => {
  const real = fixture("stat_real.txt");
  assert.throws(
    () => parseProcStat(real.slice(0, real.indexOf("procs_running"))),
    /Cannot parse "\/proc\/stat": no "procs_running" line/,
  );
  assert.throws(() => parseProcStat(""), /Cannot parse "\/proc\/stat": no "cpu" line/);
  assert.throws(
    () => parseProcStat(real.replace("cpu1 829 0 481 12561 59 0 13 4 0 0", "cpu1 829 0 481")),
    /Cannot parse "\/proc\/stat": expected 10 times/,
  );
  assert.throws(() => parseProcStat(real.replace("ctxt 260070", "ctxt x")), SyntaxError);
});

Deno.test("REQ-RDR-301: parseProcStat() refuses negative and too large times, counters and CPU numbers", () => {
  const real = fixture("stat_real.txt");
  const cases: [RegExp, string, RegExp][] = [
    [
      /^cpu {2}.*$/m,
      "cpu  -1 0 821 25634 65 0 22 6 0 0",
      /Cannot parse "\/proc\/stat": cpu is negative/,
    ],
    [/^cpu0 .*$/m, "cpu0 511 0 340 18446744073709551616 6 0 9 2 0 0", /cpu0 is above 2\^64-1/],
    [/^cpu0 /m, `cpu${"9".repeat(400)} `, /CPU number is above 2\^64-1/],
    [/^ctxt .*$/m, "ctxt -5", /ctxt is negative/],
    [/^btime .*$/m, `btime ${"9".repeat(400)}`, /btime is above 2\^64-1/],
  ];
  for (const [line, replacement, message] of cases) {
    assert.match(real, line);
    assert.throws(() => parseProcStat(real.replace(line, replacement)), message, replacement);
  }
});
