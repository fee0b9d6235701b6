import assert from "node:assert/strict";
import type { PeriodicityResult } from "./api.ts";
import { mergeWindows, studyBands, studyRows } from "./study.ts";

const w = (
  fromMs: number,
  toMs: number,
  periodSeconds: number,
  confidence = 0.8,
  amplitude = 100,
) => ({
  fromMs,
  toMs,
  periodSeconds,
  confidence,
  amplitude,
});

function result(id: string, o: Partial<PeriodicityResult> = {}): PeriodicityResult {
  return { id, node: "n", key: {}, period: null, windows: [], notes: [], ...o };
}

Deno.test("REQ-VIEW-048: overlapping windows of about one period merge", () => {
  const merged = mergeWindows([
    w(60_000, 120_000, 10.4, 0.9, 300),
    w(0, 60_000, 10, 0.5, 200),
    w(30_000, 90_000, 10.2, 0.7),
    w(200_000, 260_000, 10, 0.6), // apart: its own band
    w(230_000, 290_000, 30, 0.9), // overlapping but another period
  ]);
  assert.equal(merged.length, 3);
  assert.equal(merged[0].fromMs, 0);
  assert.equal(merged[0].toMs, 120_000);
  assert.equal(merged[0].confidence, 0.9);
  assert.equal(merged[0].amplitude, 300);
  assert.ok(merged[0].periodSeconds > 10 && merged[0].periodSeconds < 10.4);
  assert.equal(merged[2].periodSeconds, 30);
  assert.deepEqual(mergeWindows([]), []);
});

Deno.test("REQ-VIEW-048: bands per series in its colour, labelled with period and confidence", () => {
  const bands = studyBands([
    result("a"),
    result("b", { windows: [w(0, 60_000, 10, 0.92)] }),
    result("c", { windows: [w(0, 60_000, 5, 0.5), w(120_000, 180_000, 5, 0.5)] }),
  ], (id) => `#${id}${id}${id}`);
  assert.equal(bands.length, 3);
  assert.deepEqual(bands.map((b) => [b.seriesId, b.row]), [["b", 0], ["c", 1], ["c", 1]]);
  assert.equal(bands[0].label, "10.0 s · 92 %");
  assert.equal(bands[0].color, "#bbb");
});

Deno.test("REQ-VIEW-048: rows give period, confidence and amplitude in the unit; found first", () => {
  const rows = studyRows(
    [
      result("idle", { notes: ["no samples vary"] }),
      result("spiky", {
        period: {
          periodSeconds: 10,
          confidence: 0.87,
          amplitude: 480,
          correlation: 0.9,
          cycles: 6,
        },
        windows: [w(0, 60_000, 10)],
      }),
    ],
    "millicores",
    () => "#fff",
  );
  assert.deepEqual(rows.map((r) => r.seriesId), ["spiky", "idle"]);
  assert.equal(rows[0].period, "10.0 s");
  assert.equal(rows[0].periodSeconds, 10);
  assert.equal(rows[0].confidence, "87 %");
  assert.equal(rows[0].amplitude, "480m");
  assert.equal(rows[0].cycles, "6");
  assert.equal(rows[0].windows, 1);
  assert.equal(rows[1].period, "none");
  assert.equal(rows[1].periodSeconds, null);
  assert.deepEqual(rows[1].notes, ["no samples vary"]);
});
