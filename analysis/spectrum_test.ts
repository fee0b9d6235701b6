import assert from "node:assert/strict";
import { strongestLine } from "./spectrum.ts";
import { addGaps, addNoise, createRng, square, whiteNoise } from "./synthetic.ts";

Deno.test("REQ-ANA-010: strongestLine() finds a fractional period of a few steps", () => {
  const rng = createRng(1);
  const x = addGaps(
    addNoise(square(5000, { periodSeconds: 2.64 }), 3, rng).map((v) => v - 0.5),
    rng,
  );
  const line = strongestLine(x, 2, 12)!;
  assert.ok(Math.abs(line.periodSteps - 2.64) < 0.005, `at ${line.periodSteps}`);
});

Deno.test("REQ-ANA-008: white noise has no strong line", () => {
  const line = strongestLine(whiteNoise(5000, createRng(2)), 2, 12)!;
  assert.ok(line.fraction < 0.01);
  assert.equal(strongestLine(new Float64Array(100), 2, 12), null);
  assert.equal(strongestLine(new Float64Array(3), 2, 12), null);
});
