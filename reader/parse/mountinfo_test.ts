import assert from "node:assert/strict";
import { parseMountinfo } from "./mountinfo.ts";

const FIXTURES = new URL("../../tests/fixtures/cgroup/", import.meta.url);
const fixture = (name: string) => Deno.readTextFileSync(new URL(name, FIXTURES));

Deno.test("REQ-RDR-201: parseMountinfo() reads every field of this machine's mountinfo", () => {
  const entries = parseMountinfo(fixture("mountinfo_this_machine.txt"));
  assert.equal(entries.length, 19);
  const cpu = entries.find((e) => e.mountPoint === "/sys/fs/cgroup/cpu");
  assert.deepEqual(cpu, {
    mountId: 32,
    parentId: 31,
    majorMinor: "0:29",
    root: "/",
    mountPoint: "/sys/fs/cgroup/cpu",
    options: ["rw", "relatime"],
    optionalFields: [],
    fsType: "cgroup",
    source: "cgroup",
    superOptions: ["rw", "cpu"],
  });
  const unified = entries.find((e) => e.fsType === "cgroup2");
  assert.equal(unified?.mountPoint, "/sys/fs/cgroup/unified");
  assert.deepEqual(unified?.superOptions, ["rw"]);
});

Deno.test("REQ-RDR-201: parseMountinfo() keeps optional fields and reads the fields after '-'", () => {
  // The example of proc_pid_mountinfo(5), with a second optional field.
  const [entry] = parseMountinfo(
    "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:5 - ext3 /dev/root rw,errors=continue\n",
  );
  assert.deepEqual(entry.optionalFields, ["master:1", "shared:5"]);
  assert.equal(entry.root, "/mnt1");
  assert.equal(entry.mountPoint, "/mnt2");
  assert.equal(entry.fsType, "ext3");
  assert.equal(entry.source, "/dev/root");
  assert.deepEqual(entry.superOptions, ["rw", "errors=continue"]);
});

Deno.test("REQ-RDR-201: parseMountinfo() decodes octal escapes in paths", () => {
  const entries = parseMountinfo(fixture("mountinfo_systemd_comounted.txt"));
  const usb = entries.find((e) => e.mountId === 120);
  assert.equal(usb?.mountPoint, "/media/backup disk");
  const [tabbed] = parseMountinfo(
    "50 26 8:1 /a\\011b\\134c /mnt/x\\012y rw - ext4 /dev/my\\040disk rw\n",
  );
  assert.equal(tabbed.root, "/a\tb\\c");
  assert.equal(tabbed.mountPoint, "/mnt/x\ny");
  assert.equal(tabbed.source, "/dev/my disk");
});

Deno.test("REQ-RDR-201: parseMountinfo() reads a container's cgroup roots", () => {
  const entries = parseMountinfo(fixture("mountinfo_container_docker_v1.txt"));
  const memory = entries.find((e) => e.mountPoint === "/sys/fs/cgroup/memory");
  assert.match(memory?.root ?? "", /^\/docker\/[0-9a-f]{64}$/);
  assert.deepEqual(memory?.optionalFields, ["master:16"]);
});

Deno.test("parseMountinfo() reads the live /proc/self/mountinfo", () => {
  const entries = parseMountinfo(Deno.readTextFileSync("/proc/self/mountinfo"));
  assert.ok(entries.some((e) => e.mountPoint === "/"));
});

Deno.test("parseMountinfo() returns [] for an empty file", () => {
  assert.deepEqual(parseMountinfo(""), []);
});

Deno.test("parseMountinfo() rejects a line without the '-' separator", () => {
  assert.throws(
    () => parseMountinfo("22 27 0:21 / /proc rw,relatime proc proc rw\n"),
    (e: unknown) =>
      e instanceof SyntaxError && e.message.startsWith('Cannot parse "/proc/<pid>/mountinfo"'),
  );
  assert.throws(() => parseMountinfo("x 27 0:21 / /proc rw - proc proc rw\n"), SyntaxError);
});

Deno.test("REQ-RDR-301: parseMountinfo() refuses negative and too large mount IDs", () => {
  const line = (id: string) => `${id} 1 0:29 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n`;
  assert.equal(parseMountinfo(line("30"))[0].mountId, 30);
  assert.throws(
    () => parseMountinfo(line("-30")),
    /Cannot parse "\/proc\/<pid>\/mountinfo": mount ID is negative/,
  );
  assert.throws(() => parseMountinfo(line("9".repeat(400))), /mount ID is above 2\^64-1/);
});
