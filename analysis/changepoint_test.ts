import assert from "node:assert/strict";
import fc from "fast-check";
import { detectChangepoints, optimalPartitioning, robustNoise } from "./changepoint.ts";
import { addGaps, createRng, randomWalk, whiteNoise } from "./synthetic.ts";

/** Levels changing at `at` (indices), unit noise. */
function levels(n: number, at: number[], means: number[], seed: number, sd = 1): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k < at.length && i >= at[k]) k++;
    x[i] = means[k] + sd * rng.normal();
  }
  return x;
}

Deno.test("REQ-ANA-020: PELT gives the segmentation of exact optimal partitioning", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.integer({ min: 20, max: 240 }),
      fc.integer({ min: 1, max: 12 }),
      fc.constantFrom("mean" as const, "meanvar" as const),
      fc.boolean(),
      (seed, n, minSegment, cost, gaps) => {
        const rng = createRng(seed);
        const cuts = [rng.int(0, n), rng.int(0, n), rng.int(0, n)].sort((a, b) => a - b);
        let x = levels(n, cuts, [0, 3 * rng.normal(), 3 * rng.normal(), 3 * rng.normal()], seed);
        if (cost === "meanvar") x = x.map((v, i) => (i > n / 2 ? v * 3 : v));
        if (gaps) x = addGaps(x, rng, { fraction: 0.1 });
        const o = { cost, minSegment };
        const got = detectChangepoints(x, o).changepoints.map((c) => c.index);
        assert.deepEqual(got, optimalPartitioning(x, o));
        const peer = detectChangepoints(x, { ...o, pruning: "inequality" });
        assert.deepEqual(peer.changepoints.map((c) => c.index), got);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("REQ-ANA-020: levels, magnitude and direction of each change", () => {
  const x = levels(3000, [1000, 2000], [10, 25, 18], 4, 2);
  const r = detectChangepoints(x);
  assert.equal(r.changepoints.length, 2);
  const [a, b] = r.changepoints;
  assert.ok(
    Math.abs(a.index - 1000) <= 2 && Math.abs(b.index - 2000) <= 2,
    `${a.index} ${b.index}`,
  );
  assert.equal(a.direction, "up");
  assert.equal(b.direction, "down");
  assert.ok(Math.abs(a.before - 10) < 0.3 && Math.abs(a.after - 25) < 0.3);
  assert.ok(Math.abs(a.magnitude - 15) < 0.4 && Math.abs(b.magnitude - 7) < 0.4);
  assert.ok(Math.abs(r.noise - 2) < 0.2, `noise ${r.noise}`);
  assert.ok(Math.abs(a.score - 7.5) < 0.5);
  assert.deepEqual(r.segments.map((s) => [s.start, s.end]), [
    [0, a.index],
    [a.index, b.index],
    [b.index, 3000],
  ]);
});

Deno.test("REQ-ANA-021: the penalty is relative to the series' noise: scaling changes nothing", () => {
  const x = levels(2000, [700, 1300], [0, 2, -1], 9);
  const base = detectChangepoints(x).changepoints.map((c) => c.index);
  assert.ok(base.length >= 2);
  for (const [k, c] of [[1e6, 1e9], [1e-3, 0], [-5, 3]]) {
    const y = x.map((v) => v * k + c);
    assert.deepEqual(detectChangepoints(y).changepoints.map((c) => c.index), base);
  }
});

Deno.test("REQ-ANA-021: few false changes on white noise; none on a constant, all-gap or tiny series", () => {
  let falses = 0;
  for (let seed = 1; seed <= 40; seed++) {
    falses += detectChangepoints(whiteNoise(3000, createRng(seed))).changepoints.length;
  }
  assert.ok(falses <= 2, `${falses} changes on 40 white-noise series`);
  for (
    const x of [new Float64Array(100).fill(7), new Float64Array(50).fill(NaN), new Float64Array(0)]
  ) {
    const r = detectChangepoints(x);
    assert.deepEqual(r.changepoints, []);
    assert.ok(r.notes.length === 1, r.notes.join());
  }
  assert.match(detectChangepoints(new Float64Array([1, 2, 3])).notes[0], /too short/);
  assert.match(detectChangepoints(new Float64Array(9).fill(NaN)).notes[0], /missing/);
});

Deno.test("REQ-ANA-022: gaps are skipped; a noiseless step series is cut at each step", () => {
  const x = levels(1000, [400], [0, 5], 2);
  const g = addGaps(x, createRng(3), { fraction: 0.1, holes: 2, holeLength: 30 });
  const idx = detectChangepoints(g).changepoints.map((c) => c.index);
  assert.equal(idx.length, 1);
  assert.ok(Math.abs(idx[0] - 400) <= 3);
  assert.ok(Number.isFinite(g[idx[0]]), "a change starts at a sample");
  const exact = new Float64Array(60).map((_, i) => (i < 20 ? 1 : i < 40 ? 3 : 2));
  assert.deepEqual(detectChangepoints(exact).changepoints.map((c) => c.index), [20, 40]);
});

Deno.test("REQ-ANA-022: minimum segment length is respected", () => {
  const x = levels(400, [100, 103], [0, 30, 0], 5);
  const r = detectChangepoints(x, { minSegment: 10 });
  for (const s of r.segments) assert.ok(s.samples >= 10);
  const short = detectChangepoints(x, { minSegment: 1 });
  assert.deepEqual(short.changepoints.map((c) => c.index), [100, 103]);
});

Deno.test("REQ-ANA-023: meanvar finds a change of spread as one change", () => {
  const rng = createRng(11);
  const x = new Float64Array(2000).map((_, i) => (i < 1000 ? 1 : 6) * rng.normal());
  const mv = detectChangepoints(x, { cost: "meanvar" }).changepoints;
  assert.equal(mv.length, 1);
  assert.ok(Math.abs(mv[0].index - 1000) < 30, `${mv[0].index}`);
  assert.ok(mv[0].afterSd > 4 * mv[0].beforeSd);
});

Deno.test("REQ-ANA-021: robust noise ignores steps and trends", () => {
  const x = levels(5000, [2500], [0, 100], 6, 3).map((v, i) => v + i * 0.01);
  assert.ok(Math.abs(robustNoise(x) - 3) < 0.2, `${robustNoise(x)}`);
  const walk = randomWalk(5000, createRng(2));
  assert.ok(robustNoise(walk) > 0.5);
});
