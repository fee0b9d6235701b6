import assert from "node:assert/strict";
import fc from "fast-check";
import { detectPeriodicity, type PeriodicityResult } from "./periodicity.ts";
import {
  addGaps,
  addNoise,
  createRng,
  randomWalk,
  sawtooth,
  sine,
  spikes,
  square,
  validationSet,
  whiteNoise,
} from "./synthetic.ts";

/** The accuracy target: ±1 s up to 50 s, ±2 % above. */
function withinTarget(got: number, truth: number): boolean {
  return Math.abs(got - truth) <= (truth > 50 ? 0.02 * truth : 1);
}

function reported(r: PeriodicityResult): boolean {
  return r.period !== null || r.others.length > 0 || r.windows.length > 0;
}

Deno.test("REQ-ANA-015: accuracy on a seeded validation set: ≥ 95 % within target, ≤ 1 % false periods", () => {
  // 210 periodic series (sine, square, spikes; 2 s … 3600 s; SNR 3; drift; 5 % gaps and holes)
  // and 272 aperiodic ones
  const set = validationSet({ seed: 1, perPeriodicKind: 70, perAperiodicKind: 100 });
  const hits: Record<string, [number, number]> = {};
  const misses: string[] = [];
  for (const s of set) {
    const r = detectPeriodicity(s.values);
    const kind = s.spec.kind;
    hits[kind] ??= [0, 0];
    hits[kind][0]++;
    if (s.periodSeconds === null) {
      if (kind === "white-noise" || kind === "random-walk") {
        if (reported(r)) hits[kind][1]++;
      } else {
        // steps, ramps, constants, all-gap series: never a period
        assert.equal(r.period, null, `${kind} of ${s.values.length}: ${JSON.stringify(r.period)}`);
        assert.deepEqual(r.others, []);
      }
    } else if (r.period !== null && withinTarget(r.period.periodSeconds, s.periodSeconds)) {
      hits[kind][1]++;
    } else misses.push(`${kind} ${s.periodSeconds} s → ${r.period?.periodSeconds ?? "none"}`);
  }
  const periodic = ["sine", "square", "spikes"].map((k) => hits[k]);
  const total = periodic.reduce((a, [n]) => a + n, 0);
  const found = periodic.reduce((a, [, h]) => a + h, 0);
  assert.ok(found / total >= 0.95, `${found}/${total} within target; misses: ${misses.join("; ")}`);
  for (const k of ["sine", "square", "spikes"]) {
    assert.ok(hits[k][1] / hits[k][0] >= 0.9, `${k}: ${hits[k][1]}/${hits[k][0]}`);
  }
  for (const k of ["white-noise", "random-walk"]) {
    assert.ok(hits[k][1] / hits[k][0] <= 0.01, `${k}: a period on ${hits[k][1]}/${hits[k][0]}`);
  }
});

Deno.test("REQ-ANA-001: the result's shape; stepSeconds ≤ 0 is refused", () => {
  const x = spikes(3600, { periodSeconds: 40, height: 600 }).map((v) => v + 250);
  const r = detectPeriodicity(x);
  assert.deepEqual(Object.keys(r).sort(), ["notes", "others", "period", "windows"]);
  assert.deepEqual(Object.keys(r.period!).sort(), [
    "amplitude",
    "confidence",
    "correlation",
    "cycles",
    "periodSeconds",
    "standardError",
  ]);
  assert.deepEqual(Object.keys(r.windows[0]).sort(), [
    "amplitude",
    "confidence",
    "correlation",
    "end",
    "periodSeconds",
    "start",
  ]);
  assert.throws(() => detectPeriodicity(x, { stepSeconds: 0 }), RangeError);
  assert.throws(() => detectPeriodicity(x, { stepSeconds: -1 }), RangeError);
});

