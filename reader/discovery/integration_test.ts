/**
 * Discovery against real runtimes: a private dockerd and a private containerd started by the
 * harness in tests/support/, read through the real /proc and /sys/fs/cgroup.
 */
import assert from "node:assert/strict";
import { DEFAULT_ROOTS } from "../fs.ts";
import { createHandleFs } from "../handle_fs.ts";
import { requireRuntime } from "../../tests/support/available.ts";
import { startDockerd } from "../../tests/support/dockerd.ts";
import { startContainerd } from "../../tests/support/containerd.ts";
import { startPodman } from "../../tests/support/podman.ts";
import { startRuncContainer } from "../../tests/support/runc.ts";
import { discoverContainers } from "./containers.ts";
import { createMetadataCache } from "./metadata.ts";

Deno.test({
  name:
    "REQ-DSC-020: discoverContainers() finds a real docker container with name, pids and metadata",
  ignore: !requireRuntime("docker"),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using daemon = await startDockerd();
    const id = await daemon.run({ name: "fgm-dsc-web", labels: { app: "web" } });
    const pid = await daemon.containerPid(id);
    const fs = createHandleFs();
    try {
      const metadata = createMetadataCache(fs, DEFAULT_ROOTS);
      assert.ok(
        metadata.locations().docker.some((d) => d.dataRoot === daemon.dataRoot),
        "the private dockerd's --data-root was read from its command line",
      );
      const found = discoverContainers(fs, DEFAULT_ROOTS, { metadata });
      const c = found.find((x) => x.id === id);
      assert.ok(c, `container ${id} discovered`);
      assert.equal(c.runtime, "docker");
      assert.equal(c.name, "fgm-dsc-web");
      assert.ok(c.pids.includes(pid), `init pid ${pid} in ${c.pids}`);
      assert.ok(c.pids.length >= 2, "the busy loop child is grouped with its shell");
      assert.equal(c.cgroupPaths.v1.memory, daemon.cgroupPath(id));
      assert.equal(c.cgroupDirs.v1.cpu, `/sys/fs/cgroup/cpu${daemon.cgroupPath(id)}`);
      assert.equal(c.metadata?.state, "running");
      assert.equal(c.metadata?.pid, pid);
      assert.equal(c.metadata?.image, "fgm-busybox:latest");
      assert.equal(c.metadata?.labels.app, "web");
      assert.equal(c.metadata?.hostname, id.slice(0, 12));
      assert.ok(c.metadata?.storagePath?.startsWith(`${daemon.dataRoot}/`));
      assert.equal(c.podUid, null);
      assert.equal(c.qosClass, null);
      assert.equal(c.sandbox, false);
    } finally {
      fs.close();
    }
  },
});

Deno.test({
  name:
    "REQ-DSC-021: discoverContainers() finds real containerd pod containers with pod, namespace and QoS",
  ignore: !requireRuntime("containerd"),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using daemon = await startContainerd();
    const burstable = await daemon.runKube({
      qos: "Burstable",
      podName: "web-7d4b9c",
      podNamespace: "shop",
      containerName: "nginx",
      cpus: 0.5,
    });
    const guaranteed = await daemon.runKube({
      driver: "systemd",
      qos: "Guaranteed",
      podName: "db-0",
      podNamespace: "data",
      containerName: "postgres",
    });
    const fs = createHandleFs();
    try {
      const metadata = createMetadataCache(fs, DEFAULT_ROOTS);
      assert.ok(metadata.locations().containerd.some((c) => c.state === daemon.state));
      const found = discoverContainers(fs, DEFAULT_ROOTS, { metadata });
      const b = found.find((x) => x.id === burstable.id);
      assert.ok(b, "cgroupfs kubepods container discovered");
      assert.equal(b.runtime, "containerd");
      assert.equal(b.podName, "web-7d4b9c");
      assert.equal(b.podNamespace, "shop");
      assert.equal(b.podUid, burstable.podUid);
      assert.equal(b.containerName, "nginx");
      assert.equal(b.qosClass, "Burstable");
      assert.ok(b.pids.includes(burstable.pid), `init pid ${burstable.pid} in ${b.pids}`);
      assert.equal(b.cgroupPaths.v1.cpu, burstable.cgroupPath);
      assert.equal(b.metadata?.containerdNamespace, "k8s.io");
      assert.equal(b.metadata?.state, "running");

      const g = found.find((x) => x.id === guaranteed.id);
      assert.ok(g, "systemd-driver kubepods container discovered");
      assert.equal(g.runtime, "containerd");
      assert.equal(g.podName, "db-0");
      assert.equal(g.podNamespace, "data");
      assert.equal(g.podUid, guaranteed.podUid);
      assert.equal(g.qosClass, "Guaranteed");
      assert.ok(g.pids.includes(guaranteed.pid));
      assert.equal(g.cgroupPaths.v1.memory, guaranteed.cgroupPath);
    } finally {
      fs.close();
    }
  },
});

Deno.test({
  name:
    "REQ-DSC-022: discoverContainers() finds a real podman container with name and pids, not conmon",
  ignore: !requireRuntime("podman"),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using engine = await startPodman();
    const id = await engine.run({ name: "fgm-dsc-podman" });
    const pid = await engine.containerPid(id);
    const fs = createHandleFs();
    try {
      const metadata = createMetadataCache(fs, DEFAULT_ROOTS);
      const conmon = metadata.locations().conmon.find((c) => c.containerId === id);
      assert.ok(conmon, "the container's conmon was found");
      const found = discoverContainers(fs, DEFAULT_ROOTS, { metadata });
      const c = found.find((x) => x.id === id);
      assert.ok(c, `container ${id} discovered`);
      assert.equal(c.runtime, "podman");
      assert.equal(c.name, "fgm-dsc-podman");
      assert.ok(c.pids.includes(pid));
      assert.ok(!c.pids.includes(conmon.pid), "conmon is not a container process");
      assert.equal(c.cgroupPaths.v1.cpu, engine.cgroupPath(id));
      assert.equal(c.metadata?.state, "running");
      assert.equal(c.metadata?.pid, pid);
      assert.equal(c.metadata?.image, "localhost/fgm-busybox:latest");
    } finally {
      fs.close();
    }
  },
});

Deno.test({
  name: "REQ-DSC-023: discoverContainers() finds a plain runc container by its 64-hex id",
  ignore: !requireRuntime("runc"),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using container = await startRuncContainer({ labels: { "com.example.role": "probe" } });
    const fs = createHandleFs();
    try {
      // runc leaves no daemon behind: without its --root the path is all there is.
      const bare = discoverContainers(fs, DEFAULT_ROOTS, {
        metadata: createMetadataCache(fs, DEFAULT_ROOTS),
      })
        .find((x) => x.id === container.id);
      assert.ok(bare, `container ${container.id} discovered`);
      assert.equal(bare.runtime, null);
      assert.ok(bare.pids.includes(container.pid));
      assert.equal(bare.cgroupPaths.v1.memory, container.cgroupPath);
      // Told where runc keeps its state, the metadata says runc.
      const metadata = createMetadataCache(fs, DEFAULT_ROOTS, { runcRoots: [container.stateRoot] });
      const c = discoverContainers(fs, DEFAULT_ROOTS, { metadata }).find((x) =>
        x.id === container.id
      );
      assert.equal(c?.runtime, "runc");
      assert.equal(c?.metadata?.pid, container.pid);
      assert.equal(c?.metadata?.state, "running");
    } finally {
      fs.close();
    }
  },
});
