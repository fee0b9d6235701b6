import assert from "node:assert/strict";
import { parsePidStat } from "./proc_pid_stat.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-101: parsePidStat() reads a real process's stat line", () => {
  assert.deepEqual(parsePidStat(fixture("pid_stat_real.txt")), {
    pid: 2596,
    comm: "python3",
    state: "S",
    ppid: 1,
    pgrp: 2591,
    session: 2132,
    ttyNr: 0,
    minflt: 5135,
    majflt: 11,
    utimeTicks: 2,
    stimeTicks: 2,
    cutimeTicks: 3,
    cstimeTicks: 1,
    priority: 20,
    nice: 0,
    numThreads: 1,
    startTimeTicks: 14543,
    vsizeBytes: 26955776,
    rssPages: 5638,
    processor: 1,
  });
});

Deno.test("REQ-RDR-101: parsePidStat() handles comm with spaces and parentheses", () => {
  // Captured from a copy of /bin/sleep named "(a) b)".
  const stat = parsePidStat(fixture("pid_stat_comm_parens.txt"));
  assert.equal(stat.pid, 2525);
  assert.equal(stat.comm, "(a) b)");
  assert.equal(stat.state, "S");
  assert.equal(stat.ppid, 1);
  assert.equal(stat.startTimeTicks, 13616);
  assert.equal(stat.vsizeBytes, 2990080);
  assert.equal(stat.rssPages, 395);
});

Deno.test("REQ-RDR-101: parsePidStat() is not fooled by a comm that looks like fields", () => {
  const stat = parsePidStat(fixture("pid_stat_comm_fake_fields.txt"));
  assert.equal(stat.comm, "x) R 1 (y) ");
  assert.equal(stat.state, "S");
  assert.equal(stat.ppid, 1);
  assert.equal(stat.ttyNr, 34816);
  assert.equal(stat.minflt, 120);
  assert.equal(stat.utimeTicks, 3);
  assert.equal(stat.stimeTicks, 1);
  assert.equal(stat.startTimeTicks, 987654);
});

Deno.test("REQ-RDR-101: parsePidStat() keeps a newline inside comm", () => {
  const line = fixture("pid_stat_real.txt").replace("(python3)", "(py\nthon)");
  assert.equal(parsePidStat(line).comm, "py\nthon");
});

Deno.test("REQ-RDR-101: parsePidStat() reads a kernel thread", () => {
  const stat = parsePidStat(fixture("pid_stat_kthread.txt"));
  assert.equal(stat.pid, 2);
  assert.equal(stat.comm, "kthreadd");
  assert.equal(stat.ppid, 0);
  assert.equal(stat.vsizeBytes, 0);
  assert.equal(stat.rssPages, 0);
  assert.equal(stat.startTimeTicks, 22);
});

Deno.test("REQ-RDR-101: parsePidStat() reads negative priority of a real-time task", () => {
  const line = fixture("pid_stat_real.txt").replace(" 20 0 1 0 14543 ", " -51 0 1 0 14543 ");
  const stat = parsePidStat(line);
  assert.equal(stat.priority, -51);
  assert.equal(stat.nice, 0);
});

Deno.test("REQ-RDR-118: parsePidStat() tolerates trailing newlines", () => {
  assert.equal(parsePidStat(fixture("pid_stat_real.txt") + "\n\n").processor, 1);
  assert.equal(parsePidStat(fixture("pid_stat_real.txt").trimEnd()).processor, 1);
});

Deno.test("REQ-RDR-118: parsePidStat() throws SyntaxError on a truncated line", () => {
  assert.throws(
    () => parsePidStat(fixture("pid_stat_truncated.txt")),
    (error: unknown) =>
      error instanceof SyntaxError &&
      error.message.startsWith('Cannot parse "/proc/<pid>/stat": expected at least 39 fields'),
  );
});

Deno.test("REQ-RDR-118: parsePidStat() throws SyntaxError on garbage", () => {
  for (const text of ["", "\n", "hello", "12 (x", "x (y) S 1", "1 (y) SS" + " 0".repeat(40)]) {
    assert.throws(() => parsePidStat(text), SyntaxError, JSON.stringify(text));
  }
  const bad = fixture("pid_stat_real.txt").replace(" 26955776 ", " 2695x776 ");
  assert.throws(
    () => parsePidStat(bad),
    /Cannot parse "\/proc\/<pid>\/stat": vsize is not an integer/,
  );
});

