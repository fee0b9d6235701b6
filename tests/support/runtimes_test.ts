/**
 * Exercises every runtime helper against the real runtime: start it (timed), run a busy-loop
 * container limited to 0.2 CPU and 256 MiB, check its cgroup under the v1 cpu and memory
 * hierarchies and the unified mirror, check the metadata file the product will read, stop, and
 * verify that nothing the test made is left: no process, cgroup directory, mount, temporary
 * directory or host path.
 */

import assert from "node:assert/strict";
import { requireRuntime } from "./available.ts";
import {
  cgroupHierarchies,
  cgroupProcs,
  existingCgroupDirs,
  unifiedDir,
  v1ControllerDir,
} from "./cgroups.ts";
import { existedBeforeClaims, hasLiveClaims } from "./claims.ts";
import { startContainerd } from "./containerd.ts";
import { randomPodUid } from "./container_spec.ts";
import { startDockerd } from "./dockerd.ts";
import { CONTAINERD_HOST_PATHS, DOCKERD_HOST_PATHS, PODMAN_HOST_PATHS } from "./host_paths.ts";
import { mountsUnder } from "./mounts.ts";
import { startPodman } from "./podman.ts";
import { isAlive, processesReferencing, waitFor } from "./processes.ts";
import { startRuncContainer } from "./runc.ts";

/** Limits every test container gets, and what the kernel must show for them. */
const LIMITS = { cpus: 0.2, memory: "256m" } as const;
const QUOTA_US = 20_000;
const PERIOD_US = 100_000;
const MEMORY_BYTES = 268_435_456;
/** Generous bound on one runtime's start (measured: 30–350 ms on the 2-core machine). */
const MAX_START_MS = 10_000;

function read(path: string): string {
  return Deno.readTextFileSync(path).trim();
}

/** Asserts the container's cgroup shows the limits and holds its processes; returns the PIDs. */
async function assertLimitedBusyContainer(cgroupPath: string, initPid: number): Promise<number[]> {
  const cpu = v1ControllerDir("cpu", cgroupPath);
  const memory = v1ControllerDir("memory", cgroupPath);
  assert.ok(cpu !== null && memory !== null, "v1 cpu and memory hierarchies are mounted");
  assert.equal(read(`${cpu}/cpu.cfs_quota_us`), String(QUOTA_US));
  assert.equal(read(`${cpu}/cpu.cfs_period_us`), String(PERIOD_US));
  assert.equal(read(`${memory}/memory.limit_in_bytes`), String(MEMORY_BYTES));
  const unified = unifiedDir(cgroupPath);
  if (unified !== null) assert.ok(Deno.statSync(unified).isDirectory, `${unified} exists`);
  // The shell forks the busy loop and sleep right after the runtime returns.
  await waitFor(() => cgroupProcs(cgroupPath).length >= 3, { timeoutMs: 5_000 });
  const pids = cgroupProcs(cgroupPath);
  assert.ok(pids.includes(initPid), `init ${initPid} is in ${cgroupPath}: ${pids}`);
  assert.ok(pids.length >= 3, `shell, busy loop and sleep are in ${cgroupPath}: ${pids}`);
  // The busy loop wants a whole CPU and gets 20 %: the kernel throttles it.
  const throttled = await waitFor(
    () => /nr_throttled [1-9]/.test(read(`${cpu}/cpu.stat`)),
    { timeoutMs: 5_000, intervalMs: 50 },
  );
  assert.ok(throttled, `cpu.stat shows throttling: ${read(`${cpu}/cpu.stat`)}`);
  return pids;
}

/**
 * What existed before a test, to compare with what exists after it. Where a concurrent test
 * process held a claim on a path then, it may have made the path and may remove it whenever it is
 * done: what was there before is its first claimer's baseline (`existedBeforeClaims`).
 */
interface Before {
  hostPaths: Map<string, boolean>;
  cgroupDirs: Map<string, boolean>;
}

function snapshot(hostPaths: string[], cgroupParents: string[]): Before {
  const exists = (p: string) => {
    try {
      Deno.lstatSync(p);
      return true;
    } catch {
      return false;
    }
  };
  const cgroupDirs = new Map<string, boolean>();
  for (const h of cgroupHierarchies()) {
    for (const parent of cgroupParents) {
      const dir = `${h.mountPoint}${parent}`;
      cgroupDirs.set(dir, existedBeforeClaims(`cgroup:${dir}`, () => exists(dir)));
    }
  }
  const before = (p: string) => existedBeforeClaims(`host:${p}`, () => exists(p));
  return { hostPaths: new Map(hostPaths.map((p) => [p, before(p)])), cgroupDirs };
}

