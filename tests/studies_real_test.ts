/**
 * `fgm analyze` on a real recording (specs/analysis.md, REQ-ANA-045): `fgm collect` records real
 * docker containers — one that works 2 s of every 10 s (the truth: a period of 10 s), one in a
 * steady busy loop, one idle that steps up to a busy loop half-way — and `fgm analyze` studies
 * what it wrote, each container named by its id so that other containers on the machine do not
 * matter.
 */

import assert from "node:assert/strict";
import { requireRuntime } from "./support/available.ts";
import { startDockerd } from "./support/dockerd.ts";
import { runFgm, spawnFgm } from "./support/fgm.ts";

/** Seconds recorded: 6 cycles of 10 s (a third of the series must hold a cycle), a step half-way. */
const COLLECT_SECONDS = 60;

/** 2 s of busy loop at every wall-clock multiple of 10 s. */
const SPIKE_CMD = [
  "sh",
  "-c",
  "while :; do sleep $((10 - $(date +%s) % 10)); timeout 2 sh -c 'while :; do :; done'; done",
];

/** Idle for 30 s, then a busy loop. */
const STEP_CMD = ["sh", "-c", "sleep 30; while :; do :; done"];

async function analyze(out: string, study: string, container: string) {
  const r = await runFgm([
    "analyze",
    out,
    "--study",
    study,
    "--metric",
    "cpu_usage_millicores",
    "--container",
    container,
    "--json",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.results.length, 1);
  return result.results[0];
}

Deno.test({
  name: "REQ-ANA-045: fgm analyze on a real recording: the 10-s period, no period, a step",
  ignore: !requireRuntime("docker"),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const daemon = await startDockerd();
    const out = await Deno.makeTempDir({ prefix: "fgm-studies-real-" });
    try {
      const spiky = await daemon.run({ name: "spiky", cpus: 0.5, cmd: SPIKE_CMD });
      const busy = await daemon.run({ name: "busy", cpus: 0.3 });
      const stepper = await daemon.run({ name: "stepper", cpus: 0.4, cmd: STEP_CMD });
      const started = Date.now();
      const collect = await spawnFgm([
        "collect",
        "--out",
        out,
        "--identifier",
        "real-node",
        "--duration",
        `${COLLECT_SECONDS}s`,
        "--flush",
        "2s",
      ]).output();
      assert.equal(collect.code, 0, new TextDecoder().decode(collect.stderr));

      const s = await analyze(out, "periodicity", spiky);
      assert.ok(
        s.period !== null && Math.abs(s.period.periodSeconds - 10) <= 1,
        `the spiky container: ${JSON.stringify(s.period)} (${s.notes.join("; ")})`,
      );
      const b = await analyze(out, "periodicity", busy);
      assert.equal(b.period, null, `the busy loop: ${JSON.stringify(b.period)}`);
      const c = await analyze(out, "changepoint", stepper);
      const up = c.changepoints.filter((x: { direction: string; magnitude: number }) =>
        x.direction === "up" && x.magnitude > 200
      );
      assert.equal(up.length, 1, JSON.stringify(c.changepoints));
      // it starts its loop 30 s after it was started (the container starts within a few seconds)
      const at = (up[0].atMs - started) / 1000;
      assert.ok(at > 25 && at < 40, `the step ${at} s after the start`);
    } finally {
      await daemon.stop();
      await Deno.remove(out, { recursive: true });
    }
  },
});