Deno.test("REQ-ANA-001: any content gives a well-formed result, never an error (property)", () => {
  const value = fc.oneof(
    fc.double({ noNaN: false }),
    fc.constant(NaN),
    fc.constant(Infinity),
    fc.constant(0),
  );
  fc.assert(
    fc.property(fc.array(value, { maxLength: 400 }), (arr) => {
      const x = new Float64Array(arr);
      const r = detectPeriodicity(x);
      for (const d of [r.period, ...r.others]) {
        if (d === null) continue;
        assert.ok(d.periodSeconds >= 2 && d.periodSeconds <= x.length / 3 + 0.5);
        assert.ok(d.confidence >= 0 && d.confidence <= 1);
        assert.ok(Number.isFinite(d.amplitude) && d.amplitude >= 0);
      }
      for (const w of r.windows) {
        assert.ok(w.start >= 0 && w.end <= x.length && w.start < w.end);
        assert.ok(w.confidence >= 0 && w.confidence <= 1);
      }
      assert.ok(r.period !== null || r.notes.length > 0);
    }),
    { numRuns: 150 },
  );
});

Deno.test("REQ-ANA-002: empty, all-gap, constant, straight and too short series: no period, a note", () => {
  const cases: [string, Float64Array, RegExp][] = [
    ["empty", new Float64Array(0), /empty/],
    ["all gaps", new Float64Array(1000).fill(NaN), /every value is missing/],
    ["constant", new Float64Array(1000).fill(42), /constant/],
    ["constant with gaps", addGaps(new Float64Array(1000).fill(1e9), createRng(1)), /constant/],
    [
      "straight line with gaps",
      addGaps(new Float64Array(5000).map((_, i) => 1e6 + 3 * i), createRng(2)),
      /straight line/,
    ],
    ["too short", new Float64Array([1, 5, 1, 5, 1]), /too short/],
  ];
  for (const [name, x, note] of cases) {
    const r = detectPeriodicity(x);
    assert.equal(r.period, null, name);
    assert.deepEqual([r.others, r.windows], [[], []], name);
    assert.ok(r.notes.some((n) => note.test(n)), `${name}: ${r.notes}`);
  }
  const r = detectPeriodicity(sine(1000, { periodSeconds: 10 }), {
    minPeriodSeconds: 100,
    maxPeriodSeconds: 50,
  });
  assert.ok(r.period === null && /no period to look for/.test(r.notes[0]));
});

Deno.test("REQ-ANA-003: periods beyond a third of the series or the options are not reported", () => {
  // 2.5 cycles of a clean sine: too few to call
  const few = detectPeriodicity(sine(2500, { periodSeconds: 1000 }));
  assert.equal(few.period, null);
  assert.ok(few.notes.some((n) => /above 833 s/.test(n)), `${few.notes}`);
  // 3.5 cycles: seen
  const enough = detectPeriodicity(sine(3500, { periodSeconds: 1000 }));
  assert.ok(enough.period !== null && withinTarget(enough.period.periodSeconds, 1000));
  // spikes every 40 s, looking only below 30 s or above 50 s: never 40
  const x = addNoise(spikes(3600, { periodSeconds: 40 }), 3, createRng(3));
  assert.equal(detectPeriodicity(x, { maxPeriodSeconds: 30 }).period, null);
  const above = detectPeriodicity(x, { minPeriodSeconds: 50 }).period;
  assert.ok(
    above === null ||
      Math.abs(above.periodSeconds / 40 - Math.round(above.periodSeconds / 40)) < 0.01,
  );
  // a step of 10 s: periods in seconds, never below 2 steps
  const coarse = spikes(720, { periodSeconds: 300, stepSeconds: 10, widthSeconds: 10 });
  const r = detectPeriodicity(coarse, { stepSeconds: 10 });
  assert.ok(r.period !== null && Math.abs(r.period.periodSeconds - 300) < 1);
});

