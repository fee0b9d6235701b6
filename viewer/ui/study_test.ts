import assert from "node:assert/strict";
import type { PeriodicityResult } from "./api.ts";
import {
  changeLines,
  changeRows,
  mergeWindows,
  studyBands,
  studyRows,
  zoomAround,
} from "./study.ts";
import { lagPhrase } from "./correlation_results.tsx";

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

Deno.test("REQ-VIEW-052: change lines and rows: one per change, labelled in the metric's unit, by time", () => {
  const results = [
    {
      id: "n/b",
      name: "b",
      notes: [],
      changepoints: [
        {
          atMs: 5000,
          before: 2e6,
          after: 1e6,
          magnitude: 1e6,
          direction: "down" as const,
          score: 9,
        },
      ],
    },
    {
      id: "n/a",
      name: "a",
      notes: [],
      changepoints: [
        {
          atMs: 1000,
          before: 200,
          after: 450,
          magnitude: 250,
          direction: "up" as const,
          score: 24.46,
        },
      ],
    },
  ];
  const color = (id: string) => (id === "n/a" ? "#111111" : "#222222");
  const lines = changeLines(results, "millicores", color);
  assert.deepEqual(lines.map((l) => [l.seriesId, l.atMs, l.color]), [
    ["n/b", 5000, "#222222"],
    ["n/a", 1000, "#111111"],
  ]);
  assert.match(lines[1].label, /^↑ \+250/);
  assert.match(lines[0].label, /^↓ −/);
  const rows = changeRows(results, "bytes", color);
  assert.deepEqual(rows.map((r) => r.atMs), [1000, 5000]);
  assert.equal(rows[0].score, "24.5 σ");
});

Deno.test("REQ-VIEW-052: zoomAround: a whole-ms range of at least a minute, centred, within bounds", () => {
  const bounds = { fromMs: 0, toMs: 3_600_000 };
  assert.deepEqual(zoomAround(1_800_000, 360_000.4, bounds), {
    fromMs: 1_620_000,
    toMs: 1_980_000,
  });
  assert.deepEqual(zoomAround(1_000, 10, bounds), { fromMs: 0, toMs: 60_000 });
  assert.deepEqual(zoomAround(3_599_000, 120_000, bounds), { fromMs: 3_480_000, toMs: 3_600_000 });
  assert.deepEqual(zoomAround(5, 1e9, { fromMs: 0, toMs: 100_000 }), { fromMs: 0, toMs: 100_000 });
});

Deno.test("REQ-VIEW-048: a row with a period zooms to six periods of its first window", () => {
  const rows = studyRows(
    [
      {
        id: "x",
        node: "n",
        key: {},
        period: { periodSeconds: 20, confidence: 0.9, amplitude: 5, correlation: 0.9, cycles: 30 },
        windows: [{
          fromMs: 10_000,
          toMs: 600_000,
          periodSeconds: 20,
          confidence: 0.9,
          amplitude: 5,
        }],
        notes: [],
      },
      { id: "y", node: "n", key: {}, period: null, windows: [], notes: ["no significant period"] },
    ],
    "count",
    () => "#fff",
  );
  assert.deepEqual(rows.map((r) => r.zoom), [{ fromMs: 10_000, toMs: 130_000 }, null]);
});

Deno.test("REQ-VIEW-053: the lag reads as who moves first", () => {
  assert.equal(lagPhrase(2, "cpu_throttled_usec"), "cpu_throttled_usec follows by 2 s");
  assert.equal(lagPhrase(-3, "m"), "m leads by 3 s");
  assert.equal(lagPhrase(0, "m"), "same time");
});
