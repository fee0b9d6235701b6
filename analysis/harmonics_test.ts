import assert from "node:assert/strict";
import {
  fundamentalCandidates,
  isMultiple,
  localMaxima,
  massNear,
  MULTIPLES_CHECKED,
  peakMass,
} from "./harmonics.ts";

/** The autocorrelation of unit spikes every `p` steps (fractional): the share of pairs at lag l. */
function spikeAcf(p: number, n = 20_000): (l: number) => number {
  const times: number[] = [];
  for (let t = 0; t < n; t += p) times.push(Math.floor(t));
  const at = new Set(times);
  return (l: number) => {
    if (l < 1) return NaN;
    let hits = 0;
    for (const t of times) if (at.has(t + l)) hits++;
    return hits / times.length - 1 / p;
  };
}

Deno.test("REQ-ANA-009: a peak and its multiples: the smallest period is tried first", () => {
  const g = (l: number) => Math.cos((2 * Math.PI * l) / 40);
  assert.deepEqual(fundamentalCandidates(g, 160, 2), [40, 80, 160]);
  assert.deepEqual(fundamentalCandidates(g, 40, 2), [40]);
});

Deno.test("REQ-ANA-009: spikes every 33.4 steps split their peaks between lags and still reduce to 33.4", () => {
  const g = spikeAcf(33.4);
  assert.ok(g(33) < 0.7 && g(34) < 0.7, "each whole lag sees only part of the peak");
  assert.ok(peakMass(g, 33) > 0.9 || peakMass(g, 34) > 0.9);
  const got = fundamentalCandidates(g, 167, 2); // 167 = 5 × 33.4: all pairs on one lag
  assert.ok(Math.abs(got[0] - 33.4) < 1e-9, `got ${got}`);
});

Deno.test("REQ-ANA-009: a divisor that only hits some peaks is not a fundamental", () => {
  // double spikes: one at 0 and one at 10 in every 40 steps → peaks at 10, 30, 40 but not at 20
  const times = new Set<number>();
  for (let t = 0; t < 40_000; t += 40) times.add(t).add(t + 10);
  const g = (l: number) => {
    let hits = 0;
    for (const t of times) if (times.has(t + l)) hits++;
    return hits / times.size - 2 / 40;
  };
  assert.ok(g(10) > 0.4 && g(20) < 0.05 && g(40) > 0.9);
  assert.deepEqual(fundamentalCandidates(g, 40, 2), [40]);
});

Deno.test("REQ-ANA-009: a point on the slope from lag 0 is not a peak of its own", () => {
  // a broad bump at 200 (a slow sine): every small lag is high but none is a peak
  const g = (l: number) => Math.cos((2 * Math.PI * l) / 200);
  assert.deepEqual(fundamentalCandidates(g, 200, 2), [200]);
});

Deno.test("REQ-ANA-009: 2.03 steps near Nyquist: the beating multiples do not hide the period", () => {
  const g = (l: number) => Math.cos((2 * Math.PI * l) / 2.03);
  // the strongest whole lag is 67 (33 periods); the peaks at even lags fade out near lag 34
  assert.ok(g(67) > 0.99 && Math.abs(g(34)) < 0.1);
  const got = fundamentalCandidates(g, 67, 2);
  assert.ok(got.some((f) => Math.abs(f - 2.03) < 0.01), `got ${got}`);
  // and every candidate before the peak itself is a guess that lands on lag 2
  assert.ok(got.slice(0, -1).every((f) => Math.round(f) === 2), `got ${got}`);
  assert.equal(MULTIPLES_CHECKED, 5);
});

Deno.test("REQ-ANA-009: localMaxima(), isMultiple() and massNear()", () => {
  const profile = new Float64Array([NaN, NaN, 0.5, 0.2, 0.2, 0.3, 0.3, -0.1, 0.4, 0.1]);
  assert.deepEqual(localMaxima(profile, 2, 9), [2, 6, 8]);
  assert.deepEqual(localMaxima(profile, 3, 7), [6]);
  assert.ok(isMultiple(3605, 1200) && !isMultiple(3000, 1200));
  assert.ok(isMultiple(83, 40) && !isMultiple(85, 40) && isMultiple(2.5, 2));
  const g = (l: number) => profile[l] ?? NaN;
  assert.equal(massNear(g, 5.5, 0.5), 0.6);
  assert.equal(massNear(g, 100, 1), -Infinity);
});
