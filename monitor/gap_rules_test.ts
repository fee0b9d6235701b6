import assert from "node:assert/strict";
import {
  containerMemoryVsHost,
  containerPressure,
  containersWithoutLimits,
  cpuNotInProcesses,
  hostNetwork,
  nearMemoryLimit,
  pidNamespaces,
  processesOutsideContainers,
  rssVsCgroupMemory,
  throttledWithIdleHost,
} from "./gap_rules.ts";

const MiB = 1024 * 1024;
const WEB = { id: "a".repeat(64), name: "web" };
const ANON = { id: "b".repeat(64), name: null };

Deno.test("REQ-MON-005, REQ-MCP-006: processes outside containers are always reported, in the basis's tense", () => {
  const v = {
    processes: 7,
    kernelThreads: 2,
    cpuMillicores: 120.4,
    rssBytes: 300.4 * MiB,
    largest: [1, 2, 3, 4, 5, 6].map((pid) => ({ pid, comm: `p${pid}`, rssBytes: 50 * MiB })),
  };
  const live = processesOutsideContainers(v, "live");
  assert.equal(live.id, "processes-outside-containers");
  assert.deepEqual(live.values, {
    processes: 7,
    kernelThreads: 2,
    cpuMillicores: 120,
    rssBytes: Math.round(300.4 * MiB),
  });
  assert.deepEqual(live.subjects, [1, 2, 3, 4, 5]);
  assert.match(
    live.detail,
    /^7 user processes \(and 2 kernel threads\) run outside .* 300 MiB RSS;/,
  );
  assert.match(
    processesOutsideContainers(v, "recorded").detail,
    /\) ran outside .* RSS on average;/,
  );
  const none = processesOutsideContainers({ ...v, processes: 0, largest: [] }, "live");
  assert.match(none.detail, /Largest: none\.$/);
});

Deno.test("REQ-MON-005, REQ-MCP-006: CPU not in processes needs more than 50 m and 20 % unaccounted", () => {
  assert.equal(
    cpuNotInProcesses({ ...WEB, cgroupMillicores: 100, processMillicores: 50 }, "live"),
    null,
  );
  assert.equal(
    cpuNotInProcesses({ ...WEB, cgroupMillicores: 1000, processMillicores: 900 }, "live"),
    null,
  );
  const f = cpuNotInProcesses(
    { ...ANON, cgroupMillicores: 300.6, processMillicores: 100.2 },
    "live",
  );
  assert.deepEqual(f?.values, { cgroupMillicores: 301, processMillicores: 100 });
  assert.deepEqual(f?.subjects, [ANON.id]);
  assert.match(
    f!.detail,
    /^bbbbbbbbbbbb: the cgroup used 301 m but its live processes .* within the interval/,
  );
  const r = cpuNotInProcesses(
    { ...WEB, cgroupMillicores: 300, processMillicores: 100 },
    "recorded",
  );
  assert.match(
    r!.detail,
    /^web: the cgroup used 300 m on average but its recorded .* within a second/,
  );
});

