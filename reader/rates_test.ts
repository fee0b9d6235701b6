import assert from "node:assert/strict";
import { counterDelta, perSecond, stallSeconds } from "./rates.ts";

Deno.test("REQ-COL-004: counterDelta() is null, never negative, when a counter went back or is unknown", () => {
  assert.equal(counterDelta(10, 25), 15);
  assert.equal(counterDelta(10, 10), 0);
  assert.equal(counterDelta(25, 10), null);
  assert.equal(counterDelta(null, 10), null);
  assert.equal(counterDelta(10, undefined), null);
  assert.equal(perSecond(15, 0.5), 30);
  assert.equal(perSecond(null, 1), null);
  assert.equal(perSecond(15, 0), null);
});

Deno.test("REQ-COL-032: stallSeconds() is the growth of a PSI line's total counter, in seconds", () => {
  const psi = (some: number, full: number | null) => ({
    some: { avg10: 0, avg60: 0, avg300: 0, totalUs: some },
    full: full === null ? null : { avg10: 0, avg60: 0, avg300: 0, totalUs: full },
  });
  assert.equal(stallSeconds(psi(1_000_000, 400), psi(1_250_000, 500), "some"), 0.25);
  assert.equal(stallSeconds(psi(1_000_000, 400), psi(1_250_000, 500), "full"), 0.0001);
  // No full line (cpu before Linux 5.13, the host's cpu), no previous reading, a counter reset.
  assert.equal(stallSeconds(psi(1, null), psi(2, null), "full"), null);
  assert.equal(stallSeconds(null, psi(2, 1), "some"), null);
  assert.equal(stallSeconds(psi(9, 9), null, "some"), null);
  assert.equal(stallSeconds(psi(5_000, 0), psi(10, 0), "some"), null);
});
