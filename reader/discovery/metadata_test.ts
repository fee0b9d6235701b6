import assert from "node:assert/strict";
import type { Fs } from "../fs.ts";
import { createHandleFs } from "../handle_fs.ts";
import {
  createMetadataCache,
  expandCgroupsPath,
  ociMetadata,
  parseDockerConfig,
  parseOciConfig,
  parsePodLogDirName,
  parseStorageContainers,
  rfc3339ToMs,
} from "./metadata.ts";
import { readFixture as read, rootsOf } from "./testing_fixtures.ts";

const TMP = "/tmp/fgm-dockerd-aa59b8991bc39193";
const DOCKER_ID = "90721e71be44a96ec5cd5e51712769cdec0d7aabb40dc9290da2baecdee4a71f";
const DOCKER_DIR = `docker_hybrid/host${TMP}/data/containers/${DOCKER_ID}`;

Deno.test("REQ-DSC-030: parseDockerConfig() reads a real config.v2.json", () => {
  const meta = parseDockerConfig(
    read(`${DOCKER_DIR}/config.v2.json`),
    read(`${DOCKER_DIR}/hostconfig.json`),
  );
  assert.equal(meta.id, DOCKER_ID);
  assert.equal(meta.runtime, "docker");
  assert.equal(meta.name, "fgm-web");
  assert.equal(meta.image, "fgm-busybox:latest");
  assert.deepEqual(meta.labels, { app: "web" });
  assert.equal(meta.hostname, "90721e71be44");
  assert.equal(meta.state, "running");
  assert.equal(meta.pid, 10899);
  assert.equal(meta.exitCode, 0);
  assert.equal(meta.startedAtMs, Date.UTC(2026, 10, 22, 4, 19, 11, 709));
  assert.equal(meta.sandbox, false);
  assert.equal(meta.podName, null);
  assert.equal(meta.containerName, null);
  assert.equal(meta.qosClass, null);
  assert.equal(meta.cgroupsPath, null, "empty CgroupParent: Docker's default /docker");
});

Deno.test("REQ-DSC-030: parseDockerConfig() derives the state from Docker's flags", () => {
  const doc = JSON.parse(read(`${DOCKER_DIR}/config.v2.json`));
  const stateOf = (state: Record<string, unknown>) =>
    parseDockerConfig(JSON.stringify({ ...doc, State: { ...doc.State, ...state } }));
  assert.equal(stateOf({ Paused: true }).state, "paused");
  assert.equal(stateOf({ Restarting: true, Running: false }).state, "restarting");
  const exited = stateOf({ Running: false, Pid: 0, ExitCode: 137 });
  assert.equal(exited.state, "exited");
  assert.equal(exited.exitCode, 137);
  assert.equal(exited.pid, null);
  assert.equal(
    stateOf({ Running: false, Pid: 0, StartedAt: "0001-01-01T00:00:00Z" }).state,
    "created",
  );
  assert.equal(stateOf({ Running: false, Dead: true }).state, "dead");
  assert.throws(() => parseDockerConfig("{"), /^SyntaxError: Cannot parse "config.v2.json": /);
});

Deno.test("REQ-DSC-031: parseDockerConfig() reads cri-dockerd labels and the kubepods cgroup parent", () => {
  const id = "0a".repeat(32);
  const dir = `k8s_cgroupfs_v1/host/var/lib/docker/containers/${id}`;
  const meta = parseDockerConfig(read(`${dir}/config.v2.json`), read(`${dir}/hostconfig.json`));
  assert.equal(meta.sandbox, true);
  assert.equal(meta.containerName, "POD");
  assert.equal(meta.podName, "batch-x");
  assert.equal(meta.podNamespace, "jobs");
  assert.equal(meta.podUid, "5f0c2a3e-8d1b-4c7a-9e6f-1a2b3c4d5e6f");
  assert.equal(meta.qosClass, "BestEffort");
  assert.equal(
    meta.cgroupsPath,
    `/kubepods/besteffort/pod5f0c2a3e-8d1b-4c7a-9e6f-1a2b3c4d5e6f/${id}`,
  );
  // systemd driver: the cgroup parent is a slice.
  const hostConfig = JSON.stringify({ CgroupParent: "kubepods-burstable-podab_cd.slice" });
  const systemd = parseDockerConfig(read(`${dir}/config.v2.json`), hostConfig);
  assert.equal(
    systemd.cgroupsPath,
    `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podab_cd.slice/docker-${id}.scope`,
  );
  assert.equal(systemd.qosClass, "Burstable");
});

