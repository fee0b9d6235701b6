import assert from "node:assert/strict";

const FILE_IO = new URL("./file_io.ts", import.meta.url).href;

/** A script that calls the libc reader's hot paths in bursts, as a 1 Hz collector does. */
const HOT_LOOP = `
import { libcFileIo } from ${JSON.stringify(FILE_IO)};
const io = libcFileIo();
if (io === null) throw new Error("no libc reader");
const fd = io.open("/proc/self/stat");
const buffer = new Uint8Array(4096);
let bytes = 0;
for (let round = 0; round < 20; round++) {
  for (let i = 0; i < 4000; i++) bytes += io.readAt(fd, buffer, 0);
  for (let i = 0; i < 40; i++) bytes += io.readDir("/proc/self").length;
  await new Promise((resolve) => setTimeout(resolve, 5));
}
io.close(fd);
console.log("read", bytes);
`;

Deno.test("REQ-RDR-001: the libc reader's hot paths are not deoptimised by their FFI calls", async () => {
  // A 64-bit FFI parameter given a number deoptimised readAt() and its callers ("not a BigInt")
  // again and again, each time followed by a recompile on V8's helper threads: several times a
  // minute in the collector, for nothing (bench/README.md, "Tenth round").
  const dir = Deno.makeTempDirSync({ prefix: "fgm_file_io_test_" });
  try {
    const script = `${dir}/hot_loop.ts`;
    Deno.writeTextFileSync(script, HOT_LOOP);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", "--v8-flags=--trace-deopt", script],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text.slice(-2000));
    assert.match(text, /^read \d+$/m);
    const bigint = text.split("\n").filter((l) => l.includes("not a BigInt"));
    assert.deepEqual(bigint, [], `deoptimisations:\n${bigint.join("\n")}`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
