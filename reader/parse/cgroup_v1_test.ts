import assert from "node:assert/strict";
import {
  parseBlkioStat,
  parseCfsPeriodUs,
  parseCfsQuotaUs,
  parseCpuacctStat,
  parseCpuacctUsage,
  parseCpuShares,
  parsePidsCurrent,
  parsePidsMax,
  parseV1CpuStat,
  parseV1MemoryCounter,
  parseV1MemoryLimit,
  parseV1MemoryStat,
  parseV1OomControl,
  V1_UNLIMITED_BYTES,
} from "./cgroup_v1.ts";

const ID = "8d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c";
const REAL = new URL("../../tests/fixtures/cgroup/v1-separate/sys/fs/cgroup/", import.meta.url);
/** A file captured from this machine's v1 hierarchy (Linux 6.18). */
const real = (controller: string, file: string) =>
  Deno.readTextFileSync(new URL(`${controller}/docker/${ID}/${file}`, REAL));

const isParseError = (file: string) => (e: unknown) =>
  e instanceof SyntaxError && e.message.startsWith(`Cannot parse "${file}"`);

Deno.test("REQ-RDR-205: parseCfsQuotaUs() maps -1 to null (no quota)", () => {
  assert.equal(parseCfsQuotaUs("-1\n"), null);
  assert.equal(parseCfsQuotaUs(real("cpu", "cpu.cfs_quota_us")), 20000);
  assert.throws(() => parseCfsQuotaUs("max\n"), isParseError("cpu.cfs_quota_us"));
});

Deno.test("REQ-RDR-205: parseCfsPeriodUs() and parseCpuShares() read one integer", () => {
  assert.equal(parseCfsPeriodUs(real("cpu", "cpu.cfs_period_us")), 100000);
  assert.equal(parseCpuShares(real("cpu", "cpu.shares")), 1024);
  assert.throws(() => parseCpuShares(""), isParseError("cpu.shares"));
  assert.throws(() => parseCpuShares("1024\n2\n"), isParseError("cpu.shares"));
});

Deno.test("REQ-RDR-205: parseV1CpuStat() reads throttling counters and burst lines", () => {
  assert.deepEqual(parseV1CpuStat(real("cpu", "cpu.stat")), {
    nrPeriods: 40,
    nrThrottled: 40,
    throttledTimeNs: 3128286574,
    nrBursts: 0,
    burstTimeNs: 0,
  });
});

Deno.test("REQ-RDR-205: parseV1CpuStat() gives null bursts on kernels before 5.14", () => {
  assert.deepEqual(
    parseV1CpuStat("nr_periods 45210\nnr_throttled 1873\nthrottled_time 98234567123\n"),
    {
      nrPeriods: 45210,
      nrThrottled: 1873,
      throttledTimeNs: 98234567123,
      nrBursts: null,
      burstTimeNs: null,
    },
  );
  assert.throws(() => parseV1CpuStat("nr_periods 1\n"), isParseError("cpu.stat"));
  assert.throws(() => parseV1CpuStat("nr_periods one\n"), isParseError("cpu.stat"));
});

Deno.test("REQ-RDR-206: parseCpuacctUsage() reads ns for usage, usage_user and usage_sys", () => {
  assert.equal(parseCpuacctUsage(real("cpuacct", "cpuacct.usage")), 821491683);
  assert.equal(
    parseCpuacctUsage(real("cpuacct", "cpuacct.usage_user"), "cpuacct.usage_user"),
    819991140,
  );
  assert.equal(
    parseCpuacctUsage(real("cpuacct", "cpuacct.usage_sys"), "cpuacct.usage_sys"),
    107988983,
  );
  assert.throws(
    () => parseCpuacctUsage("", "cpuacct.usage_sys"),
    isParseError("cpuacct.usage_sys"),
  );
});

Deno.test("REQ-RDR-206: parseCpuacctStat() reads user and system ticks", () => {
  assert.deepEqual(parseCpuacctStat(real("cpuacct", "cpuacct.stat")), {
    userTicks: 72,
    systemTicks: 9,
  });
  assert.throws(() => parseCpuacctStat("user 1\n"), isParseError("cpuacct.stat"));
});

