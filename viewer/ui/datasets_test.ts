import assert from "node:assert/strict";
import type { Series } from "./api.ts";
import { extentOf, isolatedRadius, lastValue, seriesDatasets, valueAt } from "./datasets.ts";

function series(id: string, t: number[], mean: (number | null)[], spread = 0): Series {
  return {
    id,
    node: "n",
    key: {},
    t,
    mean,
    min: mean.map((v) => (v === null ? null : v - spread)),
    max: mean.map((v) => (v === null ? null : v + spread)),
  };
}

const colorOf = (id: string) => (id === "a" ? "#ff0000" : "#0000ff");

Deno.test("REQ-VIEW-043: reduced series draw a min-max band under the mean line", () => {
  const s = series("a", [0, 1000, 2000], [5, null, 7], 2);
  const ds = seriesDatasets([s, series("b", [0], [1], 1)], { colorOf, band: true });
  assert.deepEqual(ds.map((d) => `${d.seriesId}:${d.role}`), [
    "a:max",
    "a:min",
    "a:mean",
    "b:max",
    "b:min",
    "b:mean",
  ]);
  // Each band fills from its max down to its own min.
  assert.equal(ds[0].fill, 1);
  assert.equal(ds[3].fill, 4);
  assert.equal(ds[2].fill, false);
  assert.deepEqual(ds[0].data, [{ x: 0, y: 7 }, { x: 1000, y: null }, { x: 2000, y: 9 }]);
  assert.deepEqual(ds[1].data, [{ x: 0, y: 3 }, { x: 1000, y: null }, { x: 2000, y: 5 }]);
  assert.equal(ds[2].borderColor, "#ff0000");
  // Gaps stay gaps.
  for (const d of ds) assert.equal(d.spanGaps, false);
});

Deno.test("REQ-VIEW-043: samples draw the line only; hidden series are left out", () => {
  const a = series("a", [0, 1000], [1, 2]);
  const b = series("b", [0, 1000], [3, 4], 1);
  assert.deepEqual(seriesDatasets([a], { colorOf, band: false }).map((d) => d.role), ["mean"]);
  // A band with no width (min = max everywhere) is not drawn even when asked for.
  assert.deepEqual(seriesDatasets([a], { colorOf, band: true }).map((d) => d.role), ["mean"]);
  const shown = seriesDatasets([a, b], { colorOf, band: true, hidden: new Set(["a"]) });
  assert.deepEqual(shown.map((d) => d.seriesId), ["b", "b", "b"]);
  assert.equal(shown[0].fill, 1);
  const focused = seriesDatasets([a, b], { colorOf, band: false, focus: "b" });
  assert.ok(focused[1].borderWidth > focused[0].borderWidth);
  assert.match(focused[0].borderColor, /^rgba\(255, 0, 0, 0\.35\)$/);
});

Deno.test("REQ-VIEW-043: a value alone between gaps gets a dot", () => {
  assert.equal(isolatedRadius([1, 2, 3]), 0);
  assert.deepEqual(isolatedRadius([null, 2, null, 4, 5]), [0, 2, 0, 0, 0]);
  assert.deepEqual(isolatedRadius([7]), [2]);
  assert.equal(isolatedRadius([]), 0);
});

Deno.test("REQ-VIEW-043: the extent of the visible series", () => {
  const a = series("a", [0, 1], [5, null], 2);
  const b = series("b", [0, 1], [100, 1], 0);
  assert.deepEqual(extentOf([a, b]), { lo: 1, hi: 100 });
  assert.deepEqual(extentOf([a, b], new Set(["b"])), { lo: 3, hi: 7 });
  assert.deepEqual(extentOf([]), { lo: null, hi: null });
  assert.deepEqual(extentOf([series("c", [0], [null])]), { lo: null, hi: null });
});

Deno.test("REQ-VIEW-043: the value under the cursor: its bucket, or the nearest sample", () => {
  const buckets = series("a", [0, 10_000, 20_000], [1, null, 3], 1);
  assert.deepEqual(valueAt(buckets, 5_000, 10_000), { t: 0, mean: 1, min: 0, max: 2 });
  assert.equal(valueAt(buckets, 12_000, 10_000), null); // an empty bucket: a gap
  assert.deepEqual(valueAt(buckets, 29_999, 10_000)?.mean, 3);
  assert.equal(valueAt(buckets, 30_000, 10_000), null);
  assert.equal(valueAt(buckets, -1, 10_000), null);
  const samples = series("b", [1000, 2000, 3000, 9000], [1, 2, 3, 9]);
  assert.equal(valueAt(samples, 2400, 0)?.mean, 2);
  assert.equal(valueAt(samples, 2600, 0)?.mean, 3);
  assert.equal(valueAt(samples, 500, 0)?.mean, 1);
  assert.equal(valueAt(samples, 6000, 0), null); // too far from any sample
  assert.equal(valueAt(series("c", [], []), 0, 0), null);
  assert.deepEqual(lastValue(series("d", [0, 1, 2], [4, 5, null])), {
    t: 1,
    mean: 5,
    min: 5,
    max: 5,
  });
  assert.equal(lastValue(series("e", [0], [null])), null);
});
