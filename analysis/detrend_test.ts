import assert from "node:assert/strict";
import { countSamples, highPass, isSample, removeLinearTrend, removeMean } from "./detrend.ts";
import { lagCorrelation } from "./lag_correlation.ts";
import { addGaps, createRng, randomWalk, sine } from "./synthetic.ts";

Deno.test("REQ-ANA-007: removeLinearTrend() fits the samples only and keeps gaps in place", () => {
  const x = new Float64Array(100).map((_, i) => 3 + 0.5 * i + (i % 2 ? 1 : -1));
  x[10] = NaN;
  x[50] = Infinity;
  const out = removeLinearTrend(x);
  assert.ok(Number.isNaN(out[10]) && Number.isNaN(out[50]));
  // what is left is the ±1 alternation: no slope, no offset
  for (let i = 0; i < 100; i++) {
    if (i !== 10 && i !== 50) {
      assert.ok(Math.abs(Math.abs(out[i]) - 1) < 0.05, `at ${i}: ${out[i]}`);
    }
  }
  assert.deepEqual([...removeLinearTrend(new Float64Array([5]))], [0]);
  assert.deepEqual([...removeMean(new Float64Array([NaN, NaN]))], [NaN, NaN]);
  assert.equal(countSamples(new Float64Array([1, NaN, -Infinity, 0])), 2);
  assert.ok(isSample(0) && !isSample(NaN) && !isSample(Infinity));
});

Deno.test("REQ-ANA-007: highPass() keeps a component of its own period and removes a ramp", () => {
  const p = 37;
  const x = sine(2000, { periodSeconds: p, amplitude: 2 }).map((v, i) => v + 0.05 * i + 100);
  const y = highPass(x, p);
  const clean = sine(2000, { periodSeconds: p, amplitude: 2 });
  // away from the ends, where the window slides inward and a ramp shows
  for (let i = p; i < 2000 - p; i++) assert.ok(Math.abs(y[i] - clean[i]) < 0.1, `at ${i}`);
});

Deno.test("REQ-ANA-007: highPass() of a random walk is uncorrelated at its own width", () => {
  // the filtered values one width apart depend on disjoint increments
  let sum = 0;
  const runs = 40;
  for (let seed = 0; seed < runs; seed++) {
    const y = highPass(randomWalk(5000, createRng(seed)), 100);
    sum += lagCorrelation(y, 100).r;
    assert.ok(lagCorrelation(y, 10).r > 0.3); // but correlated within its width (≈ 0.45)
  }
  assert.ok(Math.abs(sum / runs) < 0.05, `mean r at the width: ${sum / runs}`);
});

Deno.test("REQ-ANA-006: highPass() leaves gaps and thinly sampled windows as NaN", () => {
  const x = addGaps(new Float64Array(300).map((_, i) => i % 5), createRng(1), { fraction: 0.1 });
  const y = highPass(x, 5);
  for (let i = 0; i < 300; i++) assert.equal(Number.isNaN(y[i]), Number.isNaN(x[i]));
  const sparse = new Float64Array(20).fill(NaN);
  sparse[10] = 4;
  sparse[11] = 5;
  const ys = highPass(sparse, 8); // 2 samples in a window of 8: fewer than half
  assert.ok(ys.every(Number.isNaN));
  // at the ends the window slides inward: the first value is measured against samples 0 … w−1
  const ramp = new Float64Array(10).map((_, i) => i);
  assert.equal(highPass(ramp, 4)[0], 0 - 1.5);
  // huge offsets lose no precision
  const big = new Float64Array(1000).map((_, i) => 1e12 + (i % 4));
  assert.ok(Math.abs(highPass(big, 4)[501] - (1 - 1.5)) < 1e-3);
});