Deno.test("REQ-RDR-207: parseV1MemoryLimit() treats values >= 2^62 as unlimited (null)", () => {
  assert.equal(V1_UNLIMITED_BYTES, 4611686018427387904);
  // 4 KiB pages (x86_64), 64 KiB pages (arm64/ppc64le), and 2^62 exactly.
  assert.equal(parseV1MemoryLimit("9223372036854771712\n"), null);
  assert.equal(parseV1MemoryLimit("9223372036854710272\n"), null);
  assert.equal(parseV1MemoryLimit("4611686018427387904\n"), null);
  assert.equal(parseV1MemoryLimit(real("memory", "memory.limit_in_bytes")), 268435456);
  assert.equal(parseV1MemoryLimit(real("memory", "memory.memsw.limit_in_bytes")), null);
  assert.equal(parseV1MemoryLimit("4611686018427383808\n"), 4611686018427383808);
  assert.throws(
    () => parseV1MemoryLimit("max\n", "memory.memsw.limit_in_bytes"),
    isParseError("memory.memsw.limit_in_bytes"),
  );
});

Deno.test("REQ-RDR-207: parseV1MemoryCounter() reads usage, max usage, failcnt and memsw usage", () => {
  const counter = (file: string) => parseV1MemoryCounter(real("memory", file), file);
  assert.equal(counter("memory.usage_in_bytes"), 60686336);
  assert.equal(counter("memory.max_usage_in_bytes"), 73273344);
  assert.equal(counter("memory.failcnt"), 0);
  assert.equal(counter("memory.memsw.usage_in_bytes"), 60686336);
  assert.throws(
    () => parseV1MemoryCounter("-\n", "memory.failcnt"),
    isParseError("memory.failcnt"),
  );
});

Deno.test("REQ-RDR-208: parseV1MemoryStat() keeps every key including total_* ones", () => {
  const stat = parseV1MemoryStat(real("memory", "memory.stat"));
  assert.equal(Object.keys(stat).length, 42);
  assert.equal(stat.rss, 38604800);
  assert.equal(stat.total_rss, 38604800);
  assert.equal(stat.total_inactive_file, 12673024);
  assert.equal(stat.total_shmem, 8454144);
  assert.equal(stat.total_workingset_refault_file, 17);
  assert.equal(stat.hierarchical_memory_limit, 268435456);
  // Unlimited hierarchical limits follow the >= 2^62 rule.
  assert.equal(stat.hierarchical_memsw_limit, null);
  assert.throws(() => parseV1MemoryStat("cache\n"), isParseError("memory.stat"));
});

Deno.test("REQ-RDR-208: parseV1OomControl() reads the flags and the oom_kill count", () => {
  assert.deepEqual(parseV1OomControl(real("memory", "memory.oom_control")), {
    oomKillDisable: false,
    underOom: false,
    oomKill: 0,
  });
  assert.deepEqual(parseV1OomControl("oom_kill_disable 1\nunder_oom 1\n"), {
    oomKillDisable: true,
    underOom: true,
    oomKill: null,
  });
});

Deno.test("REQ-RDR-209: parseBlkioStat() reads per-device operations and the Total line", () => {
  const file = "blkio.throttle.io_service_bytes_recursive";
  assert.deepEqual(parseBlkioStat(real("blkio", file), file), {
    devices: [{
      major: 254,
      minor: 0,
      read: 4354048,
      write: 4194304,
      sync: 8548352,
      async: 0,
      discard: 0,
      total: 8548352,
    }],
    total: 8548352,
  });
  const ops = parseBlkioStat(real("blkio", "blkio.throttle.io_serviced"));
  assert.equal(ops.devices[0].read, 80);
  assert.equal(ops.devices[0].write, 64);
});

