import assert from "node:assert/strict";
import { LOCK_FILE, lockOutDir, OutDirInUseError } from "./out_lock.ts";

const MODULE = new URL("./out_lock.ts", import.meta.url).href;

Deno.test("REQ-COL-036: lockOutDir() holds the directory until released and names the holder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_lock_" });
  try {
    const lock = lockOutDir(dir);
    assert.equal(Deno.readTextFileSync(`${dir}/${LOCK_FILE}`), `${Deno.pid}\n`);
    // flock() locks belong to the open file: a second open in this process is refused too.
    assert.throws(() => lockOutDir(dir), OutDirInUseError, `pid ${Deno.pid}`);
    lock.release();
    lockOutDir(dir).release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-COL-036: a lock held by another process is refused, and freed when that process is killed", async () => {
  // The holder stays alive on a timer: a top-level await of a promise that never settles lets
  // Deno exit at once ("top-level await promise never resolved"), racing the check below.
  const dir = await Deno.makeTempDir({ prefix: "fgm_lock_" });
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `const { lockOutDir } = await import(${JSON.stringify(MODULE)});
       lockOutDir(${JSON.stringify(dir)}); console.log("held"); setInterval(() => {}, 1 << 30);`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = holder.stdout.getReader();
    const { value } = await reader.read();
    assert.match(new TextDecoder().decode(value), /held/);
    reader.releaseLock();
    let refused: unknown = null;
    try {
      lockOutDir(dir).release();
    } catch (error) {
      refused = error;
    }
    assert.ok(refused instanceof OutDirInUseError, String(refused));
    assert.match((refused as Error).message, new RegExp(`pid ${holder.pid}\\b`));
    holder.kill("SIGKILL");
    await holder.status;
    // No stale lock: the kernel released it with the process.
    lockOutDir(dir).release();
  } finally {
    try {
      holder.kill("SIGKILL");
    } catch { /* exited */ }
    await holder.stdout.cancel().catch(() => {});
    await holder.status;
    await Deno.remove(dir, { recursive: true });
  }
});
