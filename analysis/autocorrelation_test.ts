import { releaseScratch } from "./scratch.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { autocorrelation, directIsCheaper } from "./autocorrelation.ts";
import { addGaps, createRng, sine, whiteNoise } from "./synthetic.ts";

/** The masked estimator by its definition: mean-removed samples, products over valid pairs. */
function byDefinition(values: Float64Array, maxLag: number) {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  const mean = sum / count;
  const cov: number[] = [];
  const pairs: number[] = [];
  for (let l = 0; l <= maxLag; l++) {
    let s = 0;
    let c = 0;
    for (let t = 0; t + l < values.length; t++) {
      if (Number.isFinite(values[t]) && Number.isFinite(values[t + l])) {
        s += (values[t] - mean) * (values[t + l] - mean);
        c++;
      }
    }
    cov.push(c > 0 ? s / c : NaN);
    pairs.push(c);
  }
  return { r: cov.map((v) => v / cov[0]), pairs, cov };
}

Deno.test("REQ-ANA-004: FFT and direct sums give the masked autocorrelation of its definition", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 20, max: 700 }),
      fc.double({ min: 0, max: 0.5, noNaN: true }),
      fc.integer({ min: 0, max: 1_000_000 }),
      (n, gapFraction, seed) => {
        const rng = createRng(seed);
        const x = addGaps(whiteNoise(n, rng).map((v, i) => v + 0.01 * i), rng, {
          fraction: gapFraction,
          holes: 1,
          holeLength: Math.floor(n / 10),
        });
        const maxLag = Math.floor(n / 2);
        const want = byDefinition(x, maxLag);
        for (const method of ["fft", "direct"] as const) {
          const got = autocorrelation(x, maxLag, { method, minPairs: 1 });
          assert.deepEqual([...got.pairs], want.pairs, method);
          for (let l = 0; l <= maxLag; l++) {
            if (want.pairs[l] === 0) {
              assert.ok(Number.isNaN(got.r[l]));
              continue;
            }
            assert.ok(Math.abs(got.r[l] - want.r[l]) < 1e-9, `${method} lag ${l}`);
            assert.ok(Math.abs(got.covariance[l] - want.cov[l]) < 1e-9, `${method} cov ${l}`);
          }
        }
      },
    ),
    { numRuns: 30 },
  );
});

Deno.test("REQ-ANA-004: the FFT is zero-padded: nothing wraps around from the end", () => {
  // a ramp: a circular correlation would pair the end with the start at large lags
  const x = new Float64Array(64).map((_, i) => i);
  const fft = autocorrelation(x, 63, { method: "fft", minPairs: 1 });
  const direct = autocorrelation(x, 63, { method: "direct", minPairs: 1 });
  for (let l = 0; l < 64; l++) assert.ok(Math.abs(fft.r[l] - direct.r[l]) < 1e-9, `lag ${l}`);
  assert.ok(fft.r[63] < -0.9);
});

Deno.test("REQ-ANA-006: gaps are left out, not filled: a sine with 30 % gaps keeps r = cos(2πl/P)", () => {
  const rng = createRng(3);
  const x = addGaps(sine(4000, { periodSeconds: 25 }), rng, { fraction: 0.3, holes: 3 });
  const { r, pairs } = autocorrelation(x, 60);
  for (const l of [5, 12, 25, 50]) {
    assert.ok(Math.abs(r[l] - Math.cos((2 * Math.PI * l) / 25)) < 0.03, `lag ${l}: ${r[l]}`);
  }
  assert.ok(pairs[25] < 4000 * 0.7 * 0.7 * 1.1 && pairs[25] > 4000 * 0.6 * 0.6);
});

Deno.test("REQ-ANA-004: a lag with fewer valid pairs than minPairs is refused (NaN)", () => {
  const x = new Float64Array(100).fill(NaN);
  for (let i = 0; i < 100; i += 10) x[i] = i % 20; // samples 10 apart: pairs only at multiples
  const { r, pairs } = autocorrelation(x, 30, { minPairs: 5 });
  assert.equal(pairs[10], 9);
  assert.equal(pairs[5], 0);
  assert.ok(Number.isNaN(r[5]));
  assert.equal(pairs[30], 7);
  assert.ok(Number.isFinite(r[30]));
  const strict = autocorrelation(x, 30, { minPairs: 8 });
  assert.ok(Number.isNaN(strict.r[30]) && Number.isFinite(strict.r[10]));
});

Deno.test("REQ-ANA-002: constant, all-gap and empty series give NaN, not an error", () => {
  for (
    const x of [new Float64Array(50).fill(7), new Float64Array(50).fill(NaN), new Float64Array(0)]
  ) {
    const { r } = autocorrelation(x, 10);
    assert.ok(r.every(Number.isNaN));
  }
  // a large constant leaves rounding errors after the mean is removed: still no variance
  assert.ok(autocorrelation(new Float64Array(1000).fill(1e9 + 0.1), 5).r.every(Number.isNaN));
});

Deno.test("REQ-ANA-004: detrend 'linear' removes a ramp that 'mean' keeps", () => {
  const x = new Float64Array(500).map((_, i) => i + Math.sin((2 * Math.PI * i) / 10));
  assert.ok(autocorrelation(x, 5).r[5] > 0.9); // the ramp dominates
  assert.ok(autocorrelation(x, 5, { detrend: "linear" }).r[5] < -0.9); // half a cycle
  const none = autocorrelation(new Float64Array([1, 1, 1, 1]), 1, { detrend: "none", minPairs: 1 });
  assert.equal(none.r[1], 1); // nothing removed: the raw products
  assert.equal(autocorrelation(new Float64Array(10), 50).r.length, 10); // maxLag clipped
});

Deno.test("REQ-ANA-004: the direct method is chosen only where it is cheaper", () => {
  assert.ok(directIsCheaper(200, 10));
  assert.ok(!directIsCheaper(86_400, 7_200));
});

Deno.test("REQ-ANA-004: pair counts reused for the same gaps, recomputed for other gaps or more lags", () => {
  const n = 5000;
  const gapsA = (i: number) => i % 17 === 3 || (i > 1000 && i < 1200);
  const gapsB = (i: number) => i % 13 === 5;
  const series = (seed: number, gap: (i: number) => boolean) =>
    new Float64Array(n).map((_, i) => (gap(i) ? NaN : Math.sin(i * seed) + Math.cos(i * i)));
  const cases: [Float64Array, number][] = [
    [series(1, gapsA), 400],
    [series(2, gapsA), 400], // same gaps: reused
    [series(3, gapsA), 900], // more lags: recomputed
    [series(4, gapsB), 900], // other gaps: recomputed
    [series(5, gapsA), 300],
  ];
  for (const [x, lags] of cases) {
    const fast = autocorrelation(x, lags, { method: "fft" });
    const direct = autocorrelation(x, lags, { method: "direct" });
    assert.deepEqual([...fast.pairs], [...direct.pairs]);
  }
  releaseScratch();
  const [x, lags] = cases[0];
  assert.deepEqual(
    [...autocorrelation(x, lags, { method: "fft" }).pairs],
    [...autocorrelation(x, lags, { method: "direct" }).pairs],
  );
});
