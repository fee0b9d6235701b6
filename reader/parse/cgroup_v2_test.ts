import assert from "node:assert/strict";
import {
  parseCgroupControllers,
  parseCpuMax,
  parseCpuWeight,
  parseIoStat,
  parseMemoryEvents,
  parsePidsCurrent,
  parsePidsMax,
  parseV2CpuStat,
  parseV2MemoryBytes,
  parseV2MemoryLimit,
  parseV2MemoryStat,
} from "./cgroup_v2.ts";

const FIXTURES = new URL("../../tests/fixtures/cgroup/", import.meta.url);
const SCOPE = "kubepods.slice/kubepods-burstable.slice/" +
  "kubepods-burstable-pod0c9e4a7d_2b61_4f8e_a3d5_6e7f8091a2b3.slice/" +
  "cri-containerd-6f1c0a3e9b2d47f8a1e5c3b7d9f0e2a4c6b8d0f1e3a5c7b9d1f3e5a7c9b1d3f5.scope";
/** A file of the v2 fixture (formats of Documentation/admin-guide/cgroup-v2.rst, Linux 6.x). */
const v2 = (file: string) =>
  Deno.readTextFileSync(new URL(`v2/sys/fs/cgroup/${SCOPE}/${file}`, FIXTURES));
/** A file of this machine's controller-less cgroup2 mirror, captured (Linux 6.18). */
const mirror = (file: string) =>
  Deno.readTextFileSync(
    new URL(
      `v1-separate/sys/fs/cgroup/unified/docker/` +
        `8d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c/${file}`,
      FIXTURES,
    ),
  );

const isParseError = (file: string) => (e: unknown) =>
  e instanceof SyntaxError && e.message.startsWith(`Cannot parse "${file}"`);

Deno.test("REQ-RDR-211: parseV2CpuStat() reads usage and throttling with the cpu controller", () => {
  assert.deepEqual(parseV2CpuStat(v2("cpu.stat")), {
    usageUsec: 48213307,
    userUsec: 40120551,
    systemUsec: 8092756,
    nrPeriods: 60231,
    nrThrottled: 9875,
    throttledUsec: 512340987,
    nrBursts: 0,
    burstUsec: 0,
  });
});

Deno.test("REQ-RDR-211: parseV2CpuStat() gives null throttling in the controller-less mirror", () => {
  assert.deepEqual(parseV2CpuStat(mirror("cpu.stat")), {
    usageUsec: 859605,
    userUsec: 763706,
    systemUsec: 95898,
    nrPeriods: null,
    nrThrottled: null,
    throttledUsec: null,
    nrBursts: null,
    burstUsec: null,
  });
  assert.throws(() => parseV2CpuStat("nr_periods 1\n"), isParseError("cpu.stat"));
});

Deno.test("REQ-RDR-211: parseCpuMax() maps a 'max' quota to null", () => {
  assert.deepEqual(parseCpuMax("max 100000\n"), { quotaUs: null, periodUs: 100000 });
  assert.deepEqual(parseCpuMax(v2("cpu.max")), { quotaUs: 25000, periodUs: 100000 });
  assert.throws(() => parseCpuMax("max\n"), isParseError("cpu.max"));
  assert.throws(() => parseCpuMax("max max\n"), isParseError("cpu.max"));
});

Deno.test("REQ-RDR-211: parseCpuWeight() reads the weight", () => {
  assert.equal(parseCpuWeight(v2("cpu.weight")), 10);
  assert.throws(() => parseCpuWeight("max\n"), isParseError("cpu.weight"));
});

Deno.test("REQ-RDR-212: parseV2MemoryBytes() reads memory.current, memory.peak, memory.swap.current", () => {
  assert.equal(parseV2MemoryBytes(v2("memory.current")), 187334656);
  assert.equal(parseV2MemoryBytes(v2("memory.peak"), "memory.peak"), 268419072);
  assert.equal(parseV2MemoryBytes(v2("memory.swap.current"), "memory.swap.current"), 0);
  assert.throws(() => parseV2MemoryBytes("max\n", "memory.peak"), isParseError("memory.peak"));
});

Deno.test("REQ-RDR-212: parseV2MemoryLimit() maps 'max' to null for max/high/low/min/swap.max", () => {
  assert.equal(parseV2MemoryLimit(v2("memory.max")), 268435456);
  assert.equal(parseV2MemoryLimit(v2("memory.high"), "memory.high"), null);
  assert.equal(parseV2MemoryLimit(v2("memory.low"), "memory.low"), 0);
  assert.equal(parseV2MemoryLimit(v2("memory.min"), "memory.min"), 0);
  assert.equal(parseV2MemoryLimit(v2("memory.swap.max"), "memory.swap.max"), null);
  assert.throws(() => parseV2MemoryLimit("1G\n", "memory.high"), isParseError("memory.high"));
});

Deno.test("REQ-RDR-212: parseV2MemoryStat() keeps every key", () => {
  const stat = parseV2MemoryStat(v2("memory.stat"));
  assert.equal(Object.keys(stat).length, 50);
  assert.equal(stat.anon, 130154496);
  assert.equal(stat.file, 52297728);
  assert.equal(stat.kernel, 4878336);
  assert.equal(stat.shmem, 1048576);
  assert.equal(stat.inactive_file, 45056000);
  assert.equal(stat.slab, 3562848);
  assert.equal(stat.thp_collapse_alloc, 0);
});