Deno.test("REQ-RDR-209: parseBlkioStat() handles several devices, no Discard line, and no devices", () => {
  const stat = parseBlkioStat(
    "8:16 Read 1048576\n8:16 Write 0\n8:16 Sync 1048576\n8:16 Async 0\n8:16 Total 1048576\n" +
      "8:0 Read 20971520\n8:0 Write 7340032\n8:0 Sync 6291456\n8:0 Async 22020096\n" +
      "8:0 Total 28311552\nTotal 29360128\n",
  );
  assert.deepEqual(stat.devices.map((d) => [d.major, d.minor, d.read, d.write, d.discard]), [
    [8, 16, 1048576, 0, null],
    [8, 0, 20971520, 7340032, null],
  ]);
  assert.equal(stat.total, 29360128);
  assert.deepEqual(parseBlkioStat("Total 0\n"), { devices: [], total: 0 });
  assert.deepEqual(parseBlkioStat(""), { devices: [], total: null });
});

Deno.test("REQ-RDR-209: parseBlkioStat() rejects malformed lines", () => {
  const file = "blkio.throttle.io_serviced";
  assert.throws(() => parseBlkioStat("8:0 Frobnicate 1\n", file), isParseError(file));
  assert.throws(() => parseBlkioStat("sda Read 1\n", file), isParseError(file));
  assert.throws(() => parseBlkioStat("8:0 Sync 1\n", file), isParseError(file));
});

Deno.test("REQ-RDR-210: parsePidsCurrent() and parsePidsMax() read v1 pids files, max → null", () => {
  assert.equal(parsePidsCurrent(real("pids", "pids.current")), 1);
  assert.equal(parsePidsMax(real("pids", "pids.max")), 64);
  assert.equal(parsePidsMax("max\n"), null);
  assert.throws(() => parsePidsMax("unlimited\n"), isParseError("pids.max"));
});

Deno.test("REQ-RDR-302: parseCfsQuotaUs() reads -1 as no quota and refuses any other negative", () => {
  assert.equal(parseCfsQuotaUs("-1\n"), null);
  for (const text of ["-5\n", "-1000\n", "-9223372036854775808\n"]) {
    assert.throws(
      () => parseCfsQuotaUs(text),
      /Cannot parse "cpu\.cfs_quota_us": quota is negative but not -1/,
      text,
    );
  }
  assert.throws(
    () => parseCfsQuotaUs(`-${"9".repeat(400)}\n`),
    /cpu\.cfs_quota_us": value is outside the signed 64-bit range/,
  );
});

Deno.test("REQ-RDR-301: v1 parsers refuse negative and too large counters and limits", () => {
  // The end-to-end case: a limit of -5 used to come out as limitBytes -5.
  assert.throws(
    () => parseV1MemoryLimit("-5\n"),
    /Cannot parse "memory\.limit_in_bytes": value is negative: "-5"/,
  );
  assert.throws(
    () => parseV1MemoryLimit("18446744073709551616\n"),
    /memory\.limit_in_bytes": value is above 2\^64-1/,
  );
  assert.equal(parseV1MemoryLimit("18446744073709551615\n"), null);
  assert.throws(() => parseCfsPeriodUs("-100000\n"), /cpu\.cfs_period_us": value is negative/);
  assert.throws(() => parseCpuShares(`${"9".repeat(400)}\n`), /cpu\.shares": value is above/);
  assert.throws(
    () => parseV1MemoryCounter("-1\n", "memory.usage_in_bytes"),
    /memory\.usage_in_bytes": value is negative/,
  );
  assert.throws(
    () => parseV1MemoryStat("cache 1\ntotal_rss -5\n"),
    /Cannot parse "memory\.stat": total_rss is negative/,
  );
  assert.throws(
    () => parseV1MemoryStat("cache 1\nrss -5\n", ["cache"]),
    /memory\.stat": rss is negative/,
  );
  assert.throws(() => parseV1CpuStat("nr_periods -1\n"), /cpu\.stat": nr_periods is negative/);
  assert.throws(
    () => parseBlkioStat("8:0 Read -1\n8:0 Write 0\nTotal 0\n"),
    /blkio\.throttle\.io_service_bytes": 8:0 Read is negative/,
  );
  assert.throws(
    () => parseBlkioStat(`${"9".repeat(400)}:0 Read 1\n${"9".repeat(400)}:0 Write 0\n`),
    /major is above 2\^64-1/,
  );
});
