import assert from "node:assert/strict";
import { mountsUnder, parseMountInfo, removeTempDir } from "./mounts.ts";

// Lines captured from /proc/self/mountinfo on the test machine, plus one with an escaped space.
const MOUNTINFO =
  `27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
90 27 0:50 / /tmp/a\\040b rw,relatime shared:5 - tmpfs tmpfs rw
`;

Deno.test("parseMountInfo() reads mount points, types and super options", () => {
  const mounts = parseMountInfo(MOUNTINFO);
  assert.equal(mounts.length, 5);
  assert.deepEqual(mounts[2], {
    mountPoint: "/sys/fs/cgroup/cpu",
    fsType: "cgroup",
    source: "cgroup",
    superOptions: ["rw", "cpu"],
  });
  assert.equal(mounts[3].fsType, "cgroup2");
  assert.equal(mounts[4].mountPoint, "/tmp/a b");
  assert.throws(() => parseMountInfo("garbage\n"), /Cannot parse "mountinfo"/);
});

Deno.test({
  name: "REQ-TST-008: removeTempDir() unmounts what is mounted below before deleting",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "fgm-mounts-test-" });
    await Deno.mkdir(`${dir}/sub/mnt`, { recursive: true });
    const mount = new Deno.Command("mount", { args: ["-t", "tmpfs", "tmpfs", `${dir}/sub/mnt`] });
    assert.equal((await mount.output()).code, 0);
    await Deno.writeTextFile(`${dir}/sub/mnt/file`, "x");
    assert.deepEqual(mountsUnder(dir), [`${dir}/sub/mnt`]);
    await removeTempDir(dir);
    assert.deepEqual(mountsUnder(dir), []);
    assert.throws(() => Deno.statSync(dir), Deno.errors.NotFound);
  },
});
