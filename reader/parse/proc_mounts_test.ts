import assert from "node:assert/strict";
import { parseMounts, unescapeOctal } from "./proc_mounts.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-116: parseMounts() reads the real /proc/mounts", () => {
  const mounts = parseMounts(fixture("mounts_real.txt"));
  assert.deepEqual(mounts[0], {
    device: "proc",
    mountPoint: "/proc",
    fsType: "proc",
    options: ["rw", "relatime"],
  });
  assert.deepEqual(mounts.find((m) => m.mountPoint === "/sys/fs/cgroup/systemd"), {
    device: "cgroup",
    mountPoint: "/sys/fs/cgroup/systemd",
    fsType: "cgroup",
    options: ["rw", "relatime", "name=systemd"],
  });
  assert.equal(mounts.find((m) => m.fsType === "cgroup2")?.mountPoint, "/sys/fs/cgroup/unified");
});

Deno.test("REQ-RDR-116: parseMounts() decodes octal escapes in paths", () => {
  const mounts = parseMounts(fixture("mounts_escaped.txt"));
  assert.equal(mounts[0].mountPoint, "/mnt/my disk");
  assert.equal(mounts[1].mountPoint, "/mnt/tab\tand\\backslash");
  assert.deepEqual(mounts[1].options, ["rw", "fmask=0022", "dmask=0022"]);
  assert.equal(mounts[2].device, "my server:/export");
  assert.equal(mounts[3].fsType, "overlay");
  assert.ok(
    mounts[3].options.includes(
      "lowerdir=/var/lib/docker/overlay2/l/ABC:/var/lib/docker/overlay2/l/DEF",
    ),
  );
  assert.deepEqual(parseMounts("a b c x\\054y,z 0 0")[0].options, ["x,y", "z"]);
  assert.equal(unescapeOctal("a\\012b\\\\c"), "a\nb\\\\c");
});

Deno.test("REQ-RDR-118: parseMounts() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parseMounts(fixture("mounts_real.txt") + "\n\n").length, 20);
  assert.deepEqual(parseMounts(""), []);
  assert.throws(() => parseMounts("proc /proc proc\n"), /Cannot parse "\/proc\/mounts"/);
});
