import assert from "node:assert/strict";
import {
  clampRange,
  MIN_SPAN_MS,
  panBy,
  pixelAt,
  presetRange,
  sameRange,
  selectionRange,
  spanOf,
  timeAt,
  wheelFactor,
  zoomAround,
} from "./range.ts";

const B = { fromMs: 1_000_000, toMs: 1_000_000 + 3_600_000 };

Deno.test("REQ-VIEW-044: clamping keeps the span, stays in bounds, has a minimum", () => {
  assert.deepEqual(clampRange({ fromMs: 0, toMs: 60_000 }, B), {
    fromMs: B.fromMs,
    toMs: B.fromMs + 60_000,
  });
  assert.deepEqual(clampRange({ fromMs: B.toMs, toMs: B.toMs + 60_000 }, B), {
    fromMs: B.toMs - 60_000,
    toMs: B.toMs,
  });
  assert.deepEqual(clampRange({ fromMs: 0, toMs: 1e12 }, B), B);
  const narrow = clampRange({ fromMs: B.fromMs + 5000, toMs: B.fromMs + 6000 }, B);
  assert.equal(spanOf(narrow), MIN_SPAN_MS);
  // A recording shorter than the minimum span: all of it.
  const tiny = { fromMs: 0, toMs: 4000 };
  assert.deepEqual(clampRange({ fromMs: 1000, toMs: 2000 }, tiny), tiny);
});

Deno.test("REQ-VIEW-044: wheel zoom keeps the time under the cursor in place", () => {
  const r = { fromMs: B.fromMs, toMs: B.fromMs + 100_000 };
  const at = B.fromMs + 25_000;
  const z = zoomAround(r, at, 0.5, B);
  assert.equal(spanOf(z), 50_000);
  assert.equal((at - z.fromMs) / spanOf(z), 0.25);
  const out = zoomAround(r, at, 1e6, B);
  assert.deepEqual(out, B);
  const deep = zoomAround(r, at, 1e-6, B);
  assert.equal(spanOf(deep), MIN_SPAN_MS);
  assert.ok(wheelFactor(-100) < 1 && wheelFactor(100) > 1);
  assert.equal(wheelFactor(100), 1.25);
  assert.equal(wheelFactor(10_000), wheelFactor(500));
});

Deno.test("REQ-VIEW-044: pan moves within bounds", () => {
  const r = { fromMs: B.fromMs + 60_000, toMs: B.fromMs + 120_000 };
  assert.deepEqual(panBy(r, 30_000, B), { fromMs: B.fromMs + 90_000, toMs: B.fromMs + 150_000 });
  assert.deepEqual(panBy(r, -1e9, B), { fromMs: B.fromMs, toMs: B.fromMs + 60_000 });
  assert.deepEqual(panBy(r, 1e9, B), { fromMs: B.toMs - 60_000, toMs: B.toMs });
});

Deno.test("REQ-VIEW-044: presets end at the recording's end", () => {
  assert.deepEqual(presetRange(300_000, B), { fromMs: B.toMs - 300_000, toMs: B.toMs });
  assert.deepEqual(presetRange(null, B), B);
  assert.deepEqual(presetRange(86_400_000, B), B);
});

Deno.test("REQ-VIEW-044: pixels and times map both ways; a drag selects, a click does not", () => {
  const area = { left: 64, width: 1000 };
  const r = { fromMs: 0, toMs: 100_000 };
  assert.equal(timeAt(64, area, r), 0);
  assert.equal(timeAt(564, area, r), 50_000);
  assert.equal(pixelAt(25_000, area, r), 314);
  const bounds = { fromMs: 0, toMs: 100_000 };
  assert.deepEqual(selectionRange(564, 314, area, r, bounds), { fromMs: 25_000, toMs: 50_000 });
  assert.equal(selectionRange(300, 302, area, r, bounds), null);
  // Dragged past the plot's edge: clipped to it.
  assert.deepEqual(selectionRange(0, 164, area, r, bounds), { fromMs: 0, toMs: 10_000 });
  assert.ok(sameRange(r, { ...r }));
  assert.ok(!sameRange(r, null));
  assert.ok(sameRange(null, null));
});
