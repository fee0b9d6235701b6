import assert from "node:assert/strict";
import { counterIncrements } from "./counter.ts";
import { detectPeriodicity } from "./periodicity.ts";

Deno.test("REQ-ANA-024: counter increments: differences, resets from zero, gaps stay gaps", () => {
  assert.deepEqual([...counterIncrements(new Float64Array([1, NaN, 3, 4, 0, 1]))], [
    NaN,
    NaN,
    NaN,
    1,
    0,
    1,
  ]);
  assert.deepEqual([...counterIncrements(new Float64Array(0))], []);
});

Deno.test("REQ-ANA-024: a counter bumped every 30 s and reset twice: the period of its increments", () => {
  let total = 0;
  const x = new Float64Array(3000).map((_, i) => {
    if (i === 1000 || i === 2000) total = 0;
    if (i % 30 === 0) total += 3;
    return total;
  });
  const r = detectPeriodicity(counterIncrements(x));
  assert.ok(r.period !== null && Math.abs(r.period.periodSeconds - 30) < 0.5);
});
