import assert from "node:assert/strict";
import { lockMachine } from "./machine_lock.ts";

const MODULE = new URL("./machine_lock.ts", import.meta.url).href;

Deno.test("REQ-TST-010: a test holding the machine exclusive keeps other processes' containers out until it is done", async () => {
  const exclusive = await lockMachine("exclusive");
  // Inside the holder's own test file, its helpers' shared requests pass at once.
  (await lockMachine("shared")).release();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `const { lockMachine } = await import(${JSON.stringify(MODULE)});
       const lock = await lockMachine("shared");
       console.log("locked");
       lock.release();`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let early = false;
  const first = out.read().then((r) => {
    early = true;
    return r;
  });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(early, false, "the other process waited while the machine was held");
  exclusive.release();
  const { value } = await first;
  assert.match(value ?? "", /locked/);
  await out.cancel();
  assert.equal((await child.status).code, 0);
});