Deno.test("REQ-DSC-032: ociMetadata() reads a real containerd bundle with CRI annotations", () => {
  const id = "6489dbb3eff46bbbc6a2ed0903f1ec5a4bbe4f6fc610886d8e379756fad62166";
  const bundle = `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}`;
  const config = parseOciConfig(read(`k8s_cgroupfs_v1/host${bundle}/config.json`));
  assert.equal(config.rootPath, "rootfs");
  const meta = ociMetadata(id, config, bundle, "containerd");
  assert.equal(meta.runtime, "containerd");
  assert.equal(meta.name, "redis");
  assert.equal(meta.containerName, "redis");
  assert.equal(meta.podName, "cache-0");
  assert.equal(meta.podNamespace, "data");
  assert.equal(meta.podUid, "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2910");
  assert.equal(meta.image, "docker.io/library/redis:7");
  assert.equal(meta.qosClass, "Guaranteed");
  assert.equal(meta.sandbox, false);
  assert.equal(meta.storagePath, `${bundle}/rootfs`);
  assert.equal(meta.hostname, null);
});

Deno.test("REQ-DSC-032: ociMetadata() marks CRI sandboxes and expands systemd cgroups paths", () => {
  const id = "a1".repeat(32);
  const bundle = `/run/fgm-containerd/io.containerd.runtime.v2.task/k8s.io/${id}`;
  const meta = ociMetadata(
    id,
    parseOciConfig(read(`k8s_systemd_v2/host${bundle}/config.json`)),
    bundle,
    "containerd",
  );
  assert.equal(meta.sandbox, true);
  assert.equal(meta.containerName, "POD");
  assert.equal(meta.name, "web-7d4b9c-xk2lp");
  assert.equal(meta.hostname, "web-7d4b9c-xk2lp");
  assert.equal(meta.qosClass, "Burstable");
  assert.equal(meta.cgroupsPath?.endsWith(`/cri-containerd-${id}.scope`), true);
  // Without annotations: a plain ctr container.
  const plain = ociMetadata(
    "redis-1",
    parseOciConfig('{"root":{"path":"/x"}}'),
    "/b",
    "containerd",
  );
  assert.equal(plain.name, "redis-1");
  assert.equal(plain.storagePath, "/x");
  assert.equal(plain.podName, null);
  assert.throws(() => parseOciConfig("["), /^SyntaxError: Cannot parse "config.json": /);
});

Deno.test("REQ-DSC-033: ociMetadata() reads CRI-O annotations and podman's", () => {
  const crioId = "e5".repeat(32);
  const crioBundle = `/run/fgm-crio/overlay-containers/${crioId}/userdata`;
  const crio = ociMetadata(
    crioId,
    parseOciConfig(read(`k8s_systemd_v2/host${crioBundle}/config.json`)),
    crioBundle,
    "cri-o",
  );
  assert.equal(crio.runtime, "cri-o");
  assert.equal(crio.podName, "logger-x7");
  assert.equal(crio.podNamespace, "kube-system");
  assert.equal(crio.podUid, "d4c3b2a1-0f9e-4d8c-b7a6-5e4d3c2b1a09");
  assert.equal(crio.containerName, "logger");
  assert.equal(crio.image, "cr.fluentbit.io/fluent/fluent-bit:3.0");
  assert.equal(crio.qosClass, "BestEffort");

  const podId = "21c1cf40421aba1439e65c173371987c6a1486de8e0abc0bf4ccec810addb0fc";
  const podBundle = `/tmp/fgm-podman-26d34ab9fdfc7702/root/overlay-containers/${podId}/userdata`;
  const podman = ociMetadata(
    podId,
    parseOciConfig(read(`podman_cgroupfs_v1/host${podBundle}/config.json`)),
    podBundle,
    "cri-o",
  );
  assert.equal(podman.runtime, "podman", "io.container.manager=libpod wins over cri-o keys");
  assert.equal(podman.hostname, "21c1cf40421a");
  assert.equal(podman.podName, null);
  assert.equal(podman.cgroupsPath, `/libpod_parent/libpod-${podId}`);
});

