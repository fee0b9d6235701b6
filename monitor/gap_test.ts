import assert from "node:assert/strict";
import { type GapFinding, gapView } from "./gap.ts";
import type { Observation } from "./model.ts";
import {
  type ContainerInit,
  type HostInit,
  id,
  MiB,
  pair,
  pressure,
  type ProcessInit,
} from "./testing_snapshots.ts";

const GiB = 1024 * MiB;
const WEB = id("a");
const DB = id("b");
const JOB = id("c");

function found(o: Observation, findingId: string): GapFinding[] {
  return gapView(o).findings.filter((f) => f.id === findingId);
}

function one(o: Observation, findingId: string): GapFinding {
  const list = found(o, findingId);
  assert.equal(list.length, 1, `one "${findingId}" finding, got ${list.length}`);
  return list[0];
}

/** The same containers and processes in both sweeps, with per-sweep overrides. */
function same(
  init: { containers?: ContainerInit[]; processes?: ProcessInit[]; host?: HostInit | null },
  after: { containers?: ContainerInit[]; processes?: ProcessInit[]; host?: HostInit | null } = {},
  seconds = 1,
): Observation {
  return pair(init, { ...init, ...after }, { seconds });
}

Deno.test("REQ-MON-005: gapView() reports the interval it measured", () => {
  assert.equal(gapView(same({}, {}, 2)).intervalSeconds, 2);
});

// ---------------------------------------------------------------------------------------------
// process→container

Deno.test("REQ-MON-005: gap counts processes outside containers with their CPU and RSS", () => {
  const outside = (ticks: number): ProcessInit[] => [
    { pid: 1, comm: "systemd", rssBytes: 12 * MiB, utimeTicks: ticks },
    { pid: 2, comm: "kthreadd", vsizeBytes: 0, rssBytes: 0 },
    { pid: 3, comm: "kworker/0:1", vsizeBytes: 0, rssBytes: 0, stimeTicks: ticks },
    { pid: 500, comm: "sshd", rssBytes: 8 * MiB, stimeTicks: ticks / 2 },
    { pid: 4242, comm: "nginx", rssBytes: 100 * MiB, utimeTicks: ticks * 10 },
  ];
  const o = pair(
    { processes: outside(0), containers: [{ id: WEB, name: "web", pids: [4242] }] },
    { processes: outside(10), containers: [{ id: WEB, name: "web", pids: [4242] }] },
  );
  const f = one(o, "processes-outside-containers");
  assert.equal(f.boundary, "process→container");
  assert.equal(f.severity, "info");
  // systemd 10 ticks + sshd 5 ticks in 1 s = 150 m; kernel threads and the container's nginx
  // are left out.
  assert.deepEqual(f.values, {
    processes: 2,
    kernelThreads: 2,
    cpuMillicores: 150,
    rssBytes: 20 * MiB,
  });
  assert.deepEqual(f.subjects, [1, 500], "largest RSS first");
  assert.match(f.detail, /^2 user processes \(and 2 kernel threads\) run outside containers/);
  assert.match(f.detail, /using 150 m CPU and 20 MiB RSS/);
  assert.match(f.detail, /Largest: systemd\(1\) 12 MiB, sshd\(500\) 8 MiB\.$/);
});

Deno.test("REQ-MON-005: gap finds container CPU that its live processes do not explain", () => {
  // The cgroup used 500 m; its one live process 100 m: 400 m went to short-lived processes.
  const o = pair(
    {
      processes: [{ pid: 4242, utimeTicks: 0 }],
      containers: [{ id: JOB, name: "job", pids: [4242], stats: { cpu: { usageNs: 0 } } }],
    },
    {
      processes: [{ pid: 4242, utimeTicks: 10 }],
      containers: [{ id: JOB, name: "job", pids: [4242], stats: { cpu: { usageNs: 0.5e9 } } }],
    },
  );
  const f = one(o, "cpu-not-in-processes");
  assert.equal(f.boundary, "process→container");
  assert.deepEqual(f.values, { cgroupMillicores: 500, processMillicores: 100 });
  assert.deepEqual(f.subjects, [JOB]);
  assert.match(f.detail, /^job: the cgroup used 500 m but its live processes only 100 m; 400 m/);
});

Deno.test("REQ-MON-005: gap does not report container CPU its processes explain", () => {
  const o = pair(
    {
      processes: [{ pid: 4242, utimeTicks: 0 }],
      containers: [{ id: JOB, pids: [4242], stats: { cpu: { usageNs: 0 } } }],
    },
    {
      processes: [{ pid: 4242, utimeTicks: 48 }],
      containers: [{ id: JOB, pids: [4242], stats: { cpu: { usageNs: 0.5e9 } } }],
    },
  );
  assert.deepEqual(found(o, "cpu-not-in-processes"), []);
});

