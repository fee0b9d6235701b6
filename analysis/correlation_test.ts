import assert from "node:assert/strict";
import { correlationPValue, laggedPearson, rankCorrelations } from "./correlation.ts";
import { addGaps, createRng, randomWalk, whiteNoise } from "./synthetic.ts";

Deno.test("REQ-ANA-030: lagged Pearson over valid pairs, lag sign: positive when the candidate leads", () => {
  const rng = createRng(1);
  const cpu = whiteNoise(3600, rng);
  const throttled = new Float64Array(3600).map((_, i) =>
    (i >= 2 ? 0.8 * cpu[i - 2] : 0) + 0.3 * rng.normal()
  );
  const r = laggedPearson(throttled, cpu, 2);
  assert.ok(r.r > 0.9 && r.pairs === 3598, `${r.r} ${r.pairs}`);
  const res = rankCorrelations(throttled, [whiteNoise(3600, rng), cpu, whiteNoise(3600, rng)]);
  assert.equal(res.hits[0].index, 1);
  assert.equal(res.hits[0].lag, 2);
  assert.ok(res.hits[0].significant);
  assert.equal(res.hits.filter((h) => h.significant).length, 1);
  // the other way round: the CPU moves 2 steps before the throttling
  assert.equal(rankCorrelations(cpu, [throttled]).hits[0].lag, -2);
});

Deno.test("REQ-ANA-031: two smooth independent trends are not called related", () => {
  let called = 0;
  let strong = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const rng = createRng(seed);
    const a = randomWalk(3600, rng);
    const b = randomWalk(3600, rng);
    const h = rankCorrelations(a, [b]).hits[0];
    if (Math.abs(h.r) > 0.5) strong++;
    if (h.significant) called++;
    assert.ok(h.effectivePairs < 400, `effective ${h.effectivePairs}`);
  }
  assert.ok(strong >= 10, `random walks correlate by chance (|r| > 0.5 in ${strong}/100)`);
  assert.ok(called <= 1, `${called}/100 pairs of random walks called related`);
});

Deno.test("REQ-ANA-031: white noise: at most alpha of unrelated candidates significant", () => {
  const rng = createRng(7);
  const target = whiteNoise(3600, rng);
  const cands = Array.from({ length: 200 }, () => whiteNoise(3600, rng));
  const r = rankCorrelations(target, cands, { top: 200 });
  assert.equal(r.compared, 200);
  assert.equal(r.hits.filter((h) => h.significant).length, 0);
  assert.match(r.notes[0], /no series correlates/);
});

Deno.test("REQ-ANA-032: a related pair is still found on top of trends, with gaps", () => {
  const rng = createRng(3);
  const driver = whiteNoise(3600, rng);
  const walk = randomWalk(3600, rng);
  const follower = addGaps(
    new Float64Array(3600).map((_, i) =>
      (i >= 5 ? driver[i - 5] : 0) + 0.02 * walk[i] + 0.5 * rng.normal()
    ),
    rng,
    { fraction: 0.05, holes: 2 },
  );
  const cands = [randomWalk(3600, rng), addGaps(driver, rng, { fraction: 0.05 }), walk];
  const r = rankCorrelations(follower, cands);
  assert.equal(r.hits[0].index, 1);
  assert.equal(r.hits[0].lag, 5);
  assert.ok(r.hits[0].significant);
});

Deno.test("REQ-ANA-033: constant, all-gap and short candidates are skipped; a constant target says so", () => {
  const rng = createRng(4);
  const x = whiteNoise(500, rng);
  const r = rankCorrelations(x, [
    new Float64Array(500).fill(3),
    new Float64Array(500).fill(NaN),
    new Float64Array(10).map(() => rng.normal()),
  ]);
  assert.equal(r.compared, 0);
  assert.deepEqual(r.hits, []);
  assert.match(rankCorrelations(new Float64Array(100).fill(1), [x]).notes[0], /constant/);
  assert.match(rankCorrelations(new Float64Array(0), [x]).notes[0], /empty/);
});

Deno.test("REQ-ANA-030: p-values", () => {
  assert.ok(correlationPValue(0, 1000) > 0.99);
  assert.ok(Math.abs(correlationPValue(0.0620, 1000) - 0.05) < 0.002);
  assert.equal(correlationPValue(0.9, 3), 1);
});
