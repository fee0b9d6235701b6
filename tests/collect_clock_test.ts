/**
 * `fgm collect` under a wall clock stepped back an hour (REQ-COL-034): the real collector (`deno run
 * -A mod.ts collect`) with libfaketime preloaded, its offset read from a file the test rewrites
 * mid-run; the monotonic clock stays real (`FAKETIME_DONT_FAKE_MONOTONIC=1`). Needs Debian's
 * `faketime` package (`.ci/install_system_packages.sh`): skipped without it, failed in CI.
 */

import assert from "node:assert/strict";
import { spawnFgm } from "./support/fgm.ts";

const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
const ci = Deno.env.get("CI") === "true";

function haveLibfaketime(): boolean {
  try {
    Deno.statSync(LIBFAKETIME);
    return true;
  } catch {
    const why = `skipped: REQ-COL-034 clock step needs ${LIBFAKETIME} (package faketime)`;
    if (ci) throw new Error(why.replace("skipped: ", ""));
    console.warn(why);
    return false;
  }
}

Deno.test({
  name:
    "REQ-COL-034: collect keeps sampling, compacting and ends on time after the clock steps back an hour",
  ignore: !haveLibfaketime(),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "fgm_collect_clock_" });
    const offsetFile = `${dir}/offset`;
    await Deno.writeTextFile(offsetFile, "+0\n");
    const started = performance.now();
    const child = spawnFgm([
      "collect",
      "--out",
      `${dir}/out`,
      "--duration",
      "24s",
      "--flush",
      "2s",
      "--pss-interval",
      "0",
      // 4-s first-tier windows committed 6 s after they end: several within the run.
      "--compact-after",
      "6s",
      "--compact-span",
      "1m",
    ], {
      env: {
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME_TIMESTAMP_FILE: offsetFile,
        FAKETIME_NO_CACHE: "1",
        FAKETIME_DONT_FAKE_MONOTONIC: "1",
      },
    });
    try {
      await new Promise((r) => setTimeout(r, 5_000));
      await Deno.writeTextFile(offsetFile, "-3600\n");
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const out = await child.output();
      clearTimeout(timer);
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      assert.ok(performance.now() - started < 40_000, "the run ended after 24 s, not an hour");
      assert.match(stderr, /the wall clock went back by 3[0-9]{3}\.\d s/);
      const summary = stderr.match(
        /stopped after (\d+) ticks .* (\d+) windows compacted in memory/,
      );
      assert.ok(summary, stderr);
      // One tick may be lost at the step; none after it.
      assert.ok(Number(summary[1]) >= 21, `${summary[1]} ticks in 24 s`);
      // Windows end by the samples' clock, not the stepped one: they are still committed.
      assert.ok(Number(summary[2]) >= 1, `${summary[2]} windows compacted`);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
      await Deno.remove(dir, { recursive: true });
    }
  },
});