Deno.test("REQ-ANA-007: ramps, steps and random walks are not periodic; a period on them still is", () => {
  const rng = createRng(4);
  const n = 7200;
  const noise = whiteNoise(n, rng);
  const cycle = spikes(n, { periodSeconds: 90, height: 8 });
  const walk = randomWalk(n, rng, 0.2); // wanders ±17 around the spikes of 8
  const cases: [string, Float64Array, number | null][] = [
    ["ramp + noise", noise.map((v, i) => v + 0.01 * i), null],
    ["step + noise", noise.map((v, i) => v + (i > 3000 ? 20 : 0)), null],
    ["two steps", noise.map((v, i) => v + (i > 2000 && i < 2500 ? 30 : 0)), null],
    ["random walk", walk, null],
    ["ramp + spikes", cycle.map((v, i) => v + noise[i] + 0.01 * i), 90],
    ["random walk + spikes", cycle.map((v, i) => v + noise[i] + walk[i]), 90],
    ["step + spikes", cycle.map((v, i) => v + noise[i] + (i > 3000 ? 5 : 0)), 90],
  ];
  for (const [name, x, truth] of cases) {
    const r = detectPeriodicity(x);
    if (truth === null) assert.equal(r.period, null, `${name}: ${JSON.stringify(r.period)}`);
    else assert.ok(r.period !== null && withinTarget(r.period.periodSeconds, truth), name);
  }
});

Deno.test("REQ-ANA-008: the threshold is relative: scale and offset change nothing but the amplitude", () => {
  const x = addNoise(square(3600, { periodSeconds: 75, duty: 0.2 }), 3, createRng(5));
  const a = detectPeriodicity(x);
  const b = detectPeriodicity(x.map((v) => 1e9 + 1e6 * v));
  const c = detectPeriodicity(x.map((v) => 1e-3 * v));
  for (const r of [b, c]) {
    assert.ok(Math.abs(r.period!.periodSeconds - a.period!.periodSeconds) < 1e-6);
    assert.ok(Math.abs(r.period!.confidence - a.period!.confidence) < 1e-6);
  }
  assert.ok(Math.abs(b.period!.amplitude / a.period!.amplitude - 1e6) < 1);
  // a tiny cycle (amplitude 0.001, far below the seed's absolute threshold of 10) is found
  assert.ok(c.period !== null && Math.abs(c.period.periodSeconds - 75) < 1);
});

Deno.test("REQ-ANA-009: the fundamental is reported, not a harmonic", () => {
  const rng = createRng(6);
  // spikes every 40 s: peaks at 40, 80, 120 … all equally high
  const k = addNoise(spikes(86_400, { periodSeconds: 40 }), 3, rng);
  assert.ok(Math.abs(detectPeriodicity(k).period!.periodSeconds - 40) < 0.01);
  // spikes every 20 s whose heights alternate 10, 6: the strongest repeat is 40 s, 20 s also holds
  const alt = new Float64Array(7200).map((_, i) => (i % 40 === 0 ? 10 : i % 40 === 20 ? 6 : 0));
  const r = detectPeriodicity(addNoise(alt, 3, rng));
  assert.ok(Math.abs(r.period!.periodSeconds - 20) < 0.1, `${r.period?.periodSeconds}`);
  // a fractional period of a few steps (2.33 s repeats at whole lags only near 7 s)
  const short = addNoise(sine(3600, { periodSeconds: 2.33 }), 3, rng);
  assert.ok(Math.abs(detectPeriodicity(short).period!.periodSeconds - 2.33) < 0.05);
});

Deno.test("REQ-ANA-010: the period is refined to a fraction of a step", () => {
  const rng = createRng(7);
  const day = addGaps(addNoise(spikes(86_400, { periodSeconds: 33.37 }), 3, rng), rng);
  assert.ok(Math.abs(detectPeriodicity(day).period!.periodSeconds - 33.37) < 0.005);
  const few = addNoise(sine(4 * 1234.5, { periodSeconds: 1234.5 }), 3, rng); // 4 cycles
  const got = detectPeriodicity(few).period!.periodSeconds;
  assert.ok(Math.abs(got - 1234.5) / 1234.5 < 0.01, `${got}`);
});

