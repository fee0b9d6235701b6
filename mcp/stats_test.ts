import assert from "node:assert/strict";
import { quantile, reducePoints, round, summarize } from "./stats.ts";

Deno.test("REQ-MCP-003: statistics of samples are exact, with the times of max and min", () => {
  const t = Array.from({ length: 100 }, (_, i) => 1000 * i);
  const v = t.map((_, i) => (i === 37 ? 500 : i === 80 ? -3 : i % 10));
  const s = summarize({ t, min: v, max: v, mean: v })!;
  assert.equal(s.samples, 100);
  assert.equal(s.max, 500);
  assert.equal(s.maxAtMs, 37_000);
  assert.equal(s.min, -3);
  assert.equal(s.minAtMs, 80_000);
  assert.equal(s.last, 9);
  const sorted = [...v].sort((a, b) => a - b);
  assert.equal(s.p50, (sorted[49] + sorted[50]) / 2);
  assert.ok(Math.abs(s.p99 - (sorted[98] + (sorted[99] - sorted[98]) * 0.01)) < 1e-9);
  assert.equal(s.sum, v.reduce((a, b) => a + b, 0));
  assert.equal(s.mean, s.sum / 100);
});

Deno.test("REQ-MCP-003: gaps are skipped; a series without values has no statistics", () => {
  const s = summarize({
    t: [0, 1000, 2000],
    min: [1, null, 3],
    max: [1, null, 3],
    mean: [1, null, 3],
  });
  assert.equal(s?.samples, 2);
  assert.equal(s?.mean, 2);
  assert.equal(summarize({ t: [0], min: [null], max: [null], mean: [null] }), null);
  assert.equal(summarize({ t: [], min: [], max: [], mean: [] }), null);
});

Deno.test("REQ-MCP-003: buckets give exact extremes from their min and max", () => {
  const s = summarize({ t: [0, 10_000], min: [0, 2], max: [90, 5], mean: [10, 3] })!;
  assert.equal(s.max, 90);
  assert.equal(s.min, 0);
  assert.equal(s.mean, 6.5);
});

Deno.test("REQ-MCP-003: reduction to N points keeps every spike and the exact extremes", () => {
  const n = 3600;
  const t = Array.from({ length: n }, (_, i) => 1_000_000 + 1000 * i);
  const v = t.map((_, i) => (i === 1234 ? 1e6 : i === 2000 ? -1e6 : i % 7));
  for (const points of [10, 37, 60, 500]) {
    const r = reducePoints({ t, min: v, max: v, mean: v }, t[0], t[n - 1] + 1000, points);
    assert.ok(r.t.length <= points && r.t.length >= points / 6, `${points}: ${r.t.length}`);
    assert.equal(Math.max(...r.max.map((x) => x ?? -Infinity)), 1e6);
    assert.equal(Math.min(...r.min.map((x) => x ?? Infinity)), -1e6);
    // Bucket starts are aligned multiples of one width, increasing.
    const width = r.t[1] - r.t[0];
    for (let i = 1; i < r.t.length; i++) assert.equal((r.t[i] - r.t[0]) % width, 0);
  }
  const short = { t: [0, 1000], min: [1, 2], max: [1, 2], mean: [1, 2] };
  assert.equal(reducePoints(short, 0, 2000, 10), short);
});

Deno.test("quantile interpolates between ranks; round keeps integers", () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([5], 0.99), 5);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.equal(round(123456789), 123456789);
  assert.equal(round(1.234567), 1.235);
  assert.equal(round(0.000123456), 0.0001);
  assert.equal(round(1234.5678), 1234.6);
});
