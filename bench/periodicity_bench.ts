/**
 * The periodicity study (`analysis/periodicity.ts`, specs/analysis.md): how long it takes on
 * 1 h, 24 h and 7 days of 1-Hz samples, and how often it is right on seeded synthetic series, by
 * signal kind and period range, and how often it reports a period where there is none.
 *
 * ```sh
 * npx deno bench -A bench/periodicity_bench.ts      # Deno.bench timings, then the summary
 * npx deno run -A bench/periodicity_bench.ts        # the summary alone
 * ```
 *
 * Accuracy: a detection is right when its period is within ±1 s of the truth up to 50 s, ±2 %
 * above (the target: ≥ 95 % of periodic series). Series: `validationSet()` of
 * `analysis/synthetic.ts`, seeds 1–3: periods log-uniform over 2 … 3600 s, 3–10 cycles (at least
 * 600–3600 samples), SNR 3 as a variance ratio, slow drift of one signal σ, 5 % missing samples
 * and up to 3 holes of 1 %; plus spikes only 3σ high (SNR read as amplitude/σ), which the
 * default thresholds are not meant to catch at long periods. A false period is a `period`, an
 * `others` entry or a window on a series without one (target ≤ 1 % on white noise and random
 * walks). Timings: median of 5 runs (after one warm-up) per input, one process, this machine.
 *
 * @module
 */

import { detectPeriodicity } from "../analysis/periodicity.ts";
import {
  type SeriesKind,
  type SyntheticSeries,
  syntheticSeries,
  validationSet,
} from "../analysis/synthetic.ts";
import { median } from "./stats.ts";
import { seedPeriodicity } from "./seed_periodicity.ts";
import { markdownTable } from "./table.ts";

const SEEDS = [1, 2, 3];
const BANDS: [string, number, number][] = [
  ["2–10 s", 2, 10],
  ["10–100 s", 10, 100],
  ["100–1000 s", 100, 1000],
  ["1000–3600 s", 1000, 3601],
];

function withinTarget(got: number, truth: number): boolean {
  return Math.abs(got - truth) <= (truth > 50 ? 0.02 * truth : 1);
}

function percent(hits: number, total: number): string {
  return total === 0 ? "–" : `${((100 * hits) / total).toFixed(1)} % (${hits}/${total})`;
}

/** Right / total per row label and band. */
function accuracy(sets: { label: string; series: SyntheticSeries[] }[]): string {
  const rows: string[][] = [["kind", ...BANDS.map(([b]) => b), "all"]];
  let allHits = 0;
  let allTotal = 0;
  for (const { label, series } of sets) {
    const hits = BANDS.map(() => 0);
    const totals = BANDS.map(() => 0);
    for (const s of series) {
      const truth = s.periodSeconds!;
      const band = BANDS.findIndex(([, lo, hi]) => truth >= lo && truth < hi);
      totals[band]++;
      const p = detectPeriodicity(s.values).period;
      if (p !== null && withinTarget(p.periodSeconds, truth)) hits[band]++;
    }
    const h = hits.reduce((a, b) => a + b, 0);
    const t = totals.reduce((a, b) => a + b, 0);
    if (!label.includes("3σ")) {
      allHits += h;
      allTotal += t;
    }
    rows.push([label, ...hits.map((x, i) => percent(x, totals[i])), percent(h, t)]);
  }
  rows.push(["sine+square+spikes+sawtooth", "", "", "", "", percent(allHits, allTotal)]);
  return markdownTable(rows);
}

/**
 * fgm and the seed viewer's method (bench/seed_periodicity.ts) side by side on the same series, per
 * period band: detection rate (period within target), fgm's median period error, and false
 * periods on white noise and random walks. The seed's amplitude gate (max − min ≥ 10, whatever the
 * unit) refuses unit-scale series outright, so it also runs on the series × 100 (as if in
 * millicores), where the gate passes.
 */
function sideBySide(periodic: SyntheticSeries[], aperiodic: SyntheticSeries[]): string {
  const rows: string[][] = [[
    "band",
    "series",
    "fgm",
    "seed",
    "seed on ×100",
    "fgm median error",
    "seed ×100 median error",
  ]];
  const all = { n: 0, fgm: 0, seed: 0, seed100: 0 };
  for (const [band, lo, hi] of BANDS) {
    const of = periodic.filter((s) => s.periodSeconds! >= lo && s.periodSeconds! < hi);
    let fgm = 0;
    let seed = 0;
    let seed100 = 0;
    const errF: number[] = [];
    const errS: number[] = [];
    for (const s of of) {
      const truth = s.periodSeconds!;
      const p = detectPeriodicity(s.values).period;
      if (p !== null && withinTarget(p.periodSeconds, truth)) fgm++;
      if (p !== null) errF.push(Math.abs(p.periodSeconds - truth));
      const q = seedPeriodicity(s.values).periodSeconds;
      if (q !== null && withinTarget(q, truth)) seed++;
      const q100 = seedPeriodicity(s.values.map((v) => v * 100)).periodSeconds;
      if (q100 !== null && withinTarget(q100, truth)) seed100++;
      if (q100 !== null) errS.push(Math.abs(q100 - truth));
    }
    all.n += of.length;
    all.fgm += fgm;
    all.seed += seed;
    all.seed100 += seed100;
    const err = (e: number[]) => (e.length ? `${median(e)!.toPrecision(2)} s` : "–");
    rows.push([
      band,
      String(of.length),
      percent(fgm, of.length),
      percent(seed, of.length),
      percent(seed100, of.length),
      err(errF),
      err(errS),
    ]);
  }
  rows.push([
    "all",
    String(all.n),
    percent(all.fgm, all.n),
    percent(all.seed, all.n),
    percent(all.seed100, all.n),
    "",
    "",
  ]);
  for (const kind of ["white-noise", "random-walk"]) {
    const of = aperiodic.filter((s) => s.spec.kind === kind);
    let fgm = 0;
    let seed = 0;
    let seed100 = 0;
    for (const s of of) {
      const r = detectPeriodicity(s.values);
      if (r.period !== null || r.others.length > 0 || r.windows.length > 0) fgm++;
      if (seedPeriodicity(s.values).periodSeconds !== null) seed++;
      if (seedPeriodicity(s.values.map((v) => v * 100)).periodSeconds !== null) seed100++;
    }
    rows.push([
      `false periods: ${kind}`,
      String(of.length),
      percent(fgm, of.length),
      percent(seed, of.length),
      percent(seed100, of.length),
      "",
      "",
    ]);
  }
  return markdownTable(rows);
}

