import assert from "node:assert/strict";
import {
  buildCgroupLayout,
  cgroupDir,
  cgroupDirUnder,
  createCgroupPathMemo,
  detectCgroupLayout,
  DIRECT_CGROUP_PATHS,
  layoutFromMounts,
  V2_HIERARCHY,
} from "./cgroup_layout.ts";
import { readCgroupStats } from "./cgroup_stats.ts";
import { readCgroupMounts } from "./discovery/containers.ts";
import { createRealFs } from "./real_fs.ts";

const FIXTURES = new URL("../tests/fixtures/cgroup/", import.meta.url).pathname;
const treeFs = (tree: string) => createRealFs({ prefix: `${FIXTURES}${tree}` });
const DOCKER_ID = "3f4c2a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b";

Deno.test("REQ-RDR-203: detectCgroupLayout() sees this machine as v1 with a v2 mirror", () => {
  const layout = detectCgroupLayout(treeFs("v1-separate"));
  assert.equal(layout.version, "v1+v2-mirror");
  assert.deepEqual(layout.v2, { mountPoint: "/sys/fs/cgroup/unified", root: "/" });
  assert.deepEqual(layout.v2Controllers, ["hugetlb"]);
  assert.equal(layout.v1.cpu.mountPoint, "/sys/fs/cgroup/cpu");
  assert.equal(layout.v1.cpuacct.mountPoint, "/sys/fs/cgroup/cpuacct");
});

Deno.test("REQ-RDR-203: detectCgroupLayout() sees a pure v2 host and its controllers", () => {
  const layout = detectCgroupLayout(treeFs("v2"));
  assert.equal(layout.version, "v2");
  assert.deepEqual(layout.v2, { mountPoint: "/sys/fs/cgroup", root: "/" });
  assert.deepEqual(layout.v2Controllers, [
    "cpuset",
    "cpu",
    "io",
    "memory",
    "hugetlb",
    "pids",
    "rdma",
    "misc",
  ]);
  assert.deepEqual(layout.v1, {});
});

Deno.test("REQ-RDR-203: detectCgroupLayout() sees a container on a v1 host as plain v1", () => {
  const layout = detectCgroupLayout(treeFs("v1-container"));
  assert.equal(layout.version, "v1");
  assert.equal(layout.v2, null);
  assert.deepEqual(layout.v2Controllers, []);
});

Deno.test("REQ-RDR-203: buildCgroupLayout() ignores name= hierarchies on a v2 host", () => {
  const layout = buildCgroupLayout({
    v2: "/sys/fs/cgroup",
    v2Root: "/",
    v1: { "name=systemd": { mountPoint: "/run/systemd/cgroup", root: "/" } },
  }, ["cpu", "memory"]);
  assert.equal(layout.version, "v2");
});

Deno.test("buildCgroupLayout() throws when there is no cgroup hierarchy", () => {
  assert.throws(
    () => buildCgroupLayout({ v2: null, v2Root: null, v1: {} }, []),
    /Cannot find cgroups/,
  );
});

Deno.test("detectCgroupLayout() throws when mountinfo cannot be read", () => {
  assert.throws(
    () => detectCgroupLayout(treeFs("v2"), { mountinfoPath: "/proc/1/nonexistent" }),
    /Cannot read "\/proc\/1\/nonexistent": missing/,
  );
});

Deno.test("REQ-RDR-204: cgroupDirUnder() strips a container mount's /docker/<id> root", () => {
  const mount = { mountPoint: "/sys/fs/cgroup/memory", root: `/docker/${DOCKER_ID}` };
  assert.equal(cgroupDirUnder(mount, `/docker/${DOCKER_ID}`), "/sys/fs/cgroup/memory");
  assert.equal(cgroupDirUnder(mount, `/docker/${DOCKER_ID}/`), "/sys/fs/cgroup/memory");
  assert.equal(cgroupDirUnder(mount, `/docker/${DOCKER_ID}/sub`), "/sys/fs/cgroup/memory/sub");
  // Another container's cgroup is not under this mount; neither is a prefix look-alike.
  assert.equal(cgroupDirUnder(mount, "/docker/0123"), null);
  assert.equal(cgroupDirUnder(mount, `/docker/${DOCKER_ID}x`), null);
  assert.equal(cgroupDirUnder(mount, "/"), null);
});

