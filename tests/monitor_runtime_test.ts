/**
 * `fgm monitor` against real containers started by the tests: a `--cpus 0.2 --memory 256m` busy
 * loop under dockerd, and pod containers under containerd with kubepods cgroup paths.
 */

import assert from "node:assert/strict";
import { requireRuntime } from "./support/available.ts";
import { startDockerd } from "./support/dockerd.ts";
import { startContainerd } from "./support/containerd.ts";
import { runFgm } from "./support/fgm.ts";

const MiB = 1024 * 1024;

// deno-lint-ignore no-explicit-any
type Json = any;

async function monitorJson(args: string[]): Promise<Json> {
  const r = await runFgm(["monitor", ...args, "--json"]);
  assert.equal(r.code, 0, `fgm monitor ${args.join(" ")} failed: ${r.stderr}`);
  assert.equal(r.stderr, "", "stderr stays empty with --json");
  return JSON.parse(r.stdout);
}

Deno.test({
  name: "REQ-MON-003: monitor container reads a docker --cpus 0.2 --memory 256m busy loop",
  ignore: !requireRuntime("docker"),
  sanitizeResources: false,
  fn: async () => {
    const daemon = await startDockerd();
    let veth: string | null = null;
    try {
      const name = `fgm-busy-${Deno.pid}`;
      const id = await daemon.run({ name, cpus: 0.2, memory: "256m" });
      const pid = await daemon.containerPid(id);
      // A veth pair into the container's network namespace, so the host-side peer is known.
      veth = `vfgm${Deno.pid % 100000}`;
      await ip(["link", "add", veth, "type", "veth", "peer", "name", `${veth}p`]);
      await ip(["link", "set", `${veth}p`, "netns", String(pid)]);
      await new Promise((r) => setTimeout(r, 1500)); // let it throttle

      const first = await monitorJson(["container", name, "--interval", "2"]);
      assert.equal(first.id, id);
      assert.equal(first.name, name);
      assert.equal(first.runtime, "docker");
      assert.equal(first.cgroupPath, `/docker/${id}`);
      assert.equal(first.cpu.limitMillicores, 200);
      assert.ok(
        Math.abs(first.cpu.usageMillicores - 200) <= 20,
        `usage ${first.cpu.usageMillicores} m should be 200 ± 20`,
      );
      assert.ok(first.cpu.throttledPeriods > 0, "throttled in the interval");
      assert.ok(first.cpu.throttledSeconds > 0);
      assert.equal(first.memory.limitBytes, 256 * MiB);
      assert.ok(first.memory.usageBytes > 0 && first.memory.usageBytes < 256 * MiB);
      assert.deepEqual(first.processes.map((p: Json) => p.name).sort(), ["sh", "sh", "sleep"]);
      assert.ok(first.processes.some((p: Json) => p.nsPid === 1), "init is PID 1 inside");
      const busy = first.processes.find((p: Json) => p.cpuMillicores > 100);
      assert.ok(busy, "the busy loop shows in the process list");
      assert.ok(first.processes.every((p: Json) => p.pssBytes > 0));
      assert.equal(first.pids.current, 3);
      const eth = first.network.interfaces.find((i: Json) => i.name === `${veth}p`);
      assert.ok(eth, "the container's veth end is listed");
      assert.equal(eth.hostVeth, veth);
      assert.ok(first.namespaces.pid > 0);

      // Counters keep rising between two runs.
      const second = await monitorJson(["container", id.slice(0, 10), "--interval", "1"]);
      assert.ok(second.cpu.throttledPeriodsTotal > first.cpu.throttledPeriodsTotal);

      // The same container from the other levels.
      const host = await monitorJson(["host"]);
      const row = host.containers.find((c: Json) => c.id === id);
      assert.ok(row, "host view lists the container");
      assert.equal(row.cpuLimitMillicores, 200);
      assert.equal(row.memoryLimitBytes, 256 * MiB);

      const proc = await monitorJson(["process", String(pid)]);
      assert.equal(proc.container.id, id);
      assert.equal(proc.nsPid, 1);
      assert.equal(proc.cgroupPath, `/docker/${id}`);

      const corr = await monitorJson(["correlation", name]);
      const inMemory = corr.table.find((r: Json) => r.aspect === "in memory");
      assert.match(inMemory.process, new RegExp(`${pid}→1`));
      assert.match(inMemory.container, new RegExp(id.slice(0, 12)));
      const cpuRow = corr.metrics.find((m: Json) => m.metric === "cpu limit");
      assert.equal(cpuRow.container, 200);
      const isolation = corr.table.find((r: Json) => r.aspect === "isolation");
      assert.match(isolation.container, /own pid, mnt, net/);

      const gap = await monitorJson(["gap"]);
      const throttled = gap.findings.find((f: Json) => f.id === "throttled-with-idle-host");
      if (gap.hostBusyPercent < 80) {
        assert.ok(throttled, "gap names the throttled container while the host has idle CPU");
        assert.ok(throttled.subjects.includes(id));
      } else {
        // Other tests keep both cores busy: then the quota is not the only limit, and gap says nothing.
        assert.equal(throttled, undefined);
      }
      const pidns = gap.findings.find((f: Json) => f.id === "pid-namespaces");
      assert.ok(pidns.subjects.includes(pid));
    } finally {
      if (veth) await ip(["link", "del", veth]).catch(() => {});
      await daemon.stop();
    }
  },
});