/** Asserts that nothing the test made is left behind. */
function assertCleanedUp(
  { dir, pids, cgroupPaths, before }: {
    dir: string;
    pids: number[];
    cgroupPaths: string[];
    before: Before;
  },
): void {
  assert.deepEqual(processesReferencing(dir).map((p) => `${p.pid} ${p.argv.join(" ")}`), []);
  assert.deepEqual(pids.filter((pid) => isAlive(pid)), [], "every process we started is gone");
  for (const path of cgroupPaths) assert.deepEqual(existingCgroupDirs(path), [], path);
  assert.deepEqual(mountsUnder(dir), []);
  assert.throws(() => Deno.statSync(dir), Deno.errors.NotFound, `${dir} is removed`);
  // Shared parents may legitimately exist now while a concurrent test process claims them.
  for (const [path, existed] of before.hostPaths) {
    if (hasLiveClaims(`host:${path}`)) continue;
    assert.equal(existsNow(path), existed, `${path} as before the test`);
  }
  for (const [path, existed] of before.cgroupDirs) {
    if (hasLiveClaims(`cgroup:${path}`)) continue;
    assert.equal(existsNow(path), existed, `${path} as before the test`);
  }
}

function existsNow(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "REQ-TST-003 REQ-TST-008 REQ-TST-009: startDockerd() runs a limited container in /docker/<id> and cleans up",
  ignore: !requireRuntime("docker"),
  fn: async () => {
    const before = snapshot(DOCKERD_HOST_PATHS, ["/docker"]);
    const daemon = await startDockerd();
    let pids: number[] = [];
    let id = "";
    try {
      console.log(`dockerd start: ${daemon.startMs.toFixed(0)} ms`);
      assert.ok(daemon.startMs < MAX_START_MS);
      assert.ok(daemon.socket.startsWith(daemon.dir) && !daemon.socket.includes("/var/run"));
      id = await daemon.run({ ...LIMITS, name: "fgm-busy", labels: { "fgm.test": "busy" } });
      assert.match(id, /^[0-9a-f]{64}$/);
      assert.equal(daemon.cgroupPath(id), `/docker/${id}`);
      const pid = await daemon.containerPid(id);
      pids = await assertLimitedBusyContainer(daemon.cgroupPath(id), pid);
      const config = JSON.parse(read(daemon.configPath(id)));
      assert.equal(config.ID, id);
      assert.equal(config.Name, "/fgm-busy");
      assert.equal(config.State.Pid, pid);
      assert.deepEqual(config.Config.Labels, { "fgm.test": "busy" });
      const hostConfig = JSON.parse(read(`${daemon.dataRoot}/containers/${id}/hostconfig.json`));
      assert.equal(hostConfig.NanoCpus, 200_000_000);
      assert.equal(hostConfig.Memory, MEMORY_BYTES);
    } finally {
      const stopStart = performance.now();
      await daemon.stop();
      console.log(`dockerd stop: ${(performance.now() - stopStart).toFixed(0)} ms`);
    }
    assertCleanedUp({
      dir: daemon.dir,
      pids: [...pids, daemon.pid, daemon.containerdPid],
      cgroupPaths: [`/docker/${id}`],
      before,
    });
  },
});