Deno.test("REQ-DSC-034: parseStorageContainers() and parsePodLogDirName() read names", () => {
  const records = parseStorageContainers(
    read(
      "podman_cgroupfs_v1/host/tmp/fgm-podman-26d34ab9fdfc7702/root/overlay-containers/containers.json",
    ),
  );
  assert.equal(records.length, 1);
  assert.deepEqual(records[0].names, ["fgm-pod-web"]);
  assert.equal(records[0].imageName, "localhost/fgm-busybox:latest");
  assert.match(records[0].layer ?? "", /^[0-9a-f]{64}$/);
  assert.throws(() => parseStorageContainers("x"), /^SyntaxError: Cannot parse "containers.json"/);

  assert.deepEqual(
    parsePodLogDirName("kube-system_coredns-5d78c9869d-abcde_1b2c3d4e-0000-4000-8000-00000000abcd"),
    {
      namespace: "kube-system",
      name: "coredns-5d78c9869d-abcde",
      uid: "1b2c3d4e-0000-4000-8000-00000000abcd",
    },
  );
  assert.equal(parsePodLogDirName("not-a-pod-dir"), null);
  assert.equal(parsePodLogDirName("a__b"), null);
});

Deno.test("expandCgroupsPath() and rfc3339ToMs() handle runtime formats", () => {
  assert.equal(expandCgroupsPath("system.slice:docker:abc"), "/system.slice/docker-abc.scope");
  assert.equal(expandCgroupsPath(":runc:abc"), "/system.slice/runc-abc.scope");
  assert.equal(expandCgroupsPath("-.slice:x:y"), "/x-y.scope");
  assert.equal(
    expandCgroupsPath("kubepods-besteffort-pod1_2.slice:crio:abc"),
    "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1_2.slice/crio-abc.scope",
  );
  assert.equal(expandCgroupsPath("/docker/abc"), "/docker/abc");
  assert.equal(expandCgroupsPath(""), null);
  assert.equal(rfc3339ToMs("0001-01-01T00:00:00Z"), null);
  assert.equal(rfc3339ToMs("nonsense"), null);
  assert.equal(rfc3339ToMs("2024-05-14T09:10:02.5Z"), Date.UTC(2024, 4, 14, 9, 10, 2, 500));
});

/** An Fs over the real files that counts reads per path. */
function countingFs(): Fs & { reads: Map<string, number>; close(): void } {
  const inner = createHandleFs();
  const reads = new Map<string, number>();
  return {
    get lastFailure() {
      return inner.lastFailure;
    },
    set lastFailure(v) {
      inner.lastFailure = v;
    },
    readText(path) {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return inner.readText(path);
    },
    listDir: (path) => inner.listDir(path),
    readLink: (path) => inner.readLink(path),
    reads,
    close: () => inner.close(),
  };
}

