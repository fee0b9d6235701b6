import assert from "node:assert/strict";
import { parsePidCgroup } from "./proc_pid_cgroup.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-106: parsePidCgroup() reads a real hybrid v1 + v2 file", () => {
  const entries = parsePidCgroup(fixture("pid_cgroup_real.txt"));
  assert.equal(entries.length, 10);
  assert.deepEqual(entries[0], {
    hierarchyId: 9,
    controllers: ["name=systemd"],
    path: "/",
    deleted: false,
  });
  assert.deepEqual(entries[5], {
    hierarchyId: 4,
    controllers: ["memory"],
    path: "/process_api/ad7818aff4bcd8862cc67b3e7fdb8836",
    deleted: false,
  });
  assert.deepEqual(entries[9], { hierarchyId: 0, controllers: [], path: "/", deleted: false });
});

Deno.test("REQ-RDR-106: parsePidCgroup() splits co-mounted v1 controllers", () => {
  const entries = parsePidCgroup(fixture("pid_cgroup_v1_kubepods.txt"));
  assert.deepEqual(entries[1].controllers, ["cpu", "cpuacct"]);
  assert.equal(
    entries[1].path,
    "/kubepods/burstable/pod0f3c1a5e-6b1d-4c1e-9a7e-2f4b8c9d0e1f/3b5d8c2a",
  );
  assert.deepEqual(entries[2].controllers, ["name=systemd"]);
});

Deno.test("REQ-RDR-106: parsePidCgroup() reads a v2-only file", () => {
  assert.deepEqual(parsePidCgroup(fixture("pid_cgroup_v2_only.txt")), [{
    hierarchyId: 0,
    controllers: [],
    path: "/kubepods.slice/kubepods-burstable.slice/" +
      "kubepods-burstable-pod0f3c1a5e_6b1d_4c1e_9a7e_2f4b8c9d0e1f.slice/cri-containerd-3b5d8c2a9f.scope",
    deleted: false,
  }]);
});

Deno.test("REQ-RDR-106: parsePidCgroup() keeps colons in paths and flags deleted v2 cgroups", () => {
  assert.equal(parsePidCgroup("0::/a:b:c\n")[0].path, "/a:b:c");
  assert.deepEqual(parsePidCgroup("0::/gone.scope (deleted)\n")[0], {
    hierarchyId: 0,
    controllers: [],
    path: "/gone.scope",
    deleted: true,
  });
});

Deno.test("REQ-RDR-118: parsePidCgroup() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parsePidCgroup(fixture("pid_cgroup_real.txt") + "\n\n").length, 10);
  assert.deepEqual(parsePidCgroup(""), []);
  assert.throws(() => parsePidCgroup("0:/"), /Cannot parse "\/proc\/<pid>\/cgroup"/);
  assert.throws(() => parsePidCgroup("x::/"), SyntaxError);
  assert.throws(() => parsePidCgroup("4:memory:"), SyntaxError);
});

Deno.test("REQ-RDR-301: parsePidCgroup() refuses a negative or too large hierarchy ID", () => {
  assert.throws(
    () => parsePidCgroup("-1::/\n"),
    /Cannot parse "\/proc\/<pid>\/cgroup": hierarchy ID is negative/,
  );
  assert.throws(() => parsePidCgroup(`${"9".repeat(400)}::/\n`), /hierarchy ID is above 2\^64-1/);
});