Deno.test({
  name:
    "REQ-TST-004 REQ-TST-008 REQ-TST-009: startContainerd() places pod containers for both cgroup drivers with CRI annotations",
  ignore: !requireRuntime("containerd"),
  fn: async () => {
    const before = snapshot(CONTAINERD_HOST_PATHS, ["/kubepods", "/kubepods.slice"]);
    const daemon = await startContainerd();
    const pids: number[] = [];
    const cgroupPaths: string[] = [];
    try {
      console.log(`containerd start: ${daemon.startMs.toFixed(0)} ms`);
      assert.ok(daemon.startMs < MAX_START_MS);
      const podUid = randomPodUid();
      for (const driver of ["cgroupfs", "systemd"] as const) {
        const c = await daemon.runKube({
          ...LIMITS,
          driver,
          qos: "Burstable",
          podUid,
          podName: `web-${driver}`,
          podNamespace: "shop",
          containerName: "app",
        });
        cgroupPaths.push(c.cgroupPath, c.podCgroupPath);
        assert.equal(
          c.cgroupPath,
          driver === "cgroupfs"
            ? `/kubepods/burstable/pod${podUid}/${c.id}`
            : `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${
              podUid.replaceAll("-", "_")
            }.slice/cri-containerd-${c.id}.scope`,
        );
        assert.equal(
          c.configPath,
          `${daemon.state}/io.containerd.runtime.v2.task/k8s.io/${c.id}/config.json`,
        );
        pids.push(...await assertLimitedBusyContainer(c.cgroupPath, c.pid));
        const config = JSON.parse(read(c.configPath));
        assert.equal(config.linux.cgroupsPath, c.cgroupPath);
        assert.deepEqual(config.annotations, {
          "io.kubernetes.cri.container-type": "container",
          "io.kubernetes.cri.container-name": "app",
          "io.kubernetes.cri.sandbox-id": c.sandboxId,
          "io.kubernetes.cri.sandbox-name": `web-${driver}`,
          "io.kubernetes.cri.sandbox-namespace": "shop",
          "io.kubernetes.cri.sandbox-uid": podUid,
        });
        assert.equal(Number(read(`${c.bundleDir}/init.pid`)), c.pid);
      }
    } finally {
      await daemon.stop();
    }
    assertCleanedUp({ dir: daemon.dir, pids: [...pids, daemon.pid], cgroupPaths, before });
  },
});

Deno.test({
  name:
    "REQ-TST-005 REQ-TST-008 REQ-TST-009: startRuncContainer() runs a bundle with limits at its cgroupsPath",
  ignore: !requireRuntime("runc"),
  fn: async () => {
    const before = snapshot([], ["/fgm-runc"]);
    const container = await startRuncContainer({ ...LIMITS, labels: { "fgm.test": "runc" } });
    let pids: number[] = [];
    try {
      console.log(`runc start: ${container.startMs.toFixed(0)} ms`);
      assert.ok(container.startMs < MAX_START_MS);
      assert.equal(container.cgroupPath, `/fgm-runc/${container.id}`);
      pids = await assertLimitedBusyContainer(container.cgroupPath, container.pid);
      const config = JSON.parse(read(container.configPath));
      assert.equal(config.linux.cgroupsPath, container.cgroupPath);
      assert.deepEqual(config.annotations, { "fgm.test": "runc" });
      const state = JSON.parse(read(`${container.stateRoot}/${container.id}/state.json`));
      assert.equal(state.init_process_pid, container.pid);
    } finally {
      await container.stop();
    }
    assertCleanedUp({
      dir: container.dir,
      pids,
      cgroupPaths: [container.cgroupPath],
      before,
    });
  },
});

Deno.test({
  name:
    "REQ-TST-006 REQ-TST-008 REQ-TST-009: startPodman() runs a limited container in /libpod_parent/libpod-<id>",
  ignore: !requireRuntime("podman"),
  fn: async () => {
    const before = snapshot(PODMAN_HOST_PATHS, ["/libpod_parent"]);
    const engine = await startPodman();
    let pids: number[] = [];
    let id = "";
    try {
      console.log(`podman start: ${engine.startMs.toFixed(0)} ms`);
      assert.ok(engine.startMs < MAX_START_MS);
      id = await engine.run({ ...LIMITS, name: "fgm-busy", labels: { "fgm.test": "podman" } });
      assert.equal(engine.cgroupPath(id), `/libpod_parent/libpod-${id}`);
      const pid = await engine.containerPid(id);
      pids = await assertLimitedBusyContainer(engine.cgroupPath(id), pid);
      const conmonPids = cgroupProcs("/libpod_parent/conmon");
      assert.ok(conmonPids.length >= 1, "conmon runs in /libpod_parent/conmon");
      pids.push(...conmonPids);
      const config = JSON.parse(read(engine.configPath(id)));
      assert.equal(config.linux.cgroupsPath, `/libpod_parent/libpod-${id}`);
      assert.equal(config.annotations["io.container.manager"], "libpod");
    } finally {
      await engine.stop();
    }
    assertCleanedUp({
      dir: engine.dir,
      pids,
      cgroupPaths: [`/libpod_parent/libpod-${id}`],
      before,
    });
  },
});
