import assert from "node:assert/strict";
import { chooseStep, entityId, samples, type Series, STEPS } from "./series.ts";
import { openRecording } from "./recording.ts";
import { cpuAt, memoryAt, T0, writeTestRecording } from "./testing_recording.ts";

async function withRecording<T>(
  o: Parameters<typeof writeTestRecording>[1],
  f: (dir: string, ids: Record<string, string[]>) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "fgm_series_" });
  try {
    return await f(dir, await writeTestRecording(dir, o));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("REQ-VIEW-010: chooseStep() picks the nicest step at least range / points, 0 for samples", () => {
  assert.equal(chooseStep(0, 86_400_000, 1500), 60_000);
  assert.equal(chooseStep(0, 86_400_000, 1000), 120_000);
  assert.equal(chooseStep(0, 300_000, 1000), 0);
  assert.equal(chooseStep(0, 1_000_000, 1000), 0, "exactly 1 s: the samples");
  assert.equal(chooseStep(0, 1_000_001, 1000), 2000);
  assert.equal(chooseStep(0, 1e12, 10), STEPS[STEPS.length - 1]);
  assert.equal(entityId("n", ["c", 12]), "n/c/12");
  assert.equal(entityId("n", [null, 12]), "n//12");
  assert.equal(entityId("n", []), "n");
});

Deno.test("REQ-VIEW-010: bucketed min, max and mean are exactly those of the samples", async () => {
  await withRecording({ seconds: 600, fileSeconds: 120, rowGroupRows: 90 }, async (dir, ids) => {
    const rec = await openRecording(dir);
    try {
      const fromMs = T0 + 5_000;
      const toMs = T0 + 545_000;
      // 15 s buckets cut 30 s row groups; 2 min buckets hold whole row groups, which are then
      // read without their time column: the same exact answers either way.
      for (const [points, stepMs] of [[5, 120_000], [50, 15_000]]) {
        const r = await rec.series({
          table: "containers",
          metric: "cpu_usage_millicores",
          fromMs,
          toMs,
          points,
        });
        assert.equal(r.stepMs, stepMs);
        assert.equal(r.series.length, 3);
        // Asked again: from the row groups' summaries kept the first time, the same answer.
        const again = await rec.series({
          table: "containers",
          metric: "cpu_usage_millicores",
          fromMs,
          toMs,
          points,
        });
        assert.deepEqual(again, r);
        const db = r.series.find((s) => s.key.container_id === ids["node-a"][1])!;
        assert.equal(db.id, `node-a/${ids["node-a"][1]}`);
        for (let b = 0; b < db.t.length; b++) {
          const start = Math.max(db.t[b], fromMs);
          const end = Math.min(db.t[b] + r.stepMs, toMs);
          const xs: number[] = [];
          for (let t = start; t < end; t += 1000) xs.push(cpuAt(1, (t - T0) / 1000));
          assert.equal(db.min[b], Math.min(...xs), `min of bucket ${b}`);
          assert.equal(db.max[b], Math.max(...xs), `max of bucket ${b}: the spike at :30 survives`);
          assert.ok(Math.abs(db.mean[b]! - xs.reduce((a, c) => a + c, 0) / xs.length) < 1e-9);
        }
        assert.equal(db.t[0], Math.floor(fromMs / stepMs) * stepMs, "buckets aligned to the step");
      }
      // Only the row groups that overlap were read.
      const zoom = await rec.series({
        table: "containers",
        metric: "cpu_usage_millicores",
        fromMs: T0 + 200_000,
        toMs: T0 + 210_000,
      });
      assert.equal(zoom.stepMs, 0);
      assert.ok(zoom.rowGroups <= 2, `${zoom.rowGroups} row groups read for 10 s`);
      assert.deepEqual(zoom.series[0].t.slice(0, 2), [T0 + 200_000, T0 + 201_000]);
      assert.deepEqual(zoom.series[0].mean.slice(0, 2), [cpuAt(0, 200), cpuAt(0, 201)]);
    } finally {
      rec.close();
    }
  });
});

Deno.test("REQ-VIEW-010: samples with a gap come back with a null where the gap is; ids and nodes filter", async () => {
  await withRecording(
    { nodes: ["node-a", "node-b"], seconds: 120, missing: (s) => s >= 40 && s < 50 },
    async (dir, ids) => {
      const rec = await openRecording(dir);
      try {
        const want = [`node-b/${ids["node-b"][2]}`, `node-a/${ids["node-a"][0]}`];
        const r = await rec.series({
          table: "containers",
          metric: "memory_usage_bytes",
          fromMs: T0,
          toMs: T0 + 120_000,
          ids: want,
        });
        assert.equal(r.stepMs, 0);
        assert.deepEqual(r.series.map((s) => s.id), want, "the order asked for");
        const s = r.series[1];
        const gap = s.mean.indexOf(null);
        assert.equal(s.t[gap], T0 + 40_000, "a null one interval after the last sample");
        assert.equal(s.t[gap + 1], T0 + 50_000);
        assert.equal(s.mean.filter((v) => v === null).length, 1);
        assert.equal(s.mean[gap + 1], memoryAt(0, 50));
        const onlyB = await rec.series({
          table: "containers",
          metric: "memory_usage_bytes",
          fromMs: T0,
          toMs: T0 + 120_000,
          nodes: ["node-b"],
          points: 10,
        });
        assert.deepEqual(new Set(onlyB.series.map((x) => x.node)), new Set(["node-b"]));
        // Bucketed, the gap is an empty bucket.
        const coarse = await rec.series({
          table: "containers",
          metric: "memory_usage_bytes",
          fromMs: T0,
          toMs: T0 + 120_000,
          ids: [want[1]],
          points: 24,
        });
        assert.equal(coarse.stepMs, 5_000);
        assert.deepEqual(coarse.series[0].mean.slice(8, 10), [null, null]);
      } finally {
        rec.close();
      }
    },
  );
});

Deno.test("REQ-VIEW-010: unknown tables, metrics and ranges are refused with a reason", async () => {
  await withRecording({ seconds: 60 }, async (dir) => {
    const rec = await openRecording(dir);
    try {
      const q = { table: "containers", metric: "cpu_usage_millicores", fromMs: T0, toMs: T0 + 1 };
      await assert.rejects(() => rec.series({ ...q, table: "nope" }), /"nope": not recorded/);
      await assert.rejects(
        () => rec.series({ ...q, metric: "nope" }),
        /"nope" of "containers": no such metric/,
      );
      await assert.rejects(() => rec.series({ ...q, metric: "container_name" }), /no such metric/);
      await assert.rejects(() => rec.series({ ...q, toMs: T0 }), /not a time range/);
      await assert.rejects(() => rec.series({ ...q, toMs: NaN }), /not a time range/);
      const host = await rec.series({ ...q, table: "host", toMs: T0 + 60_000 });
      assert.deepEqual(host.series.map((s) => s.id), ["node-a"]);
      assert.equal(host.series[0].mean[5], 505);
    } finally {
      rec.close();
    }
  });
});

Deno.test("samples() sorts, drops a duplicate sample and marks gaps", () => {
  const s: Series = { id: "x", node: "n", key: {}, t: [], min: [], max: [], mean: [] };
  samples(s, [3000, 1000, 2000, 2000, 9000], [3, 1, 2, 2, NaN]);
  assert.deepEqual(s.t, [1000, 2000, 3000, 4000, 9000]);
  assert.deepEqual(s.mean, [1, 2, 3, null, null]);
});
