import assert from "node:assert/strict";
import { cgroupV1Controllers, findCgroupMounts } from "./cgroup_mounts.ts";
import { parseMountinfo } from "./mountinfo.ts";

const FIXTURES = new URL("../../tests/fixtures/cgroup/", import.meta.url);
const mountsOf = (name: string) =>
  findCgroupMounts(parseMountinfo(Deno.readTextFileSync(new URL(name, FIXTURES))));
const host = (mountPoint: string) => ({ mountPoint, root: "/" });

Deno.test("REQ-RDR-202: findCgroupMounts() maps separately mounted cpu and cpuacct to their own mounts", () => {
  const mounts = mountsOf("mountinfo_this_machine.txt");
  assert.deepEqual(mounts.v1.cpu, host("/sys/fs/cgroup/cpu"));
  assert.deepEqual(mounts.v1.cpuacct, host("/sys/fs/cgroup/cpuacct"));
  assert.deepEqual(mounts.v1.memory, host("/sys/fs/cgroup/memory"));
  assert.deepEqual(mounts.v1.blkio, host("/sys/fs/cgroup/blkio"));
  assert.deepEqual(mounts.v1.pids, host("/sys/fs/cgroup/pids"));
  assert.deepEqual(mounts.v1["name=systemd"], host("/sys/fs/cgroup/systemd"));
  assert.deepEqual(Object.keys(mounts.v1).sort(), [
    "blkio",
    "cpu",
    "cpuacct",
    "cpuset",
    "devices",
    "freezer",
    "memory",
    "name=systemd",
    "pids",
  ]);
});

Deno.test("REQ-RDR-203: findCgroupMounts() finds the controller-less cgroup2 mirror at /sys/fs/cgroup/unified", () => {
  const mounts = mountsOf("mountinfo_this_machine.txt");
  assert.equal(mounts.v2, "/sys/fs/cgroup/unified");
  assert.equal(mounts.v2Root, "/");
});

Deno.test("REQ-RDR-202: findCgroupMounts() maps co-mounted cpu,cpuacct to the same mount under both keys", () => {
  const mounts = mountsOf("mountinfo_systemd_comounted.txt");
  assert.deepEqual(mounts.v1.cpu, host("/sys/fs/cgroup/cpu,cpuacct"));
  assert.deepEqual(mounts.v1.cpuacct, host("/sys/fs/cgroup/cpu,cpuacct"));
  assert.deepEqual(mounts.v1.net_cls, host("/sys/fs/cgroup/net_cls,net_prio"));
  assert.deepEqual(mounts.v1.net_prio, host("/sys/fs/cgroup/net_cls,net_prio"));
  // `xattr` is a mount flag, not a controller.
  assert.equal(mounts.v1.xattr, undefined);
  assert.deepEqual(mounts.v1["name=systemd"], host("/sys/fs/cgroup/systemd"));
  assert.equal(mounts.v2, "/sys/fs/cgroup/unified");
});

Deno.test("REQ-RDR-203: findCgroupMounts() finds a pure cgroup v2 host at /sys/fs/cgroup", () => {
  const mounts = mountsOf("mountinfo_v2.txt");
  assert.equal(mounts.v2, "/sys/fs/cgroup");
  assert.equal(mounts.v2Root, "/");
  assert.deepEqual(mounts.v1, {});
});

Deno.test("REQ-RDR-204: findCgroupMounts() records a container's /docker/<id> root", () => {
  const mounts = mountsOf("mountinfo_container_docker_v1.txt");
  const root = "/docker/3f4c2a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b";
  assert.deepEqual(mounts.v1.cpu, { mountPoint: "/sys/fs/cgroup/cpu,cpuacct", root });
  assert.deepEqual(mounts.v1.cpuacct, { mountPoint: "/sys/fs/cgroup/cpu,cpuacct", root });
  assert.deepEqual(mounts.v1.memory, { mountPoint: "/sys/fs/cgroup/memory", root });
  assert.deepEqual(mounts.v1.pids, { mountPoint: "/sys/fs/cgroup/pids", root });
  assert.equal(mounts.v2, null);
  assert.equal(mounts.v2Root, null);
});

Deno.test("findCgroupMounts() prefers a later full view (root /) over a narrower earlier mount", () => {
  const mounts = findCgroupMounts(parseMountinfo(
    [
      "40 30 0:31 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory",
      "41 30 0:31 / /host/sys/fs/cgroup/memory ro - cgroup cgroup rw,memory",
      "42 30 0:31 / /elsewhere/memory ro - cgroup cgroup rw,memory",
      "43 30 0:40 /.. /sys/fs/cgroup2 ro - cgroup2 cgroup2 rw",
      "44 30 0:40 / /host/sys/fs/cgroup2 ro - cgroup2 cgroup2 rw",
    ].join("\n"),
  ));
  assert.deepEqual(mounts.v1.memory, host("/host/sys/fs/cgroup/memory"));
  assert.equal(mounts.v2, "/host/sys/fs/cgroup2");
});

Deno.test("cgroupV1Controllers() keeps controllers and name= hierarchies, drops mount flags", () => {
  assert.deepEqual(
    cgroupV1Controllers([
      "rw",
      "nosuid",
      "xattr",
      "noprefix",
      "release_agent=/sbin/agent",
      "cpu",
      "cpuacct",
      "name=systemd",
    ]),
    ["cpu", "cpuacct", "name=systemd"],
  );
});
