import assert from "node:assert/strict";
import fc from "fast-check";
import { locatePeak, parabolicPeak } from "./peak.ts";

Deno.test("REQ-ANA-010: parabolicPeak() finds the vertex of any parabola within half a step", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -0.5, max: 0.5, noNaN: true }),
      fc.double({ min: 0.01, max: 10, noNaN: true }),
      fc.double({ min: -5, max: 5, noNaN: true }),
      (vertex, curvature, top) => {
        const f = (x: number) => top - curvature * (x - vertex) ** 2;
        const p = parabolicPeak(f(-1), f(0), f(1));
        assert.ok(Math.abs(p.offset - vertex) < 1e-9);
        assert.ok(Math.abs(p.value - top) < 1e-9);
      },
    ),
  );
});

Deno.test("REQ-ANA-010: parabolicPeak() does not move off a point that is not a maximum", () => {
  assert.deepEqual(parabolicPeak(-0.5, 0, 0.1), { offset: 0, value: 0 }); // a slope
  assert.deepEqual(parabolicPeak(1, 0, 1), { offset: 0, value: 0 }); // a trough
  assert.deepEqual(parabolicPeak(NaN, 0.5, 0.2), { offset: 0, value: 0.5 });
});

Deno.test("REQ-ANA-010: locatePeak() uses a parabola for narrow peaks, the upper-half centroid for broad", () => {
  const narrow = (l: number) => (l === 40 ? 1 : l === 41 ? 0.6 : 0);
  const n = locatePeak(narrow, 42, 5, 1, 100)!;
  assert.equal(n.top, 40);
  assert.ok(n.lag > 40 && n.lag < 40.5, `narrow at ${n.lag}`);
  // a broad cosine peak at 500.4 with noise-like ripples
  const broad = (l: number) =>
    Math.cos((2 * Math.PI * (l - 500.4)) / 1000) + 0.02 * Math.sin(l * 1.7);
  const b = locatePeak(broad, 470, 100, 1, 2000)!;
  assert.ok(b.width > 100);
  assert.ok(Math.abs(b.lag - 500.4) < 3, `broad at ${b.lag}`);
  assert.equal(locatePeak(() => NaN, 10, 2, 1, 20), null);
  assert.deepEqual(locatePeak((l) => -l, 10, 2, 1, 20), { lag: 8, top: 8, value: -8, width: 0 });
});
