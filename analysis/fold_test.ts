import assert from "node:assert/strict";
import { foldCycle, foldedPower, foldResidual, refineByFolding } from "./fold.ts";
import { addNoise, createRng, sawtooth, sine, spikes, whiteNoise } from "./synthetic.ts";

Deno.test("REQ-ANA-012: the folded mean cycle's peak-to-peak is 2A for a sine, h for spikes", () => {
  const rng = createRng(2);
  const s = addNoise(sine(36_000, { periodSeconds: 120, amplitude: 3 }), 3, rng);
  assert.ok(Math.abs(foldCycle(s, 120).peakToPeak - 6) < 0.4);
  const k = addNoise(spikes(36_000, { periodSeconds: 40.25, height: 500 }), 3, rng);
  assert.ok(Math.abs(foldCycle(k, 40.25).peakToPeak - 500) < 15);
  // a wrong period smears the spikes
  assert.ok(foldCycle(k, 40.3).peakToPeak < 250);
  const saw = sawtooth(6000, { periodSeconds: 600, height: 10 });
  assert.ok(Math.abs(foldCycle(saw, 600).peakToPeak - 10) < 0.2);
  assert.equal(foldCycle(new Float64Array(10).fill(NaN), 5).peakToPeak, 0);
  const part = foldCycle(k, 40.25, { start: 4000, end: 8000, bins: 10 });
  assert.equal(part.means.length, 10);
  assert.equal(part.counts.reduce((a, b) => a + b, 0), 4000);
});

Deno.test("REQ-ANA-010: refineByFolding() locates a period with few cycles better than a lag can", () => {
  const rng = createRng(6);
  const truth = 1733.3;
  const y = addNoise(sine(5600, { periodSeconds: truth }), 3, rng); // 3.2 cycles
  const got = refineByFolding(y, 1800, { halfRange: 170 });
  assert.ok(Math.abs(got - truth) / truth < 0.01, `got ${got}`);
  assert.ok(foldedPower(y, truth, 64) > 0.6);
  assert.ok(foldedPower(whiteNoise(10_000, rng), 100, 64) < 0.02);
});

Deno.test("REQ-ANA-008: foldResidual() removes what repeats and keeps the rest", () => {
  const rng = createRng(7);
  const noise = whiteNoise(10_000, rng);
  const x = sine(10_000, { periodSeconds: 50, amplitude: 5 }).map((v, i) => v + noise[i]);
  const r = foldResidual(x, 50, 50);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff += (r[i] - noise[i]) ** 2;
  assert.ok(diff / x.length < 0.02);
  assert.ok(Number.isNaN(foldResidual(new Float64Array([1, NaN, 3, 4]), 2, 2)[1]));
});