function falsePeriods(series: SyntheticSeries[]): string {
  const rows: string[][] = [["kind", "series", "period reported", "period or window reported"]];
  const kinds = [...new Set(series.map((s) => s.spec.kind))];
  for (const kind of kinds) {
    const of = series.filter((s) => s.spec.kind === kind);
    let period = 0;
    let any = 0;
    for (const s of of) {
      const r = detectPeriodicity(s.values);
      if (r.period !== null) period++;
      if (r.period !== null || r.others.length > 0 || r.windows.length > 0) any++;
    }
    rows.push([kind, String(of.length), percent(period, of.length), percent(any, of.length)]);
  }
  return markdownTable(rows);
}

/** Inputs for the timings: 1 Hz, 5 % gaps and two holes. */
function timingInput(kind: SeriesKind, length: number): Float64Array {
  return syntheticSeries({
    kind,
    length,
    seed: 7,
    periodSeconds: kind === "spikes" ? 40 : kind === "sine" ? 1800 : undefined,
    snr: 3,
    gaps: { fraction: 0.05, holes: 2 },
    offset: 250,
  }).values;
}

const LENGTHS: [string, number][] = [["1 h", 3600], ["24 h", 86_400], ["7 days", 604_800]];
const KINDS: SeriesKind[] = ["spikes", "sine", "random-walk", "white-noise"];

function timings(): string {
  const rows: string[][] = [["input", ...LENGTHS.map(([l]) => l)]];
  for (const kind of KINDS) {
    const cells: string[] = [];
    for (const [, length] of LENGTHS) {
      const x = timingInput(kind, length);
      detectPeriodicity(x); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        detectPeriodicity(x);
        ms.push(performance.now() - t0);
      }
      cells.push(`${median(ms)!.toFixed(0)} ms`);
    }
    const label = kind === "spikes"
      ? "spikes every 40 s"
      : kind === "sine"
      ? "sine of 1800 s"
      : kind;
    rows.push([label, ...cells]);
  }
  return markdownTable(rows);
}

for (const [label, length] of LENGTHS) {
  for (const kind of ["spikes", "random-walk"] as const) {
    const x = timingInput(kind, length);
    Deno.bench({
      name: `${label} of ${kind}`,
      group: label,
      baseline: kind === "spikes",
      n: length > 100_000 ? 5 : 20,
      fn: () => {
        detectPeriodicity(x);
      },
    });
  }
}

function summary(): string {
  const periodic: Record<string, SyntheticSeries[]> = {};
  const aperiodic: SyntheticSeries[] = [];
  const hard: SyntheticSeries[] = [];
  for (const seed of SEEDS) {
    const set = validationSet({
      seed,
      perPeriodicKind: 100,
      perAperiodicKind: 200,
      periodicKinds: ["sine", "square", "spikes", "sawtooth"],
    });
    for (const s of set) {
      if (s.periodSeconds === null) aperiodic.push(s);
      else (periodic[s.spec.kind] ??= []).push(s);
    }
    hard.push(
      ...validationSet({
        seed: seed + 100,
        perPeriodicKind: 100,
        perAperiodicKind: 0,
        periodicKinds: ["spikes"],
        heightOverSigma: 3,
      }).filter((s) => s.periodSeconds !== null),
    );
  }
  const sets = Object.entries(periodic).map(([label, series]) => ({ label, series }));
  sets.push({ label: "spikes 3σ high", series: hard });
  return [
    "",
    "periodicity: time per series (median of 5), 1 Hz samples with 5 % gaps",
    "",
    timings(),
    "",
    "periodicity: period within ±1 s (≤ 50 s) or ±2 %, default options",
    "",
    accuracy(sets),
    "",
    "periodicity: false periods on series without one",
    "",
    falsePeriods(aperiodic),
    "",
    "periodicity: fgm and the seed viewer's method on the same series (sine, square, spikes,",
    "sawtooth; detection = period within target; false period = any period, other or window)",
    "",
    sideBySide(Object.values(periodic).flat(), aperiodic),
  ].join("\n");
}

let printed = false;
function finish(): void {
  if (printed) return;
  printed = true;
  console.log(summary());
}
globalThis.addEventListener("unload", finish);
