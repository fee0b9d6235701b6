import assert from "node:assert/strict";
import type { Roots } from "../fs.ts";
import { createHandleFs } from "../handle_fs.ts";
import { parsePidCgroup } from "../parse/proc_pid_cgroup.ts";
import {
  discoverContainers,
  groupProcesses,
  identifyProcess,
  mapProcessToContainer,
  readCgroupMounts,
  walkCgroupContainers,
} from "./containers.ts";
import { createMetadataCache } from "./metadata.ts";
import { cgroupDirUnder } from "../cgroup_layout.ts";
import { FIXTURES, readFixture as fixture, rootsOf } from "./testing_fixtures.ts";

const DOCKER_ID = "90721e71be44a96ec5cd5e51712769cdec0d7aabb40dc9290da2baecdee4a71f";
const CREATED_ID = "c0ffee00" + "1".repeat(56);
const V1_KEYS = [
  "blkio",
  "cpu",
  "cpuacct",
  "cpuset",
  "devices",
  "freezer",
  "memory",
  "name=systemd",
  "pids",
];

Deno.test("REQ-DSC-010: mapProcessToContainer() maps a real docker process in every hierarchy", () => {
  const entries = parsePidCgroup(fixture(`docker_hybrid/proc/10899/cgroup`));
  assert.equal(mapProcessToContainer(entries), DOCKER_ID);
  const found = identifyProcess(entries);
  assert.equal(found?.identity.runtime, "docker");
  assert.equal(found?.cgroupPaths.unified, `/docker/${DOCKER_ID}`);
  assert.deepEqual(Object.keys(found!.cgroupPaths.v1).sort(), V1_KEYS);
  // This machine's own process: memory in a sandbox cgroup, everything else at the root.
  const own = parsePidCgroup(Deno.readTextFileSync(FIXTURES + "../proc/pid_cgroup_real.txt"));
  assert.equal(mapProcessToContainer(own), null);
});

Deno.test("REQ-DSC-010: mapProcessToContainer() lets the majority of hierarchies win", () => {
  const a = "a".repeat(64);
  const b = "b".repeat(64);
  const text = [
    `4:memory:/docker/${a}`,
    `2:cpu,cpuacct:/docker/${a}`,
    `1:name=systemd:/docker/${b}`,
    `0::/docker/${b}`,
  ].join("\n");
  // a: memory + cpu,cpuacct (2 lines); b: name=systemd + unified (2 lines) → tie → unified wins.
  assert.equal(mapProcessToContainer(parsePidCgroup(text)), b);
  const more = text + `\n5:pids:/docker/${a}\n`;
  assert.equal(mapProcessToContainer(parsePidCgroup(more)), a);
  const found = identifyProcess(parsePidCgroup(more));
  assert.deepEqual(found?.cgroupPaths, {
    unified: null,
    v1: {
      memory: `/docker/${a}`,
      cpu: `/docker/${a}`,
      cpuacct: `/docker/${a}`,
      pids: `/docker/${a}`,
    },
  });
});

Deno.test("REQ-DSC-010: mapProcessToContainer() gives conmon, services and the root no container", () => {
  const conmon = parsePidCgroup(fixture("k8s_systemd_v2/proc/2200/cgroup"));
  assert.equal(mapProcessToContainer(conmon), null);
  assert.equal(
    mapProcessToContainer(parsePidCgroup("0::/system.slice/containerd.service\n")),
    null,
  );
  assert.equal(mapProcessToContainer(parsePidCgroup("0::/\n")), null);
  // A process in a sub-cgroup of a container belongs to the container.
  const sub = parsePidCgroup(fixture("k8s_systemd_v2/proc/2202/cgroup"));
  assert.equal(mapProcessToContainer(sub), "e5".repeat(32));
  assert.equal(
    identifyProcess(sub)?.cgroupPaths.unified?.endsWith(`crio-${"e5".repeat(32)}.scope`),
    true,
  );
});

