import assert from "node:assert/strict";
import fc from "fast-check";
import { periodConfidence } from "./confidence.ts";

Deno.test("REQ-ANA-011: confidence is monotone in the correlation and in the cycles, within 0 … 1", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -1, max: 1.5, noNaN: true }),
      fc.double({ min: -1, max: 1.5, noNaN: true }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      (r1, r2, c1, c2) => {
        const [rl, rh] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const [cl, ch] = c1 <= c2 ? [c1, c2] : [c2, c1];
        const low = periodConfidence(rl, cl);
        assert.ok(low >= 0 && low <= 1);
        assert.ok(periodConfidence(rh, cl) >= low);
        assert.ok(periodConfidence(rl, ch) >= low);
      },
    ),
  );
});

Deno.test("REQ-ANA-011: confidence values: two thirds of r at 3 cycles, 0 at one cycle or r ≤ 0", () => {
  assert.ok(Math.abs(periodConfidence(0.9, 3) - 0.6) < 1e-12);
  assert.equal(periodConfidence(0.9, 1), 0);
  assert.equal(periodConfidence(0, 100), 0);
  assert.equal(periodConfidence(NaN, 100), 0);
  assert.equal(periodConfidence(2, 1e9), 1 - 1e-9);
});