Deno.test("REQ-MON-005: gap names processes whose PID differs inside their PID namespace", () => {
  const o = same({
    processes: [
      { pid: 4242, status: { nsPids: [4242, 1] } },
      { pid: 4300, status: { nsPids: [4300] } }, // a container sharing the host PID namespace
    ],
    containers: [{ id: WEB, pids: [4242] }, { id: DB, pids: [4300] }],
  });
  const f = one(o, "pid-namespaces");
  assert.deepEqual(f.values, { processes: 1 });
  assert.deepEqual(f.subjects, [4242]);
  assert.match(
    f.detail,
    /^1 containerised process has another PID inside its PID namespace \(e\.g\. host 4242 = 1 in aaaaaaaaaaaa\)/,
  );
});

Deno.test("REQ-MON-005: gap reports no PID namespace finding when all PIDs are the host's", () => {
  const o = same({
    processes: [{ pid: 4300, status: { nsPids: [4300] } }],
    containers: [{ id: DB, pids: [4300] }],
  });
  assert.deepEqual(found(o, "pid-namespaces"), []);
});

Deno.test("REQ-MON-005: gap compares summed process RSS with the cgroup's memory charge", () => {
  const o = same({
    processes: [{ pid: 4242, rssBytes: 20 * MiB }, { pid: 4243, rssBytes: 0 }],
    containers: [
      {
        id: WEB,
        name: "web",
        pids: [4242, 4243],
        stats: { memory: { usageBytes: 100 * MiB, fileBytes: 60 * MiB } },
      },
      // Within 16 MiB: nothing to say.
      { id: DB, pids: [4300], stats: { memory: { usageBytes: 28 * MiB } } },
      // No process: the sum says nothing.
      { id: JOB, pids: [], stats: { memory: { usageBytes: 500 * MiB } } },
    ],
  }, {
    processes: [{ pid: 4242, rssBytes: 20 * MiB }, { pid: 4243, rssBytes: 0 }, {
      pid: 4300,
      rssBytes: 20 * MiB,
    }],
  });
  const f = one(o, "rss-vs-cgroup-memory");
  assert.deepEqual(f.values, {
    processRssBytes: 20 * MiB,
    cgroupUsageBytes: 100 * MiB,
    cgroupFileBytes: 60 * MiB,
  });
  assert.deepEqual(f.subjects, [WEB]);
  assert.match(
    f.detail,
    /web: processes' RSS sums to 20 MiB, the cgroup is charged 100 MiB \(60 MiB/,
  );
});

// ---------------------------------------------------------------------------------------------
// container→host

Deno.test("REQ-MON-005: gap counts containers without CPU or memory limits", () => {
  const o = same({
    containers: [
      { id: WEB, stats: { cpu: { limitMillicores: 200 }, memory: { limitBytes: 256 * MiB } } },
      { id: DB, stats: { memory: { limitBytes: 1 * GiB } } },
      { id: JOB },
    ],
  });
  const f = one(o, "containers-without-limits");
  assert.equal(f.boundary, "container→host");
  assert.equal(f.severity, "warning");
  assert.deepEqual(f.values, { containers: 3, withoutCpuLimit: 2, withoutMemoryLimit: 1 });
  assert.deepEqual(f.subjects, [DB, JOB]);
  assert.match(f.detail, /^2 of 3 containers have no CPU limit and 1 no memory limit/);
});

Deno.test("REQ-MON-005: gap says nothing about limits when every container has both", () => {
  const o = same({
    containers: [{
      id: WEB,
      stats: { cpu: { limitMillicores: 200 }, memory: { limitBytes: 256 * MiB } },
    }],
  });
  assert.deepEqual(found(o, "containers-without-limits"), []);
});

/** A throttled container on a 4-CPU host that is `busy` percent busy in the interval. */
function throttledOn(busy: number, throttledAfter = 16): Observation {
  const container = (periods: number, throttled: number): ContainerInit => ({
    id: WEB,
    name: "web",
    stats: { cpu: { periods, throttledPeriods: throttled, limitMillicores: 200 } },
  });
  return pair(
    { host: { cpu: { user: 0, idle: 0 } }, containers: [container(100, 10)] },
    {
      host: { cpu: { user: busy * 4, idle: (100 - busy) * 4 } },
      containers: [container(110, throttledAfter)],
    },
  );
}