Deno.test("REQ-DSC-035: createMetadataCache() caches by id, re-reads after maxAgeMs and rate-limits misses", () => {
  const roots = rootsOf("docker_hybrid");
  const fs = countingFs();
  try {
    let now = 1_000_000;
    const cache = createMetadataCache(fs, roots, {
      now: () => now,
      maxAgeMs: 30_000,
      rescanIntervalMs: 5_000,
    });
    const config = `${roots.host}${TMP}/data/containers/${DOCKER_ID}/config.v2.json`;
    const first = cache.get(DOCKER_ID, "docker");
    assert.equal(first?.name, "fgm-web");
    assert.equal(
      first?.storagePath,
      `${TMP}/data/overlay2/da7367b6e019f2b373e1efa4384c4d49eaf7cb66ad5338502359593d0c3ffcab/merged`,
    );
    assert.equal(fs.reads.get(config), 1);
    now += 29_000;
    assert.equal(cache.get(DOCKER_ID, "docker"), first);
    assert.equal(fs.reads.get(config), 1, "served from the cache");
    now += 2_000;
    cache.get(DOCKER_ID, "docker");
    assert.equal(fs.reads.get(config), 2, "re-read after maxAgeMs");

    // Docker's own containerd also has a bundle for the id, but Docker's files win.
    assert.equal(cache.get(DOCKER_ID, null)?.runtime, "docker");

    const unknown = "9".repeat(64);
    const comm = `${roots.proc}/10820/comm`;
    const scans = () => fs.reads.get(comm) ?? 0;
    const before = scans();
    assert.equal(cache.get(unknown), null);
    assert.equal(scans(), before + 1, "an unknown id re-scans the daemons");
    assert.equal(cache.get(unknown), null);
    now += 1_000;
    assert.equal(cache.get(unknown), null);
    assert.equal(scans(), before + 1, "and not again within rescanIntervalMs");
    now += 5_000;
    cache.get(unknown);
    assert.equal(scans(), before + 2);

    cache.prune([unknown]);
    const reads = fs.reads.get(config);
    cache.get(DOCKER_ID, "docker");
    assert.equal(fs.reads.get(config), reads! + 1, "pruned entries are read again");
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-035: createMetadataCache() backs off on ids that stay unknown: one scan per retry round, intervals doubling to maxRetryIntervalMs", () => {
  const roots = rootsOf("docker_hybrid");
  const fs = countingFs();
  try {
    let now = 1_000_000;
    const cache = createMetadataCache(fs, roots, {
      now: () => now,
      rescanIntervalMs: 5_000,
      maxRetryIntervalMs: 20_000,
    });
    const comm = `${roots.proc}/10820/comm`;
    const scans = () => fs.reads.get(comm) ?? 0;
    const ids = ["7", "8", "9"].map((d) => d.repeat(64));
    const probe = (id: string) => `${roots.host}${TMP}/data/containers/${id}/config.v2.json`;
    const lookups = () => ids.reduce((sum, id) => sum + (fs.reads.get(probe(id)) ?? 0), 0);
    const sweepAt = (t: number) => {
      now = t;
      for (const id of ids) assert.equal(cache.get(id, "docker"), null);
    };
    const t0 = now + 10_000;
    let before = scans();
    sweepAt(t0);
    assert.equal(scans(), before + 1, "three new unknown ids: one scan");
    // Retry rounds at +5 s, +15 s (10 s later), +35 s (20 s later), +55 s (capped at 20 s).
    const rounds = [5_000, 15_000, 35_000, 55_000];
    for (let t = t0 + 1_000; t <= t0 + 55_000; t += 1_000) {
      before = scans();
      const lookedUp = lookups();
      sweepAt(t);
      const round = rounds.includes(t - t0);
      assert.equal(scans(), before + (round ? 1 : 0), `scans at +${t - t0} ms`);
      // Each id is looked up once a round, the one that re-scans once more after the scan.
      assert.equal(lookups(), lookedUp + (round ? 4 : 0), `lookups at +${t - t0} ms`);
    }

    // A new unknown id is scanned for at once when the last scan is rescanIntervalMs old.
    now = t0 + 61_000;
    before = scans();
    assert.equal(cache.get("6".repeat(64), "docker"), null);
    assert.equal(scans(), before + 1, "a new unknown id re-scans");
    // The known container is still found, whatever the misses around it.
    assert.equal(cache.get(DOCKER_ID, "docker")?.name, "fgm-web");
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-035: createMetadataCache().pod() backs off on a pod UID that stays unknown", () => {
  const roots = rootsOf("k8s_systemd_v2");
  const inner = createHandleFs();
  let lists = 0;
  const fs: Fs = {
    get lastFailure() {
      return inner.lastFailure;
    },
    set lastFailure(v) {
      inner.lastFailure = v;
    },
    readText: (path) => inner.readText(path),
    listDir(path) {
      if (path === `${roots.host}/var/log/pods`) lists++;
      return inner.listDir(path);
    },
    readLink: (path) => inner.readLink(path),
  };
  try {
    let now = 1_000_000;
    const cache = createMetadataCache(fs, roots, { now: () => now, rescanIntervalMs: 5_000 });
    const unknown = "00000000-0000-0000-0000-000000000000";
    const known = "0b9e8d7c-6f5a-4b3c-8d2e-1f0a9b8c7d6e";
    now += 5_000;
    const before = lists;
    assert.equal(cache.pod(unknown), null);
    assert.equal(lists, before + 1, "an unknown UID re-scans");
    const at = (t: number) => {
      now = t;
      assert.equal(cache.pod(unknown), null);
      assert.equal(cache.pod(known)?.name, "db-0");
    };
    at(now + 4_000);
    assert.equal(lists, before + 1, "not again within rescanIntervalMs");
    at(now + 1_000);
    assert.equal(lists, before + 2, "retried after rescanIntervalMs");
    at(now + 5_000);
    assert.equal(lists, before + 2, "then after twice as long");
    at(now + 5_000);
    assert.equal(lists, before + 3);
  } finally {
    inner.close();
  }
});

Deno.test("REQ-DSC-036: createMetadataCache() finds a podman container through its conmon", () => {
  const roots = rootsOf("podman_cgroupfs_v1");
  const fs = createHandleFs();
  try {
    const cache = createMetadataCache(fs, roots);
    const id = "21c1cf40421aba1439e65c173371987c6a1486de8e0abc0bf4ccec810addb0fc";
    const meta = cache.get(id, "podman");
    assert.equal(meta?.runtime, "podman");
    assert.equal(meta?.name, "fgm-pod-web");
    assert.equal(meta?.image, "localhost/fgm-busybox:latest");
    assert.equal(meta?.state, "running");
    assert.equal(meta?.pid, 15304, "pidfile under the runroot, bundle under the graphroot");
    assert.match(meta?.storagePath ?? "", /\/root\/overlay\/[0-9a-f]{64}\/merged$/);
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-036: createMetadataCache() finds a podman container without conmon by its stores", () => {
  const roots = rootsOf("podman_cgroupfs_v1");
  const fs = createHandleFs();
  try {
    const dir = "/tmp/fgm-podman-26d34ab9fdfc7702";
    const cache = createMetadataCache(fs, roots, {
      locations: {
        docker: [],
        containerd: [],
        containersStorage: [{ graphRoot: `${dir}/root`, runRoot: `${dir}/runroot` }],
        conmon: [],
      },
    });
    const meta = cache.get("21c1cf40421aba1439e65c173371987c6a1486de8e0abc0bf4ccec810addb0fc");
    assert.equal(meta?.name, "fgm-pod-web");
    assert.equal(meta?.pid, 15304);
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-037: createMetadataCache() knows pods from /var/log/pods and containerd namespaces", () => {
  const roots = rootsOf("k8s_systemd_v2");
  const fs = createHandleFs();
  try {
    const cache = createMetadataCache(fs, roots);
    assert.deepEqual(cache.pod("0b9e8d7c-6f5a-4b3c-8d2e-1f0a9b8c7d6e"), {
      namespace: "shop",
      name: "db-0",
      uid: "0b9e8d7c-6f5a-4b3c-8d2e-1f0a9b8c7d6e",
      containers: ["postgres"],
    });
    assert.equal(cache.pod("00000000-0000-0000-0000-000000000000"), null);
    assert.deepEqual(cache.containerdNamespaces(), ["k8s.io"]);
  } finally {
    fs.close();
  }
});