Deno.test("REQ-RDR-101: parsePidStat() agrees with a plain whitespace split on every process and thread here", () => {
  // The reference: split the text after comm on runs of blanks, as the parser did before it
  // located fields by offset.
  const reference = (text: string) => {
    const rest = text.slice(text.lastIndexOf(")") + 1).trim().split(/[ \t]+/);
    const n = (field: number) => Number(rest[field - 3]);
    return [rest[0], n(4), n(5), n(6), n(7), n(10), n(12), n(14), n(15), n(16), n(17), n(18)]
      .concat([n(19), n(20), n(22), n(23), n(24), n(39)]);
  };
  let checked = 0;
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const texts: string[] = [];
    try {
      texts.push(Deno.readTextFileSync(`/proc/${entry.name}/stat`));
      for (const task of Deno.readDirSync(`/proc/${entry.name}/task`)) {
        texts.push(Deno.readTextFileSync(`/proc/${entry.name}/task/${task.name}/stat`));
      }
    } catch {
      continue; // exited
    }
    for (const text of texts) {
      const s = parsePidStat(text);
      assert.deepEqual(
        [s.state, s.ppid, s.pgrp, s.session, s.ttyNr, s.minflt, s.majflt, s.utimeTicks]
          .concat([s.stimeTicks, s.cutimeTicks, s.cstimeTicks, s.priority, s.nice])
          .concat([s.numThreads, s.startTimeTicks, s.vsizeBytes, s.rssPages, s.processor]),
        reference(text),
        text,
      );
      checked++;
    }
  }
  assert.ok(checked > 10, `${checked} stat lines`);
  // A counter past 15 digits takes the exact path.
  const big = "1 (x) S" + " 0".repeat(19) + " 1234567890123456789" + " 0".repeat(16);
  assert.equal(parsePidStat(big).vsizeBytes, Number("1234567890123456789"));
});

/** The real stat line with field `n` (1-based, as in proc_pid_stat(5)) replaced by `value`. */
function withField(n: number, value: string): string {
  const text = fixture("pid_stat_real.txt");
  const close = text.lastIndexOf(")");
  const tokens = text.slice(close + 2).trimEnd().split(" ");
  tokens[n - 3] = value;
  return `${text.slice(0, close + 2)}${tokens.join(" ")}\n`;
}

Deno.test("REQ-RDR-302: parsePidStat() reads tty_nr, priority and nice signed, within 64 bits", () => {
  const stat = parsePidStat(withField(19, "-20"));
  assert.equal(stat.nice, -20);
  assert.equal(parsePidStat(withField(18, "-100")).priority, -100);
  assert.equal(parsePidStat(withField(7, "-2147450880")).ttyNr, -2147450880);
  assert.ok(Object.is(parsePidStat(withField(19, "-0")).nice, 0), "-0 reads as 0");
  assert.equal(parsePidStat(withField(19, "-9223372036854775808")).nice, -(2 ** 63));
  assert.throws(
    () => parsePidStat(withField(19, "-9223372036854775809")),
    /Cannot parse "\/proc\/<pid>\/stat": nice is outside the signed 64-bit range/,
  );
});

Deno.test("REQ-RDR-301: parsePidStat() refuses a sign or a value above 2^64-1 in unsigned fields", () => {
  const cases: [number, string, RegExp][] = [
    [14, "-5", /Cannot parse "\/proc\/<pid>\/stat": utime is negative: "-5"/],
    [4, "-1", /ppid is negative/],
    [20, "-1", /num_threads is negative/],
    [23, "18446744073709551616", /vsize is above 2\^64-1/],
    [23, "9".repeat(400), /vsize is above 2\^64-1/],
    [22, "-0", /starttime is negative/],
    [39, "-1", /processor is negative/],
  ];
  for (const [n, value, message] of cases) {
    assert.throws(() => parsePidStat(withField(n, value)), message, `${n} ${value}`);
  }
  assert.equal(parsePidStat(withField(23, "18446744073709551615")).vsizeBytes, 2 ** 64);
  assert.throws(
    () => parsePidStat(fixture("pid_stat_real.txt").replace(/^2596/, "-2596")),
    /pid is negative/,
  );
});