Deno.test({
  name: "REQ-MON-003: monitor container shows pod, namespace and QoS of containerd pods",
  ignore: !requireRuntime("containerd"),
  sanitizeResources: false,
  fn: async () => {
    const daemon = await startContainerd();
    try {
      const cgroupfs = await daemon.runKube({
        driver: "cgroupfs",
        qos: "Burstable",
        podName: "web-0",
        podNamespace: "shop",
        containerName: "app",
        cpus: 0.5,
        memory: "128m",
      });
      const systemd = await daemon.runKube({
        driver: "systemd",
        qos: "Guaranteed",
        podName: "db-0",
        podNamespace: "data",
        containerName: "postgres",
        cpus: 0.2,
        memory: "64m",
      });
      const a = await monitorJson(["container", cgroupfs.id]);
      assert.deepEqual(
        {
          pod: a.kubernetes.podName,
          ns: a.kubernetes.namespace,
          qos: a.kubernetes.qosClass,
          uid: a.kubernetes.podUid,
        },
        { pod: "web-0", ns: "shop", qos: "Burstable", uid: cgroupfs.podUid },
      );
      assert.equal(a.kubernetes.containerName, "app");
      assert.equal(a.cpu.limitMillicores, 500);
      assert.equal(a.memory.limitBytes, 128 * MiB);

      // By "namespace/pod", on the systemd-driver layout.
      const b = await monitorJson(["container", "data/db-0"]);
      assert.equal(b.id, systemd.id);
      assert.equal(b.kubernetes.qosClass, "Guaranteed");
      assert.equal(b.kubernetes.containerName, "postgres");
      assert.equal(b.kubernetes.podUid, systemd.podUid);
      assert.match(b.cgroupPath, /^\/kubepods\.slice\/.*cri-containerd-[0-9a-f]{64}\.scope$/);
      assert.equal(b.cpu.limitMillicores, 200);

      const host = await monitorJson(["host"]);
      const row = host.containers.find((c: Json) => c.id === cgroupfs.id);
      assert.equal(row.pod, "shop/web-0");

      const all = await monitorJson(["all"]);
      const ids = all.containers.map((c: Json) => c.id);
      assert.ok(ids.includes(cgroupfs.id) && ids.includes(systemd.id));
      assert.ok(all.containers.every((c: Json) => Array.isArray(c.processes)));
    } finally {
      await daemon.stop();
    }
  },
});

async function ip(args: string[]): Promise<void> {
  const r = await new Deno.Command("ip", { args, stdout: "null", stderr: "piped" }).output();
  if (!r.success) throw new Error(`ip ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
}