Deno.test("REQ-MON-005: renumbered PIDs name up to 10 host PIDs and three examples", () => {
  assert.equal(pidNamespaces([]), null);
  const list = Array.from(
    { length: 12 },
    (_, i) => ({ pid: 100 + i, nsPid: i + 1, containerId: WEB.id }),
  );
  const f = pidNamespaces(list)!;
  assert.deepEqual(f.values, { processes: 12 });
  assert.equal(f.subjects.length, 10);
  assert.match(
    f.detail,
    /12 containerised processes have .* \(e\.g\. host 100 = 1 in aaaaaaaaaaaa, host 101/,
  );
  assert.match(
    pidNamespaces(list.slice(0, 1))!.detail,
    /1 containerised process has another PID inside its/,
  );
});

Deno.test("REQ-MON-005, REQ-MCP-006: RSS and cgroup memory disagree by more than 16 MiB of a charged cgroup", () => {
  const m = { ...WEB, processRssBytes: 100 * MiB, cgroupUsageBytes: 110 * MiB, cgroupFileBytes: 0 };
  assert.equal(rssVsCgroupMemory(m), null);
  assert.equal(rssVsCgroupMemory({ ...m, processRssBytes: 100 * MiB, cgroupUsageBytes: 0 }), null);
  const f = rssVsCgroupMemory({ ...m, cgroupUsageBytes: 200 * MiB, cgroupFileBytes: 30 * MiB })!;
  assert.deepEqual(f.values, {
    processRssBytes: 100 * MiB,
    cgroupUsageBytes: 200 * MiB,
    cgroupFileBytes: 30 * MiB,
  });
  assert.match(
    f.detail,
    /^web: processes' RSS sums to 100 MiB, the cgroup is charged 200 MiB \(30 MiB/,
  );
});

Deno.test("REQ-MON-005, REQ-MCP-006: containers without a CPU or memory limit", () => {
  assert.equal(containersWithoutLimits([]), null);
  assert.equal(
    containersWithoutLimits([{ id: "x", cpuLimitMillicores: 1000, memoryLimitBytes: MiB }]),
    null,
  );
  const f = containersWithoutLimits([
    { id: "x", cpuLimitMillicores: null, memoryLimitBytes: null },
    { id: "y", cpuLimitMillicores: 1000, memoryLimitBytes: null },
    { id: "z", cpuLimitMillicores: 1000, memoryLimitBytes: MiB },
  ])!;
  assert.deepEqual(f.values, { containers: 3, withoutCpuLimit: 1, withoutMemoryLimit: 2 });
  assert.deepEqual(f.subjects, ["x", "y"]);
  assert.match(f.detail, /^1 of 3 containers has no CPU limit and 2 no memory limit/);
});

Deno.test("REQ-MON-005, REQ-MCP-006: throttled only while the host is known and less than 80 % busy", () => {
  const cs = [{ ...WEB, throttledPeriods: 4 }, { ...ANON, throttledPeriods: null }];
  assert.equal(throttledWithIdleHost(cs, { busyPercent: 80, cpuCount: 4 }), null);
  assert.equal(throttledWithIdleHost(cs, { busyPercent: null, cpuCount: 4 }), null);
  assert.equal(
    throttledWithIdleHost([{ ...WEB, throttledPeriods: 0 }], { busyPercent: 10, cpuCount: 4 }),
    null,
  );
  const f = throttledWithIdleHost(cs, { busyPercent: 25, cpuCount: 4 })!;
  assert.deepEqual(f.values, { containers: 1, hostBusyPercent: 25, idleCores: 3 });
  assert.deepEqual(f.subjects, [WEB.id]);
  assert.match(
    f.detail,
    /^1 container was throttled \(web: 4 periods\) while the host was 25% busy with 3\.00 cores idle/,
  );
});

Deno.test("REQ-MON-005, REQ-MCP-006: container working sets against host memory, when that is known", () => {
  assert.equal(containerMemoryVsHost([MiB], null), null);
  const f = containerMemoryVsHost([100 * MiB, null, 50 * MiB], 1000 * MiB)!;
  assert.deepEqual(f.values, { containerWorkingSetBytes: 150 * MiB, hostUsedBytes: 1000 * MiB });
  assert.match(f.detail, /sum to 150 MiB of the host's 1000 MiB used .* the other 850 MiB/);
});

Deno.test("REQ-MON-005, REQ-MCP-006: near the memory limit above 90 % of it", () => {
  const c = { ...WEB, workingSetBytes: 90 * MiB, limitBytes: 100 * MiB };
  assert.equal(nearMemoryLimit(c, 0, "live"), null);
  assert.equal(nearMemoryLimit({ ...c, limitBytes: null }, 0, "live"), null);
  const f = nearMemoryLimit({ ...c, workingSetBytes: 95 * MiB }, 2048 * MiB, "live")!;
  assert.deepEqual(f.values, { workingSetBytes: 95 * MiB, limitBytes: 100 * MiB });
  assert.match(
    f.detail,
    /^web uses 95% of its 100 MiB limit while the host has 2048 MiB available/,
  );
  const r = nearMemoryLimit({ ...c, workingSetBytes: 95 * MiB }, null, "recorded")!;
  assert.match(r.detail, /^web used up to 95% of its 100 MiB limit while the host had 0 MiB/);
});

Deno.test("REQ-MON-005: containers in the host's network namespace", () => {
  assert.equal(hostNetwork([]), null);
  const f = hostNetwork(["x", "y"])!;
  assert.deepEqual([f.values, f.subjects], [{ containers: 2 }, ["x", "y"]]);
  assert.match(f.detail, /^2 containers use the host's network namespace/);
});

Deno.test("REQ-MON-005, REQ-MCP-006: a container stalled more than 10 % on CPU or memory", () => {
  const host = { cpuSomeAvg10: 1.25, memorySomeAvg10: null };
  assert.equal(
    containerPressure({ ...WEB, cpuSomeAvg10: 10, memorySomeAvg10: 0 }, host, "live"),
    null,
  );
  const f = containerPressure({ ...WEB, cpuSomeAvg10: 12.34, memorySomeAvg10: 0 }, host, "live")!;
  assert.equal(f.boundary, "cross-level");
  assert.deepEqual(f.values, { cpuSomeAvg10: 12.34, memorySomeAvg10: 0 });
  assert.equal(
    f.detail,
    "web spent 12.3% of the last 10 s waiting for CPU and 0.0% waiting for memory (host: cpu 1.3%, memory -%).",
  );
  const r = containerPressure({ ...WEB, cpuSomeAvg10: 0, memorySomeAvg10: 11 }, host, "recorded")!;
  assert.match(r.detail, /^web spent up to 0\.0% of 10 s waiting for CPU and up to 11\.0% waiting/);
});
