import assert from "node:assert/strict";
import { NOT_RECORDED, recordedCorrelation } from "./correlation.ts";
import type { LevelFacts } from "./levels.ts";

const MiB = 1024 * 1024;

const FACTS: LevelFacts = {
  node: "node-a",
  fromMs: 0,
  toMs: 10_000,
  processesRecorded: true,
  hostProcessesRecorded: false,
  containers: [{
    id: "node-a/abcdef0123456789",
    containerId: "abcdef0123456789",
    name: "web",
    labels: { runtime: "containerd", pod_name: "web-0", namespace: "shop", qos_class: "Burstable" },
    samples: 10,
    cpuMillicores: 250,
    cpuLimitMillicores: 500,
    throttledPeriods: 4,
    memoryUsageBytes: 80 * MiB,
    memoryFileBytes: 5 * MiB,
    memoryLimitBytes: 128 * MiB,
    workingSetBytes: 70 * MiB,
    workingSetMaxBytes: 72 * MiB,
    pids: 2,
    cpuSomeAvg10Max: 3.5,
    memorySomeAvg10Max: 0,
  }],
  processes: [
    {
      containerId: "abcdef0123456789",
      pid: 4242,
      comm: "worker",
      samples: 5,
      cpuMillicoresSum: 500,
      rssBytesSum: 5 * 20 * MiB,
      vszBytes: 1,
      threads: 8,
    },
    {
      containerId: "abcdef0123456789",
      pid: 4100,
      comm: "nginx",
      samples: 10,
      cpuMillicoresSum: 1500,
      rssBytesSum: 10 * 40 * MiB,
      vszBytes: 1,
      threads: 1,
    },
  ],
  host: {
    cpuCount: 4,
    cpuMillicores: 900,
    memoryUsedBytes: 2000 * MiB,
    memoryAvailableBytes: 6000 * MiB,
    memoryTotalBytes: 8000 * MiB,
    processes: 250,
    cpuSomeAvg10Max: 1.25,
    memorySomeAvg10Max: 0,
  },
};

Deno.test("REQ-MCP-007: the correlation table of a container from its recorded levels", () => {
  const c = recordedCorrelation(FACTS, "abcdef0123456789")!;
  assert.equal(c.mainPid, 4100);
  const row = (aspect: string) => c.table.find((r) => r.aspect === aspect)!;
  assert.deepEqual(row("in memory"), {
    aspect: "in memory",
    process: "PID 4100, 4242",
    container: "web (abcdef012345), pod shop/web-0",
    host: "node-a",
  });
  assert.equal(row("spec").process, "nginx");
  assert.equal(row("runtime context").container, "containerd on node-a, QoS Burstable");
  assert.equal(row("runtime context").host, "4 CPUs");
  assert.deepEqual(row("in network"), {
    aspect: "in network",
    process: NOT_RECORDED,
    container: NOT_RECORDED,
    host: NOT_RECORDED,
  });
  const metric = (name: string) => c.metrics.find((m) => m.metric === name)!;
  assert.deepEqual(metric("cpu"), {
    metric: "cpu",
    unit: "millicores",
    process: 150,
    container: 250,
    host: 900,
  });
  assert.deepEqual(metric("cpu limit"), {
    metric: "cpu limit",
    unit: "millicores",
    process: null,
    container: 500,
    host: 4000,
  });
  assert.equal(metric("memory").process, 40 * MiB);
  assert.equal(metric("memory limit").host, 8000 * MiB);
  assert.equal(metric("processes").container, 2);
  assert.equal(metric("cpu pressure some avg10").container, 3.5);
  assert.ok(c.notRecorded.length >= 4);
  assert.equal(recordedCorrelation(FACTS, "nothing"), null);
});
