import assert from "node:assert/strict";
import {
  directPeak,
  fractionalLagCorrelation,
  lagCorrelation,
  refineOnMultiples,
} from "./lag_correlation.ts";
import { addGaps, addNoise, createRng, sine, spikes } from "./synthetic.ts";

Deno.test("REQ-ANA-006: lagCorrelation() uses only pairs where both values are samples", () => {
  const y = new Float64Array([1, -1, NaN, 2, 1, -1, 1, NaN]);
  // lag 2 pairs in range: (0,2)✗ (1,3) (2,4)✗ (3,5) (4,6) (5,7)✗
  const got = lagCorrelation(y, 2);
  assert.equal(got.pairs, 3);
  const ab = -1 * 2 + 2 * -1 + 1 * 1;
  const aa = 1 + 4 + 1;
  const bb = 4 + 1 + 1;
  assert.ok(Math.abs(got.r - ab / Math.sqrt(aa * bb)) < 1e-12);
  assert.equal(lagCorrelation(y, 2, 3, 7).pairs, 2); // (3,5) and (4,6) within [3, 7)
  assert.ok(Number.isNaN(lagCorrelation(new Float64Array(3).fill(NaN), 1).r));
});

Deno.test("REQ-ANA-010: fractionalLagCorrelation() sees a narrow peak that a fractional period splits", () => {
  const y = addNoise(spikes(20_000, { periodSeconds: 40.5 }), 3, createRng(1));
  const m = y.reduce((s, v) => s + v, 0) / y.length;
  const c = y.map((v) => v - m);
  assert.ok(lagCorrelation(c, 40).r < 0.45 && lagCorrelation(c, 41).r < 0.45);
  assert.ok(fractionalLagCorrelation(c, 40.5).r > 0.5);
  // at a whole lag it is the plain correlation
  const whole = fractionalLagCorrelation(c, 40);
  assert.ok(Math.abs(whole.r - lagCorrelation(c, 40).r) < 1e-3);
});

Deno.test("REQ-ANA-010: directPeak() and refineOnMultiples() reach a fraction of a step", () => {
  const rng = createRng(4);
  const y = addGaps(addNoise(sine(30_000, { periodSeconds: 97.35 }), 3, rng), rng);
  const first = directPeak(y, 95, 5)!;
  assert.ok(Math.abs(first.lag - 97.35) < 1, `first ${first.lag}`);
  const refined = refineOnMultiples(y, first.lag, 0.3);
  assert.ok(Math.abs(refined - 97.35) < 0.05, `refined ${refined}`);
  assert.equal(directPeak(new Float64Array(10).fill(NaN), 3, 2), null);
  // within a range only
  const part = refineOnMultiples(y, first.lag, 0.3, { start: 0, end: 2000 });
  assert.ok(Math.abs(part - 97.35) < 0.5, `part ${part}`);
});
