/**
 * Two `fgm collect` runs on one output directory (REQ-COL-036): the second is refused with one
 * line naming the first, which keeps collecting.
 */

import assert from "node:assert/strict";
import { runFgm, spawnFgm } from "./support/fgm.ts";

Deno.test("REQ-COL-036: a second fgm collect on the same --out is refused with one line and exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_collect_lock_" });
  const first = spawnFgm(["collect", "--out", dir, "--duration", "30s", "--pss-interval", "0"]);
  try {
    // Wait until the first holds the lock (its PID in the lock file).
    let held = false;
    for (let i = 0; i < 200 && !held; i++) {
      try {
        held = Deno.readTextFileSync(`${dir}/.fgm-collect.lock`).trim() === String(first.pid);
      } catch { /* not yet */ }
      if (!held) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(held, "the first collector took the lock");
    const second = await runFgm(["collect", "--out", dir, "--duration", "3s"]);
    assert.equal(second.code, 1, second.stderr);
    const lines = second.stderr.split("\n").filter((l) => l !== "");
    assert.equal(lines.length, 1, second.stderr);
    assert.match(
      lines[0],
      new RegExp(`^fgm: .*in use by another fgm collect \\(pid ${first.pid}\\)`),
    );
    first.kill("SIGTERM");
    const out = await first.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  } finally {
    try {
      first.kill("SIGKILL");
    } catch { /* exited */ }
    await first.status;
    await Deno.remove(dir, { recursive: true });
  }
});