Deno.test("REQ-RDR-212: parseMemoryEvents() reads every counter, null when absent", () => {
  assert.deepEqual(parseMemoryEvents(v2("memory.events")), {
    low: 0,
    high: 0,
    max: 37,
    oom: 1,
    oomKill: 1,
    oomGroupKill: 0,
  });
  // Linux 4.5–4.12 print only four lines.
  assert.deepEqual(parseMemoryEvents("low 0\nhigh 3\nmax 9\noom 2\n"), {
    low: 0,
    high: 3,
    max: 9,
    oom: 2,
    oomKill: null,
    oomGroupKill: null,
  });
});

Deno.test("REQ-RDR-213: parseIoStat() reads each device line", () => {
  assert.deepEqual(parseIoStat(v2("io.stat")), [
    {
      major: 259,
      minor: 0,
      readBytes: 52719616,
      writeBytes: 10485760,
      readOps: 2301,
      writeOps: 512,
      discardBytes: 0,
      discardOps: 0,
    },
    {
      major: 8,
      minor: 0,
      readBytes: 1048576,
      writeBytes: 4096,
      readOps: 16,
      writeOps: 1,
      discardBytes: 0,
      discardOps: 0,
    },
  ]);
  assert.deepEqual(parseIoStat(""), []);
});

Deno.test("REQ-RDR-213: parseIoStat() ignores extra keys and tolerates pre-5.0 lines", () => {
  const [withCost] = parseIoStat(
    "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0 cost.vrate=100.00 cost.usage=12 " +
      "cost.wait=0 cost.indebt=0 cost.indelay=0\n",
  );
  assert.equal(withCost.readBytes, 1);
  assert.equal(withCost.writeOps, 4);
  const [old] = parseIoStat("8:0 rbytes=10 wbytes=20 rios=1 wios=2\n");
  assert.equal(old.discardBytes, null);
  assert.equal(old.discardOps, null);
  // Only another policy's keys: the kernel left out the four because they are all zero.
  const [idle] = parseIoStat("8:0 use_delay=0 delay_nsec=0\n");
  assert.deepEqual([idle.readBytes, idle.writeBytes, idle.readOps, idle.writeOps], [0, 0, 0, 0]);
});

Deno.test("REQ-RDR-213: parseIoStat() rejects malformed lines", () => {
  assert.throws(() => parseIoStat("sda rbytes=1\n"), isParseError("io.stat"));
  assert.throws(() => parseIoStat("8:0 rbytes\n"), isParseError("io.stat"));
  assert.throws(() => parseIoStat("8:0 rbytes=1 wbytes=2\n"), isParseError("io.stat"));
  assert.throws(
    () => parseIoStat("8:0 rbytes=x wbytes=2 rios=1 wios=1\n"),
    isParseError("io.stat"),
  );
});

Deno.test("REQ-RDR-210: parsePidsCurrent() and parsePidsMax() read v2 pids files", () => {
  assert.equal(parsePidsCurrent(v2("pids.current")), 12);
  assert.equal(parsePidsMax(v2("pids.max")), null);
  assert.equal(parsePidsMax("4096\n"), 4096);
});

Deno.test("parseCgroupControllers() splits cgroup.controllers, [] when empty", () => {
  assert.deepEqual(
    parseCgroupControllers(
      Deno.readTextFileSync(new URL("v2/sys/fs/cgroup/cgroup.controllers", FIXTURES)),
    ),
    ["cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"],
  );
  assert.deepEqual(parseCgroupControllers("\n"), []);
  assert.deepEqual(parseCgroupControllers(""), []);
});

Deno.test("REQ-RDR-301: v2 parsers refuse negative and too large values", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => parseV2MemoryBytes("-5\n"), /Cannot parse "memory\.current": value is negative: "-5"/],
    [() => parseV2MemoryLimit("-5\n"), /memory\.max": value is negative/],
    [() => parseCpuMax("-1 100000"), /Cannot parse "cpu\.max": quota is negative: "-1"/],
    [() => parseCpuMax("max -100000"), /cpu\.max": period is negative/],
    [() => parseCpuMax(`${"9".repeat(400)} 100000`), /cpu\.max": quota is above 2\^64-1/],
    [() => parseCpuWeight("-100\n"), /cpu\.weight": value is negative/],
    [() => parsePidsMax("-1\n"), /pids\.max": value is negative/],
    [() => parsePidsCurrent("18446744073709551616\n"), /pids\.current": value is above/],
    [() => parseV2CpuStat("usage_usec -1\n"), /cpu\.stat": usage_usec is negative/],
    [() => parseMemoryEvents("oom_kill -1\n"), /memory\.events": oom_kill is negative/],
    [() => parseV2MemoryStat("anon -1\n", ["file"]), /memory\.stat": anon is negative/],
    [
      () => parseIoStat("8:0 rbytes=-1 wbytes=0 rios=0 wios=0\n"),
      /Cannot parse "io\.stat": rbytes is negative/,
    ],
    [
      () => parseIoStat(`${"9".repeat(400)}:0 rbytes=1 wbytes=0 rios=0 wios=0\n`),
      /io\.stat": major is above 2\^64-1/,
    ],
  ];
  for (const [parse, message] of cases) assert.throws(parse, message, String(message));
});
