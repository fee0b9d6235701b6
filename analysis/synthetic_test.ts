import assert from "node:assert/strict";
import {
  addGaps,
  addNoise,
  APERIODIC_KINDS,
  createRng,
  drift,
  PERIODIC_KINDS,
  randomWalk,
  sawtooth,
  sine,
  spikes,
  square,
  syntheticSeries,
  validationSet,
  variance,
  whiteNoise,
} from "./synthetic.ts";

Deno.test("REQ-ANA-017: the same seed gives the same series; another seed another", () => {
  const spec = {
    kind: "spikes" as const,
    length: 2000,
    seed: 42,
    periodSeconds: 40,
    snr: 3,
    drift: 1,
    gaps: { fraction: 0.05, holes: 2 },
  };
  const a = syntheticSeries(spec).values;
  const b = syntheticSeries(spec).values;
  assert.deepEqual([...a], [...b]);
  const c = syntheticSeries({ ...spec, seed: 43 }).values;
  assert.notDeepEqual([...a], [...c]);
  const draws = [createRng(1).uniform(), createRng(1).uniform(), createRng(2).uniform()];
  assert.equal(draws[0], draws[1]);
  assert.notEqual(draws[0], draws[2]);
  assert.ok(draws.every((u) => u >= 0 && u < 1));
});

Deno.test("REQ-ANA-017: uniforms are uniform and normals standard", () => {
  const rng = createRng(9);
  const n = 100_000;
  let below = 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    if (rng.uniform() < 0.25) below++;
    const z = rng.normal();
    sum += z;
    sq += z * z;
  }
  assert.ok(Math.abs(below / n - 0.25) < 0.01);
  assert.ok(Math.abs(sum / n) < 0.02 && Math.abs(sq / n - 1) < 0.02);
  for (let i = 0; i < 1000; i++) {
    const k = rng.int(3, 5);
    assert.ok(k >= 3 && k <= 5 && Number.isInteger(k));
  }
});

Deno.test("REQ-ANA-017: SNR is the variance ratio of signal to noise", () => {
  const rng = createRng(3);
  for (
    const signal of [sine(50_000, { periodSeconds: 37 }), spikes(50_000, { periodSeconds: 40 })]
  ) {
    const noisy = addNoise(signal, 3, rng);
    const noise = noisy.map((v, i) => v - signal[i]);
    assert.ok(Math.abs(variance(signal) / variance(noise) - 3) < 0.15);
  }
  // heightOverSigma: spikes this many σ high
  const s = syntheticSeries({
    kind: "spikes",
    length: 50_000,
    seed: 1,
    periodSeconds: 40,
    heightOverSigma: 3,
    scale: 6,
  });
  const clean = syntheticSeries({
    kind: "spikes",
    length: 50_000,
    seed: 1,
    periodSeconds: 40,
    scale: 6,
  });
  assert.ok(Math.abs(Math.sqrt(variance(s.values.map((v, i) => v - clean.values[i]))) - 2) < 0.05);
});

Deno.test("REQ-ANA-017: shapes, periods and phases", () => {
  const x = square(100, { periodSeconds: 10, duty: 0.3, high: 5, low: -1 });
  assert.deepEqual([...x.slice(0, 10)], [5, 5, 5, -1, -1, -1, -1, -1, -1, -1]);
  // 1-s spikes at a fractional period: one sample per cycle
  const k = spikes(10_000, { periodSeconds: 33.4, phaseSeconds: 3 });
  assert.equal(k.reduce((a, v) => a + v, 0), Math.ceil((10_000 - 3) / 33.4));
  assert.equal(k[3], 1);
  const w = sawtooth(20, { periodSeconds: 10, height: 10, stepSeconds: 2 });
  assert.deepEqual([...w.slice(0, 6)], [0, 2, 4, 6, 8, 0]);
  assert.ok(Math.abs(sine(40, { periodSeconds: 40, phaseSeconds: 10 })[20] - 1) < 1e-12);
  const d = drift(5000, createRng(2), 7);
  assert.ok(Math.abs(Math.max(...d) - Math.min(...d) - 7) < 1e-9);
  const walk = randomWalk(1000, createRng(2), 3);
  assert.ok(
    Math.abs(Math.sqrt(variance(walk.map((v, i) => v - (walk[i - 1] ?? 0)).slice(1))) - 3) < 0.3,
  );
  assert.ok(Math.abs(Math.sqrt(variance(whiteNoise(20_000, createRng(4), 5))) - 5) < 0.1);
  assert.throws(() => syntheticSeries({ kind: "sine", length: 10, seed: 1 }), RangeError);
});

Deno.test("REQ-ANA-006: addGaps() punches the requested share and holes", () => {
  const x = addGaps(new Float64Array(100_000), createRng(5), {
    fraction: 0.05,
    holes: 3,
    holeLength: 500,
  });
  const missing = x.filter(Number.isNaN).length;
  assert.ok(missing > 100_000 * 0.05 + 1000 && missing < 100_000 * 0.05 + 1600, `${missing}`);
  let longest = 0;
  let run = 0;
  for (const v of x) {
    run = Number.isNaN(v) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  assert.ok(longest >= 500);
});

Deno.test("REQ-ANA-015: validationSet() covers the kinds, the period range and enough cycles", () => {
  const set = validationSet({ seed: 2, perPeriodicKind: 30, perAperiodicKind: 12 });
  const kinds = new Set(set.map((s) => s.spec.kind));
  for (const k of ["sine", "square", "spikes", ...APERIODIC_KINDS]) {
    assert.ok(kinds.has(k as never), k);
  }
  const periods = set.flatMap((s) => (s.periodSeconds === null ? [] : [s.periodSeconds]));
  assert.equal(periods.length, 90);
  assert.ok(Math.min(...periods) < 3 && Math.max(...periods) > 2500);
  for (const s of set) {
    assert.equal(s.periodSeconds !== null, PERIODIC_KINDS.includes(s.spec.kind));
    if (s.periodSeconds !== null) {
      assert.ok(s.values.length >= 3 * s.periodSeconds, `${s.spec.kind} ${s.periodSeconds}`);
      assert.ok(s.peakToPeak > 0);
    }
  }
  // deterministic
  const again = validationSet({ seed: 2, perPeriodicKind: 30, perAperiodicKind: 12 });
  assert.deepEqual([...again[17].values], [...set[17].values]);
});