Deno.test("REQ-MON-005: gap reports containers throttled while the host has idle CPU", () => {
  const f = one(throttledOn(25), "throttled-with-idle-host");
  assert.equal(f.severity, "warning");
  assert.deepEqual(f.values, { containers: 1, hostBusyPercent: 25, idleCores: 3 });
  assert.deepEqual(f.subjects, [WEB]);
  assert.match(
    f.detail,
    /^1 container was throttled \(web: 6 periods\) while the host was 25% busy with 3\.00 cores idle/,
  );
});

Deno.test("REQ-MON-005: gap does not blame the quota when the host itself is busy", () => {
  assert.deepEqual(found(throttledOn(90), "throttled-with-idle-host"), []);
  assert.deepEqual(found(throttledOn(80), "throttled-with-idle-host"), []);
});

Deno.test("REQ-MON-005: gap needs throttling in the interval, not only since start", () => {
  assert.deepEqual(found(throttledOn(25, 10), "throttled-with-idle-host"), []);
});

Deno.test("REQ-MON-005: gap sets container working sets against host memory used", () => {
  const host: HostInit = { meminfo: { memTotalBytes: 8 * GiB, memAvailableBytes: 6 * GiB } };
  const o = same({
    host,
    containers: [
      { id: WEB, stats: { memory: { workingSetBytes: 300 * MiB } } },
      { id: DB, stats: { memory: { workingSetBytes: 212 * MiB } } },
      { id: JOB }, // working set unknown: counts as nothing
    ],
  });
  const f = one(o, "container-memory-vs-host");
  assert.equal(f.boundary, "container→host");
  assert.deepEqual(f.values, { containerWorkingSetBytes: 512 * MiB, hostUsedBytes: 2 * GiB });
  assert.match(
    f.detail,
    /^Containers' working sets sum to 512 MiB of the host's 2048 MiB used \(total minus available\); the other 1536 MiB/,
  );
  assert.deepEqual(found(same({ host: { meminfo: null } }), "container-memory-vs-host"), []);
});

Deno.test("REQ-MON-005: gap warns about a container above 90% of its memory limit", () => {
  const o = same({
    host: { meminfo: { memTotalBytes: 8 * GiB, memAvailableBytes: 6 * GiB } },
    containers: [
      {
        id: WEB,
        name: "web",
        stats: { memory: { workingSetBytes: 243 * MiB, limitBytes: 256 * MiB } },
      },
      { id: DB, stats: { memory: { workingSetBytes: 128 * MiB, limitBytes: 256 * MiB } } },
      { id: JOB, stats: { memory: { workingSetBytes: 4 * GiB, limitBytes: null } } },
    ],
  });
  const f = one(o, "near-memory-limit");
  assert.equal(f.severity, "warning");
  assert.deepEqual(f.values, { workingSetBytes: 243 * MiB, limitBytes: 256 * MiB });
  assert.deepEqual(f.subjects, [WEB]);
  assert.match(
    f.detail,
    /^web uses 95% of its 256 MiB limit while the host has 6144 MiB available/,
  );
});

Deno.test("REQ-MON-005: gap lists containers in the host network namespace", () => {
  const o = same({
    containers: [
      { id: WEB, network: null, networkNote: "host network namespace" },
      { id: DB, network: [] },
      { id: JOB, network: null, networkNote: "no process to read its network namespace through" },
    ],
  });
  const f = one(o, "host-network");
  assert.deepEqual(f.values, { containers: 1 });
  assert.deepEqual(f.subjects, [WEB]);
  assert.deepEqual(found(same({ containers: [{ id: DB }] }), "host-network"), []);
});

// ---------------------------------------------------------------------------------------------
// cross-level

Deno.test("REQ-MON-005: gap warns about containers stalled on CPU or memory (PSI above 10%)", () => {
  const o = same({
    host: { pressure: { cpu: pressure(3) } },
    containers: [
      { id: WEB, name: "web", stats: { pressure: { cpu: pressure(25.5), memory: pressure(0) } } },
      { id: DB, name: "db", stats: { pressure: { memory: pressure(12) } } },
      { id: JOB, stats: { pressure: { cpu: pressure(5), memory: pressure(9.9) } } },
      { id: id("d") }, // no PSI at all
    ],
  });
  const list = found(o, "container-pressure");
  assert.deepEqual(list.map((f) => [f.subjects, f.values]), [
    [[WEB], { cpuSomeAvg10: 25.5, memorySomeAvg10: 0 }],
    [[DB], { cpuSomeAvg10: 0, memorySomeAvg10: 12 }],
  ]);
  assert.equal(list[0].boundary, "cross-level");
  assert.equal(list[0].severity, "warning");
  assert.equal(
    list[0].detail,
    "web spent 25.5% of the last 10 s waiting for CPU and 0.0% waiting for memory (host: cpu 3.0%, memory -%).",
  );
});