Deno.test("REQ-ANA-011: confidence grows with the cycles seen and with the correlation", () => {
  const rng = createRng(8);
  const long = addNoise(sawtooth(36_000, { periodSeconds: 600 }), 3, rng);
  const c4 = detectPeriodicity(long.slice(0, 2400)).period!;
  const c60 = detectPeriodicity(long).period!;
  assert.ok(c60.confidence > c4.confidence, `${c4.confidence} < ${c60.confidence}`);
  assert.ok(Math.abs(c4.cycles - 4) < 0.2 && Math.abs(c60.cycles - 60) < 1);
  const cleaner = detectPeriodicity(addNoise(sawtooth(36_000, { periodSeconds: 600 }), 30, rng));
  assert.ok(cleaner.period!.confidence > c60.confidence);
  assert.ok(cleaner.period!.correlation > c60.correlation);
});

Deno.test("REQ-ANA-012: amplitude is the peak-to-peak of the mean cycle, in the series' unit", () => {
  const rng = createRng(9);
  const cpu = addNoise(spikes(3600, { periodSeconds: 40, height: 600 }), 3, rng).map((v) =>
    v + 250
  );
  assert.ok(Math.abs(detectPeriodicity(cpu).period!.amplitude - 600) < 30);
  const wave = addNoise(sine(7200, { periodSeconds: 300, amplitude: 5e6 }), 10, rng);
  assert.ok(Math.abs(detectPeriodicity(wave).period!.amplitude - 1e7) < 1e6);
});

Deno.test("REQ-ANA-013: windows locate a period that holds in part of the series", () => {
  const rng = createRng(10);
  const noise = whiteNoise(86_400, rng);
  // spikes every 40 s from 8:00 to 12:00 only
  const x = noise.map((v, i) => v + (i >= 28_800 && i < 43_200 && i % 40 === 0 ? 10 : 0));
  const r = detectPeriodicity(x);
  const at40 = r.windows.filter((w) => Math.abs(w.periodSeconds - 40) < 0.1);
  assert.equal(at40.length, 1);
  assert.ok(Math.abs(at40[0].start - 28_800) <= 600 && Math.abs(at40[0].end - 43_200) <= 600);
  assert.ok(Math.abs(at40[0].amplitude - 10) < 2);
  // a period that changes: 40 s for the first hour, 60 s for the second
  const change = noise.slice(0, 7200).map((v, i) => v + (i % (i < 3600 ? 40 : 60) === 0 ? 8 : 0));
  const c = detectPeriodicity(change);
  const by = (p: number) => c.windows.find((w) => Math.abs(w.periodSeconds - p) < 0.5)!;
  assert.ok(by(40).start === 0 && by(40).end <= 4200);
  assert.ok(by(60).start >= 3000 && by(60).end === 7200);
});

Deno.test("REQ-ANA-014: two periods at once: the stronger as period, the other in others", () => {
  const rng = createRng(11);
  const x = spikes(86_400, { periodSeconds: 40, height: 10 }).map((v, i) =>
    v + 3 * Math.sin((2 * Math.PI * i) / 300) + rng.normal()
  );
  const r = detectPeriodicity(x);
  assert.ok(Math.abs(r.period!.periodSeconds - 40) < 0.01);
  assert.equal(r.others.length, 1);
  assert.ok(Math.abs(r.others[0].periodSeconds - 300) < 1);
  assert.ok(r.period!.confidence >= r.others[0].confidence);
});

Deno.test("REQ-ANA-018: the study imports nothing outside analysis/ and uses no Deno API", async () => {
  const dir = new URL(".", import.meta.url);
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    const specifiers = [...text.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms)].map((m) =>
      m[1]
    );
    for (const s of specifiers) assert.match(s, /^\.\/[a-z_]+\.ts$/, `${entry.name} imports ${s}`);
    // code, not comments: no Deno namespace, no fetch, no dynamic import
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    assert.doesNotMatch(code, /\bDeno\.|\bfetch\(|\bimport\(/, entry.name);
  }
});