Deno.test("REQ-DSC-011: groupProcesses() groups already-read texts and skips unparsable ones", () => {
  const memo = new Map();
  const texts: [number, string][] = [
    [10922, fixture("docker_hybrid/proc/10922/cgroup")],
    [10899, fixture("docker_hybrid/proc/10899/cgroup")],
    [1, fixture("docker_hybrid/proc/1/cgroup")],
    [77, "garbage"],
  ];
  const groups = groupProcesses(texts, { memo });
  assert.deepEqual([...groups.keys()], [DOCKER_ID]);
  assert.deepEqual(groups.get(DOCKER_ID)?.pids, [10899, 10922]);
  assert.ok(memo.size > 0, "classifications are memoised for the next sweep");
});

Deno.test("REQ-DSC-012: discoverContainers() finds docker containers with and without processes", () => {
  const roots = rootsOf("docker_hybrid");
  const fs = createHandleFs();
  try {
    const metadata = createMetadataCache(fs, roots);
    const found = discoverContainers(fs, roots, { metadata });
    assert.deepEqual(found.map((c) => c.id), [DOCKER_ID, CREATED_ID].sort());
    const running = found.find((c) => c.id === DOCKER_ID)!;
    assert.equal(running.runtime, "docker");
    assert.equal(running.name, "fgm-web");
    assert.deepEqual(running.pids, [10899, 10921, 10922]);
    assert.equal(running.cgroupPaths.unified, `/docker/${DOCKER_ID}`);
    assert.deepEqual(Object.keys(running.cgroupPaths.v1).sort(), V1_KEYS);
    assert.equal(running.cgroupDirs.v1.cpu, `${roots.cgroup}/cpu/docker/${DOCKER_ID}`);
    assert.equal(
      running.cgroupDirs.v1["name=systemd"],
      `${roots.cgroup}/systemd/docker/${DOCKER_ID}`,
    );
    assert.equal(running.cgroupDirs.unified, `${roots.cgroup}/unified/docker/${DOCKER_ID}`);
    assert.equal(running.metadata?.state, "running");
    assert.equal(running.sandbox, false);

    const created = found.find((c) => c.id === CREATED_ID)!;
    assert.deepEqual(created.pids, []);
    assert.equal(created.runtime, "docker");
    assert.equal(created.metadata, null);
    assert.equal(created.cgroupDirs.v1.memory, `${roots.cgroup}/memory/docker/${CREATED_ID}`);

    assert.deepEqual(
      discoverContainers(fs, roots, { metadata, includeEmpty: false }).map((c) => c.id),
      [DOCKER_ID],
    );
    assert.deepEqual(
      discoverContainers(fs, roots, { walkCgroups: false }).map((c) => c.id),
      [DOCKER_ID],
    );
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-012: discoverContainers() reuses cgroup texts a collector already read", () => {
  const roots = rootsOf("docker_hybrid");
  const fs = createHandleFs();
  try {
    const cgroupTexts: [number, string][] = [[10899, fixture("docker_hybrid/proc/10899/cgroup")]];
    const found = discoverContainers(fs, roots, { cgroupTexts, walkCgroups: false });
    assert.deepEqual(found.map((c) => [c.id, c.pids]), [[DOCKER_ID, [10899]]]);
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-013: discoverContainers() inside a v1 container reaches its cgroup through the mount root", () => {
  const roots = rootsOf("docker_hybrid/container_view");
  const fs = createHandleFs();
  try {
    const mounts = readCgroupMounts(fs, roots);
    assert.equal(mounts?.v1.cpu.root, `/docker/${DOCKER_ID}`);
    assert.equal(mounts?.v2, null);
    for (const walkCgroups of [false, true]) {
      const found = discoverContainers(fs, roots, { walkCgroups });
      assert.deepEqual(found.map((c) => c.id), [DOCKER_ID]);
      const [c] = found;
      assert.deepEqual(c.pids, [1]);
      assert.equal(c.cgroupDirs.v1.cpu, `${roots.cgroup}/cpu`);
      assert.equal(c.cgroupDirs.unified, null);
    }
  } finally {
    fs.close();
  }
});

/** The one cgroup path rule (cgroup_layout.ts), as discovery calls it. */
const cgroupDir = (mountPoint: string, root: string, path: string) =>
  cgroupDirUnder({ mountPoint, root }, path);

Deno.test("cgroupDir() joins a cgroup path to a mount and respects the mount root", () => {
  assert.equal(cgroupDir("/sys/fs/cgroup", "/", "/a/b"), "/sys/fs/cgroup/a/b");
  assert.equal(cgroupDir("/sys/fs/cgroup", "/", "/"), "/sys/fs/cgroup");
  assert.equal(cgroupDir("/sys/fs/cgroup/cpu", "/docker/x", "/docker/x"), "/sys/fs/cgroup/cpu");
  assert.equal(
    cgroupDir("/sys/fs/cgroup/cpu", "/docker/x", "/docker/x/sub"),
    "/sys/fs/cgroup/cpu/sub",
  );
  assert.equal(cgroupDir("/sys/fs/cgroup/cpu", "/docker/x", "/docker/xy"), null);
});

const U1 = "6a2d4c1e-7b3f-4e9a-8c5d-0f1e2d3c4b5a";
const U2 = "0b9e8d7c-6f5a-4b3c-8d2e-1f0a9b8c7d6e";
const U3 = "d4c3b2a1-0f9e-4d8c-b7a6-5e4d3c2b1a09";

Deno.test("REQ-DSC-014: discoverContainers() on a systemd-driver cgroup v2 node with containerd and CRI-O", () => {
  const roots = rootsOf("k8s_systemd_v2");
  const fs = createHandleFs();
  try {
    const metadata = createMetadataCache(fs, roots);
    const found = discoverContainers(fs, roots, { metadata });
    const byId = new Map(found.map((c) => [c.id, c]));
    assert.equal(found.length, 6);

    const sandbox = byId.get("a1".repeat(32))!;
    assert.equal(sandbox.runtime, "containerd");
    assert.equal(sandbox.sandbox, true);
    assert.equal(sandbox.containerName, "POD");
    assert.equal(sandbox.podName, "web-7d4b9c-xk2lp");
    assert.equal(sandbox.podNamespace, "shop");
    assert.equal(sandbox.podUid, U1);
    assert.equal(sandbox.qosClass, "Burstable");
    assert.deepEqual(sandbox.pids, [1990, 2001]);

    const nginx = byId.get("b2".repeat(32))!;
    assert.equal(nginx.name, "nginx");
    assert.equal(nginx.containerName, "nginx");
    assert.equal(nginx.sandbox, false);
    assert.equal(nginx.metadata?.image, "docker.io/library/nginx:1.25");
    assert.equal(nginx.metadata?.state, "running");
    assert.equal(nginx.metadata?.pid, 2050);
    assert.equal(nginx.metadata?.qosClass, "Burstable");
    assert.deepEqual(nginx.pids, [2050, 2051]);
    assert.equal(nginx.cgroupPaths.unified, nginx.metadata?.cgroupsPath);
    assert.deepEqual(nginx.cgroupPaths.v1, {});
    assert.equal(nginx.cgroupDirs.unified, roots.cgroup + nginx.cgroupPaths.unified);

    // No bundle for this one: pod name and namespace come from /var/log/pods.
    const postgres = byId.get("c3".repeat(32))!;
    assert.equal(postgres.metadata, null);
    assert.equal(postgres.runtime, "containerd");
    assert.equal(postgres.podName, "db-0");
    assert.equal(postgres.podNamespace, "shop");
    assert.equal(postgres.podUid, U2);
    assert.equal(postgres.qosClass, "Guaranteed");
    assert.deepEqual(postgres.pids, [2101]);

    const empty = byId.get("d4".repeat(32))!;
    assert.deepEqual(empty.pids, []);
    assert.equal(empty.qosClass, "Guaranteed");
    assert.equal(empty.podName, "db-0");

    const logger = byId.get("e5".repeat(32))!;
    assert.equal(logger.runtime, "cri-o");
    assert.equal(logger.name, `k8s_logger_logger-x7_kube-system_${U3}_0`);
    assert.equal(logger.containerName, "logger");
    assert.equal(logger.podName, "logger-x7");
    assert.equal(logger.podNamespace, "kube-system");
    assert.equal(logger.qosClass, "BestEffort");
    assert.deepEqual(logger.pids, [2201, 2202], "conmon (2200) is not in the container");
    assert.equal(logger.metadata?.storagePath, "/var/lib/fgm-crio/overlay/3e0f1b2c4d5a6978/merged");
    assert.equal(logger.metadata?.hostname, "logger-x7");

    const crioSandbox = byId.get("f6".repeat(32))!;
    assert.equal(crioSandbox.runtime, "cri-o");
    assert.equal(crioSandbox.podName, "logger-x7");
    assert.deepEqual(crioSandbox.pids, []);
  } finally {
    fs.close();
  }
});

const U4 = "5f0c2a3e-8d1b-4c7a-9e6f-1a2b3c4d5e6f";
const U5 = "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2910";
const U6 = "19283746-5a6b-4c7d-8e9f-a0b1c2d3e4f5";

Deno.test("REQ-DSC-015: discoverContainers() on a cgroupfs-driver v1 node with cri-dockerd and containerd", () => {
  const roots = rootsOf("k8s_cgroupfs_v1");
  const fs = createHandleFs();
  try {
    const metadata = createMetadataCache(fs, roots);
    const found = discoverContainers(fs, roots, { metadata });
    const byId = new Map(found.map((c) => [c.id, c]));
    assert.equal(found.length, 4);

    const pause = byId.get("0a".repeat(32))!;
    assert.equal(pause.runtime, "docker", "the path says nothing; Docker's files do");
    assert.equal(pause.sandbox, true);
    assert.equal(pause.containerName, "POD");
    assert.equal(pause.podName, "batch-x");
    assert.equal(pause.podNamespace, "jobs");
    assert.equal(pause.podUid, U4);
    assert.equal(pause.qosClass, "BestEffort");
    assert.equal(pause.metadata?.qosClass, "BestEffort", "from hostconfig.json CgroupParent");
    assert.equal(pause.metadata?.image, "registry.k8s.io/pause:3.9");

    const batch = byId.get("1b".repeat(32))!;
    assert.equal(batch.name, `k8s_batch_batch-x_jobs_${U4}_0`);
    assert.equal(batch.containerName, "batch");
    assert.deepEqual(batch.pids, [3002, 3003]);
    assert.equal(
      batch.metadata?.storagePath,
      `/var/lib/docker/overlay2/1b1b1b1b${"f".repeat(56)}/merged`,
    );

    const redis = byId.get("6489dbb3eff46bbbc6a2ed0903f1ec5a4bbe4f6fc610886d8e379756fad62166")!;
    assert.equal(redis.runtime, "containerd");
    assert.equal(redis.name, "redis");
    assert.equal(redis.podName, "cache-0");
    assert.equal(redis.podNamespace, "data");
    assert.equal(redis.podUid, U5);
    assert.equal(redis.qosClass, "Guaranteed");
    assert.deepEqual(redis.pids, [3101]);
    assert.equal(redis.metadata?.containerdNamespace, "k8s.io");

    const pending = byId.get("3d".repeat(32))!;
    assert.deepEqual(pending.pids, []);
    assert.equal(pending.runtime, null);
    assert.equal(pending.metadata, null);
    assert.equal(pending.podName, "api-1");
    assert.equal(pending.podNamespace, "web");
    assert.equal(pending.podUid, U6);
    assert.equal(pending.qosClass, "Burstable");
    assert.equal(pending.cgroupPaths.unified, null);
    assert.deepEqual(Object.keys(pending.cgroupPaths.v1).sort(), [
      "cpu",
      "cpuacct",
      "memory",
      "pids",
    ]);
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-016: discoverContainers() finds a real podman (cgroupfs) container and leaves conmon out", () => {
  const roots = rootsOf("podman_cgroupfs_v1");
  const fs = createHandleFs();
  try {
    const found = discoverContainers(fs, roots, { metadata: createMetadataCache(fs, roots) });
    assert.equal(found.length, 1);
    const [c] = found;
    assert.equal(c.id, "21c1cf40421aba1439e65c173371987c6a1486de8e0abc0bf4ccec810addb0fc");
    assert.equal(c.runtime, "podman");
    assert.equal(c.name, "fgm-pod-web");
    assert.deepEqual(c.pids, [15304, 15314, 15315]);
    assert.equal(c.cgroupPaths.v1.memory, `/libpod_parent/libpod-${c.id}`);
    assert.equal(c.metadata?.state, "running");
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-017: discoverContainers() walks one hierarchy by default and completes the others", () => {
  const roots = rootsOf("k8s_cgroupfs_v1");
  const inner = createHandleFs();
  const listed = new Set<string>();
  const fs = {
    get lastFailure() {
      return inner.lastFailure;
    },
    set lastFailure(v) {
      inner.lastFailure = v;
    },
    readText: (path: string) => inner.readText(path),
    listDir: (path: string) => {
      if (path.startsWith(roots.cgroup + "/")) {
        listed.add(path.slice(roots.cgroup.length).split("/")[1]);
      }
      return inner.listDir(path);
    },
    readLink: (path: string) => inner.readLink(path),
  };
  try {
    const primary = discoverContainers(fs, roots, { walkCgroups: true });
    assert.deepEqual([...listed], ["memory"]);
    listed.clear();
    const all = discoverContainers(fs, roots, { walkHierarchies: "all" });
    assert.equal(listed.size, 10);
    assert.deepEqual(primary, all);
  } finally {
    inner.close();
  }
});

Deno.test("REQ-DSC-051: discoverContainers() reuses an earlier walk and drops its containers without processes once their cgroup is gone", () => {
  const tmp = Deno.makeTempDirSync({ prefix: "fgm-walked-" });
  // No kept handles: a kept handle of a deleted regular file reads on, where one of a removed
  // cgroup fails with ENODEV.
  const fs = createHandleFs({ maxHandles: 0 });
  try {
    const copy = (from: string, to: string) => {
      for (const e of Deno.readDirSync(from)) {
        if (e.isDirectory) {
          Deno.mkdirSync(`${to}/${e.name}`);
          copy(`${from}/${e.name}`, `${to}/${e.name}`);
        } else if (e.isFile) Deno.copyFileSync(`${from}/${e.name}`, `${to}/${e.name}`);
      }
    };
    copy(FIXTURES + "k8s_cgroupfs_v1", tmp);
    const roots: Roots = {
      proc: `${tmp}/proc`,
      cgroup: `${tmp}/cgroup`,
      sys: `${tmp}/sys`,
      host: `${tmp}/host`,
    };
    const mounts = readCgroupMounts(fs, roots)!;
    const fresh = discoverContainers(fs, roots, { mounts });
    const walked = walkCgroupContainers(fs, mounts, { hierarchies: "primary" });
    assert.deepEqual(discoverContainers(fs, roots, { mounts, walked }), fresh, "same as a walk");
    assert.deepEqual(discoverContainers(fs, roots, { mounts, walked }), fresh, "and again");
    const empty = fresh.filter((c) => c.pids.length === 0);
    assert.ok(empty.length > 0, "the fixture has containers without processes");
    const [gone] = empty;

    // The cgroup of a container without processes is removed (in every hierarchy)…
    for (const dir of [gone.cgroupDirs.unified, ...Object.values(gone.cgroupDirs.v1)]) {
      if (dir !== null) Deno.removeSync(dir, { recursive: true });
    }
    // …and a new one without processes is created next to it.
    const created = "e7".repeat(32);
    const parent = gone.cgroupPaths.v1.memory!.slice(
      0,
      gone.cgroupPaths.v1.memory!.lastIndexOf("/"),
    );
    const newDir = `${mounts.v1.memory.mountPoint}${parent}/${created}`;
    Deno.mkdirSync(newDir);
    Deno.writeTextFileSync(`${newDir}/cgroup.procs`, "");

    const reused = discoverContainers(fs, roots, { mounts, walked });
    assert.deepEqual(
      reused.map((c) => c.id),
      fresh.map((c) => c.id).filter((id) => id !== gone.id),
      "the removed one is dropped at once; the new one waits for the next walk",
    );
    assert.equal(walked.has(gone.id), false, "and forgotten by the kept walk");
    const walkedAgain = discoverContainers(fs, roots, { mounts });
    assert.ok(walkedAgain.some((c) => c.id === created), "the next walk finds the new one");
    assert.ok(!walkedAgain.some((c) => c.id === gone.id));
  } finally {
    fs.close();
    Deno.removeSync(tmp, { recursive: true });
  }
});
