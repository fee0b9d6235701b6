import assert from "node:assert/strict";
import { createRealFs } from "./real_fs.ts";

Deno.test("REQ-RDR-221: createRealFs() reads files, lists directories and reads links", () => {
  const dir = Deno.makeTempDirSync({ prefix: "fgm-real-fs-" });
  try {
    Deno.writeTextFileSync(`${dir}/a.txt`, "hello\n");
    Deno.mkdirSync(`${dir}/sub`);
    Deno.symlinkSync("a.txt", `${dir}/link`);
    const fs = createRealFs();
    assert.equal(fs.readText(`${dir}/a.txt`), "hello\n");
    assert.deepEqual(
      fs.listDir(dir).sort((x, y) => x.name.localeCompare(y.name))
        .map(({ name, isDirectory, isSymlink }) => ({ name, isDirectory, isSymlink })),
      [
        { name: "a.txt", isDirectory: false, isSymlink: false },
        { name: "link", isDirectory: false, isSymlink: true },
        { name: "sub", isDirectory: true, isSymlink: false },
      ],
    );
    assert.equal(fs.readLink(`${dir}/link`), "a.txt");
    assert.equal(fs.lastFailure, null);
    // With a prefix, absolute paths resolve inside the prefix directory.
    const prefixed = createRealFs({ prefix: dir });
    assert.equal(prefixed.readText("/a.txt"), "hello\n");
    assert.equal(prefixed.readLink("/link"), "a.txt");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("REQ-RDR-221: createRealFs() maps NotFound to 'missing' and never throws", () => {
  const fs = createRealFs();
  assert.equal(fs.readText("/nonexistent/fgm/file"), null);
  assert.equal(fs.lastFailure, "missing");
  fs.lastFailure = null;
  assert.deepEqual(fs.listDir("/nonexistent/fgm"), []);
  assert.equal(fs.lastFailure, "missing");
  fs.lastFailure = null;
  assert.equal(fs.readLink("/nonexistent/fgm/link"), null);
  assert.equal(fs.lastFailure, "missing");
});

Deno.test("REQ-RDR-221: createRealFs() reports a process that exited as 'missing'", async () => {
  const child = new Deno.Command("true", { stdout: "null", stderr: "null" }).spawn();
  const pid = child.pid;
  await child.status;
  const fs = createRealFs();
  assert.equal(fs.readText(`/proc/${pid}/stat`), null);
  assert.equal(fs.lastFailure, "missing");
});

Deno.test("REQ-RDR-221: createRealFs() maps EACCES to 'permission denied'", () => {
  const fs = createRealFs();
  if (Deno.uid() !== 0) {
    const dir = Deno.makeTempDirSync({ prefix: "fgm-real-fs-" });
    try {
      Deno.writeTextFileSync(`${dir}/secret`, "x");
      Deno.chmodSync(`${dir}/secret`, 0o000);
      assert.equal(fs.readText(`${dir}/secret`), null);
      assert.equal(fs.lastFailure, "permission denied");
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
    return;
  }
  // Root bypasses file modes, but kernfs refuses to open a write-only attribute for reading.
  const candidates = [
    "/sys/fs/cgroup/memory/memory.force_empty",
    "/sys/fs/cgroup/blkio/blkio.reset_stats",
    "/sys/bus/pci/rescan",
  ];
  for (const path of candidates) {
    if (fs.readText(path) === null && fs.lastFailure === "permission denied") return;
  }
  console.warn("skipped: no write-only kernfs file found to provoke EACCES as root");
});

Deno.test("REQ-RDR-306: createRealFs() says why a directory or a symlink loop cannot be read", () => {
  const dir = Deno.makeTempDirSync({ prefix: "fgm-real-fs-" });
  try {
    Deno.mkdirSync(`${dir}/meminfo`);
    Deno.symlinkSync("loop-b", `${dir}/loop-a`);
    Deno.symlinkSync("loop-a", `${dir}/loop-b`);
    Deno.writeTextFileSync(`${dir}/file`, "x");
    const fs = createRealFs();
    assert.equal(fs.readText(`${dir}/meminfo`), null);
    assert.equal(fs.lastFailure, "is a directory");
    assert.equal(fs.readText(`${dir}/loop-a`), null);
    assert.equal(fs.lastFailure, "too many levels of symbolic links");
    assert.deepEqual(fs.listDir(`${dir}/loop-a`), []);
    assert.equal(fs.lastFailure, "too many levels of symbolic links");
    assert.deepEqual(fs.listDir(`${dir}/file`), []);
    assert.equal(fs.lastFailure, "not a directory");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
