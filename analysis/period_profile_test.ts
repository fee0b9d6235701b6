import assert from "node:assert/strict";
import { autocorrelation } from "./autocorrelation.ts";
import { highPass, removeLinearTrend } from "./detrend.ts";
import {
  FilteredCovariance,
  filterWidth,
  MATCHED_FROM,
  periodProfile,
  SHORT_WIDTH,
} from "./period_profile.ts";
import { addNoise, createRng, drift, sine, spikes, whiteNoise } from "./synthetic.ts";

Deno.test("REQ-ANA-007: FilteredCovariance gives the autocorrelation of the high-passed series", () => {
  // a stationary series: the O(1) formula must match filtering and correlating directly
  const rng = createRng(5);
  const x = addNoise(sine(20_000, { periodSeconds: 37 }), 1, rng);
  const fc = new FilteredCovariance(autocorrelation(x, 400).covariance);
  for (const w of [8, 20, 37, 100]) {
    const direct = autocorrelation(highPass(x, w), 150, { detrend: "none" }).r;
    for (const h of [1, 5, 18, 37, 74, 150]) {
      const got = fc.correlation(h, w);
      assert.ok(Math.abs(got - direct[h]) < 0.02, `w=${w} h=${h}: ${got} vs ${direct[h]}`);
    }
  }
  assert.equal(fc.maxLag, 400);
});

Deno.test("REQ-ANA-007: the profile peaks at the period through a drift that hides it from the plain ACF", () => {
  const rng = createRng(8);
  const n = 7200;
  const signal = spikes(n, { periodSeconds: 300, widthSeconds: 20 });
  const bend = drift(n, createRng(9), 20); // a slow drift 20× the spikes' height
  const drifting = removeLinearTrend(addNoise(signal, 3, rng).map((v, i) => v + bend[i]));
  const { r, covariance } = autocorrelation(drifting, 2500);
  const profile = periodProfile(covariance, 2, 1000);
  assert.ok(r[300] < r[150], "plain ACF: the drift dominates, no peak at 300");
  const best = profile.reduce((b, v, l) => (v > profile[b] ? l : b), 2);
  assert.ok(Math.abs(best - 300) <= 3, `profile peak at ${best}`);
});

Deno.test("REQ-ANA-008: the short filter cannot make a peak in white noise at lags 2–4", () => {
  const x = whiteNoise(200_000, createRng(1));
  const fc = new FilteredCovariance(autocorrelation(x, 40).covariance);
  for (let h = 1; h <= 4; h++) assert.ok(fc.correlation(h, SHORT_WIDTH) < -0.05, `lag ${h}`);
  assert.equal(filterWidth(MATCHED_FROM - 1), SHORT_WIDTH);
  assert.equal(filterWidth(MATCHED_FROM), MATCHED_FROM);
  assert.equal(filterWidth(3599.6), 3600);
});