Deno.test("REQ-RDR-204: cgroupDirUnder() joins host paths and rejects relative or .. paths", () => {
  const mount = { mountPoint: "/sys/fs/cgroup/cpu", root: "/" };
  assert.equal(cgroupDirUnder(mount, "/"), "/sys/fs/cgroup/cpu");
  assert.equal(cgroupDirUnder(mount, "/docker/abc"), "/sys/fs/cgroup/cpu/docker/abc");
  assert.equal(cgroupDirUnder(mount, "docker/abc"), null);
  // A process outside the reader's cgroup namespace shows as /../..
  assert.equal(cgroupDirUnder(mount, "/../../kubepods"), null);
  assert.equal(cgroupDirUnder({ mountPoint: "/", root: "/" }, "/"), "/");
  assert.equal(cgroupDirUnder({ mountPoint: "/", root: "/" }, "/a"), "/a");
});

Deno.test("REQ-RDR-220: cgroupDir() picks the v1 hierarchy of a controller, else cgroup2", () => {
  const layout = detectCgroupLayout(treeFs("v1-separate"));
  assert.equal(cgroupDir(layout, "cpu", "/docker/x"), "/sys/fs/cgroup/cpu/docker/x");
  assert.equal(cgroupDir(layout, "cpuacct", "/docker/x"), "/sys/fs/cgroup/cpuacct/docker/x");
  assert.equal(cgroupDir(layout, V2_HIERARCHY, "/docker/x"), "/sys/fs/cgroup/unified/docker/x");
  assert.equal(cgroupDir(layout, "io", "/docker/x"), "/sys/fs/cgroup/unified/docker/x");
  const v1Only = detectCgroupLayout(treeFs("v1-container"));
  assert.equal(cgroupDir(v1Only, "io", "/docker/x"), null);
  assert.equal(cgroupDir(v1Only, V2_HIERARCHY, "/docker/x"), null);
  const v2 = detectCgroupLayout(treeFs("v2"));
  assert.equal(cgroupDir(v2, "memory", "/a.slice/b.scope"), "/sys/fs/cgroup/a.slice/b.scope");
});

Deno.test("detectCgroupLayout() reads this machine's live layout", () => {
  const layout = detectCgroupLayout(createRealFs());
  assert.ok(layout.v2 !== null || Object.keys(layout.v1).length > 0);
});

Deno.test("REQ-RDR-224: layoutFromMounts() reads a cgroup tree moved under another root", () => {
  // The fixture tree read in place (mount points under --cgroup-root), not through a prefix Fs.
  const tree = `${FIXTURES}v1-separate`;
  const fs = createRealFs();
  const mounts = readCgroupMounts(fs, {
    proc: `${tree}/proc`,
    cgroup: `${tree}/sys/fs/cgroup`,
    sys: `${tree}/sys`,
    host: tree,
  })!;
  assert.equal(mounts.v1.cpu.mountPoint, `${tree}/sys/fs/cgroup/cpu`);
  const moved = layoutFromMounts(fs, mounts);
  const inPlace = detectCgroupLayout(treeFs("v1-separate"));
  assert.equal(moved.version, inPlace.version);
  const id = "8d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c";
  const a = readCgroupStats(fs, moved, `/docker/${id}`);
  const b = readCgroupStats(treeFs("v1-separate"), inPlace, `/docker/${id}`);
  assert.ok(a.cpu.limitMillicores !== null && a.memory.usageBytes !== null);
  assert.deepEqual(a, b);
});

Deno.test("REQ-RDR-025: createCgroupPathMemo() answers as the one rule does, with the same string every time", () => {
  const memo = createCgroupPathMemo();
  const cases: [string, string, string][] = [
    ["/sys/fs/cgroup/memory", "/", "/docker/abc"],
    ["/sys/fs/cgroup/cpu", "/docker/x", "/docker/x/sub"],
    ["/sys/fs/cgroup/cpu", "/docker/x", "/docker/xy"],
    ["/sys/fs/cgroup/unified", "/", "/../escape"],
    ["/", "/", "/"],
  ];
  for (const [mountPoint, root, path] of cases) {
    const rule = cgroupDirUnder({ mountPoint, root }, path);
    assert.equal(memo.dir(mountPoint, root, path), rule);
    assert.equal(DIRECT_CGROUP_PATHS.dir(mountPoint, root, path), rule);
    const again = memo.dir(mountPoint, root, path);
    assert.ok(again === memo.dir(mountPoint, root, path));
  }
  const dir = memo.dir("/sys/fs/cgroup/memory", "/", "/docker/abc")!;
  const file = memo.file(dir, "memory.events");
  assert.equal(file, "/sys/fs/cgroup/memory/docker/abc/memory.events");
  assert.ok(memo.file(dir, "memory.events") === file);
  assert.equal(memo.file("/", "cgroup.controllers"), "/cgroup.controllers");
  // Two memos share nothing: each reader context owns its own.
  const other = createCgroupPathMemo(1);
  other.dir("/a", "/", "/b");
  assert.equal(other.dir("/c", "/", "/d"), "/c/d");
});
