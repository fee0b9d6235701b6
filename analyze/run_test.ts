import assert from "node:assert/strict";
import { openRecording, type Recording } from "../recording/recording.ts";
import { createRng } from "../analysis/synthetic.ts";
import {
  type ChangepointEntry,
  type CorrelationEntry,
  type PeriodicityEntry,
  runStudy,
  StudyError,
} from "./run.ts";
import { T0, writeStudyRecording } from "./testing_recording.ts";

const SECONDS = 1800;
const rng = createRng(5);
const noise = Array.from({ length: SECONDS }, () => rng.normal());
const noise2 = Array.from({ length: SECONDS }, () => rng.normal());
const walk: number[] = [];
for (let s = 0, v = 0; s < SECONDS; s++) walk.push(v += rng.normal() * 20);

/** spiky: CPU spikes every 10 s; steady: a level that rises at 900 s; its throttling follows
 * spiky's CPU by 2 s; drifting: a random walk; an OOM-kill counter reset once. */
async function withRecording(f: (rec: Recording, ids: Record<string, string>) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "fgm_analyze_" });
  try {
    const ids = await writeStudyRecording(dir, {
      seconds: SECONDS,
      containers: [
        {
          name: "spiky",
          values: {
            cpu_usage_millicores: (s) => (s % 10 === 0 ? 900 : 100) + 20 * noise[s],
            memory_usage_bytes: (s) => 5e7 + 1e5 * noise2[s],
          },
        },
        {
          name: "steady",
          values: {
            cpu_usage_millicores: (s) => (s < 900 ? 200 : 450) + 10 * noise2[s],
            cpu_throttled_usec: (s) =>
              s >= 2 && (s - 2) % 10 === 0 ? 50_000 + 500 * noise[s] : 100 + 50 * noise[s],
            memory_oom_kills_total: (
              s,
            ) => (s < 1000 ? Math.floor(s / 100) : Math.floor((s - 1000) / 100)),
          },
        },
        {
          name: "drifting",
          values: { cpu_usage_millicores: (s) => (s === 700 ? null : 1000 + walk[s]) },
        },
      ],
    });
    const rec = await openRecording(dir);
    try {
      await f(rec, ids);
    } finally {
      rec.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("REQ-ANA-040: periodicity of every container, times in epoch ms", async () => {
  await withRecording(async (rec, ids) => {
    const r = await runStudy(rec, { study: "periodicity", metric: "cpu_usage_millicores" });
    assert.equal(r.study, "periodicity");
    assert.equal(r.stepMs, 1000);
    assert.equal(r.fromMs, T0);
    assert.equal(r.unit, "millicores");
    const byName = Object.fromEntries((r.results as PeriodicityEntry[]).map((e) => [e.name, e]));
    assert.deepEqual(Object.keys(byName).sort(), ["drifting", "spiky", "steady"]);
    assert.equal(byName.spiky.id, ids.spiky);
    assert.ok(Math.abs(byName.spiky.period!.periodSeconds - 10) < 0.1);
    assert.ok(byName.spiky.windows.length >= 1);
    assert.ok(
      byName.spiky.windows[0].fromMs >= T0 && byName.spiky.windows[0].toMs <= T0 + SECONDS * 1000,
    );
    assert.equal(byName.steady.period, null);
    assert.equal(byName.drifting.period, null);
    assert.equal(byName.drifting.samples, SECONDS - 1);
  });
});

Deno.test("REQ-ANA-041: one container by name, id or prefix; unknown ones refused", async () => {
  await withRecording(async (rec, ids) => {
    for (const c of ["spiky", "node-a-spiky-id", "node-a-sp", ids.spiky]) {
      const r = await runStudy(rec, {
        study: "periodicity",
        metric: "cpu_usage_millicores",
        container: c,
      });
      assert.deepEqual(r.results.map((e) => e.name), ["spiky"], c);
    }
    await assert.rejects(
      runStudy(rec, { study: "periodicity", metric: "cpu_usage_millicores", container: "nope" }),
      (e) => e instanceof StudyError && e.status === 404 && /no container "nope"/.test(e.message),
    );
    await assert.rejects(
      runStudy(rec, { study: "periodicity", metric: "no_such" }),
      (e) => e instanceof StudyError && e.status === 404 && /no metric "no_such"/.test(e.message),
    );
    await assert.rejects(
      runStudy(rec, { study: "periodicity", metric: "cpu_usage_millicores", table: "nope" }),
      (e) => e instanceof StudyError && /no table "nope"/.test(e.message),
    );
  });
});

Deno.test("REQ-ANA-042: changepoints with levels, direction and time; a sub-range", async () => {
  await withRecording(async (rec) => {
    const r = await runStudy(rec, {
      study: "changepoint",
      metric: "cpu_usage_millicores",
      container: "steady",
    });
    const e = r.results[0] as ChangepointEntry;
    assert.equal(e.changepoints.length, 1);
    const c = e.changepoints[0];
    assert.equal(c.atMs, T0 + 900_000);
    assert.equal(c.direction, "up");
    assert.ok(Math.abs(c.before - 200) < 2 && Math.abs(c.after - 450) < 2);
    assert.ok(Math.abs(e.noise - 10) < 1.5, `noise ${e.noise}`);
    const part = await runStudy(rec, {
      study: "changepoint",
      metric: "cpu_usage_millicores",
      container: "steady",
      fromMs: T0,
      toMs: T0 + 600_000,
    });
    assert.deepEqual((part.results[0] as ChangepointEntry).changepoints, []);
  });
});

Deno.test("REQ-ANA-043: a counter is studied as increments, its reset is no change", async () => {
  await withRecording(async (rec) => {
    const r = await runStudy(rec, {
      study: "periodicity",
      metric: "memory_oom_kills_total",
      container: "steady",
    });
    assert.equal(r.increments, true);
    const e = r.results[0] as PeriodicityEntry;
    assert.ok(
      e.period !== null && Math.abs(e.period.periodSeconds - 100) < 2,
      JSON.stringify(e.period),
    );
  });
});

Deno.test("REQ-ANA-044: correlation: throttling follows the spiky container's CPU by 2 s", async () => {
  await withRecording(async (rec) => {
    const r = await runStudy(rec, {
      study: "correlation",
      metric: "cpu_throttled_usec",
      container: "steady",
    });
    const e = r.results[0] as CorrelationEntry;
    const best = e.matches[0];
    assert.equal(best.name, "spiky");
    assert.equal(best.metric, "cpu_usage_millicores");
    assert.equal(best.lagSeconds, 2);
    assert.ok(best.significant && best.r > 0.9, JSON.stringify(best));
    assert.ok(e.compared >= 4);
    // the random walk is not called related to anything
    const d = await runStudy(rec, {
      study: "correlation",
      metric: "cpu_usage_millicores",
      container: "drifting",
    });
    const de = d.results[0] as CorrelationEntry;
    assert.ok(
      !de.matches.some((m) => m.significant && m.name !== "drifting"),
      JSON.stringify(de.matches[0]),
    );
  });
});
