/**
 * `fgm analyze`'s text output: a study's JSON (analyze/run.ts) as lines a terminal shows — one
 * block per series, times in UTC, values in the metric's unit. Pure: result in, string out.
 *
 * @module
 */

import type { ChangepointEntry, CorrelationEntry, PeriodicityEntry, StudyResult } from "./run.ts";

const UNIT_SUFFIX: Record<string, string> = {
  millicores: "m",
  bytes: "B",
  microseconds: "µs",
  percent: "%",
};

/** A number in a unit, short: 3 significant digits, k/M/G/T for large ones. */
export function formatNumber(v: number, unit: string | null): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const [scaled, prefix] = a >= 1e12
    ? [v / 1e12, "T"]
    : a >= 1e9
    ? [v / 1e9, "G"]
    : a >= 1e6
    ? [v / 1e6, "M"]
    : a >= 1e4
    ? [v / 1e3, "k"]
    : [v, ""];
  const digits = Math.abs(scaled) >= 100 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2;
  const text = Number(scaled.toFixed(digits)).toString();
  const suffix = unit === null ? "" : (UNIT_SUFFIX[unit] ?? (unit === "count" ? "" : ` ${unit}`));
  return `${text}${prefix}${suffix}`;
}

/** A duration in seconds as `9.98 s`, `4 min 10 s`, `1 h 2 min`. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${Number(s.toFixed(s < 10 ? 2 : 1))} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = Math.round(s - 60 * m);
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.round((s - 3600 * h) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** An epoch-ms time as `2026-12-04 10:15:00Z` (seconds shown; ms when not whole). */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, ms % 1000 ? 23 : 19)}Z`;
}

function pct(x: number): string {
  return `${Math.round(100 * x)} %`;
}

function header(r: StudyResult): string {
  const unit = r.unit
    ? ` (${r.unit}${r.increments ? " per step: a counter's increments" : ""})`
    : "";
  return `${r.study} of ${r.table}.${r.metric}${unit}, ${formatTime(r.fromMs)} → ${
    formatTime(r.toMs)
  }, step ${formatSeconds(r.stepMs / 1000)}, ${r.results.length} series`;
}

function periodicity(e: PeriodicityEntry, unit: string | null): string[] {
  const lines: string[] = [];
  if (e.period) {
    const p = e.period;
    lines.push(
      `  period ${formatSeconds(p.periodSeconds)}  confidence ${pct(p.confidence)}  amplitude ${
        formatNumber(p.amplitude, unit)
      }  ${Math.round(p.cycles)} cycles`,
    );
  } else lines.push("  no period");
  for (const o of e.others) {
    lines.push(`  also   ${formatSeconds(o.periodSeconds)}  confidence ${pct(o.confidence)}`);
  }
  for (const w of e.windows) {
    lines.push(
      `  holds ${formatTime(w.fromMs)} → ${formatTime(w.toMs)}  ${
        formatSeconds(w.periodSeconds)
      }  ${pct(w.confidence)}`,
    );
  }
  return lines;
}

function changepoint(e: ChangepointEntry, unit: string | null): string[] {
  if (e.changepoints.length === 0) return ["  no change"];
  return e.changepoints.map((c) =>
    `  ${formatTime(c.atMs)}  ${c.direction === "up" ? "↑" : "↓"} ${
      formatNumber(c.before, unit)
    } → ${formatNumber(c.after, unit)}  (${c.direction === "up" ? "+" : "−"}${
      formatNumber(c.magnitude, unit)
    }, ${c.score.toFixed(1)} σ)`
  );
}

function correlation(e: CorrelationEntry, r: StudyResult): string[] {
  const lines: string[] = [];
  const shown = e.matches.filter((m) => m.significant);
  for (const m of shown) {
    const lag = m.lagSeconds === 0
      ? "at the same time"
      : m.lagSeconds > 0
      ? `${formatSeconds(m.lagSeconds)} after it`
      : `${formatSeconds(-m.lagSeconds)} before it`;
    lines.push(
      `  r ${m.r >= 0 ? "+" : "−"}${
        Math.abs(m.r).toFixed(2)
      }  ${m.table}.${m.metric} of ${m.name}  (${r.metric} moves ${lag}; p ${
        m.pValue < 1e-4 ? m.pValue.toExponential(0) : m.pValue.toPrecision(2)
      }, ${Math.round(m.effectivePairs)} effective of ${m.pairs})`,
    );
  }
  if (shown.length === 0) {
    const best = e.matches[0];
    lines.push(
      `  nothing correlates significantly (${e.compared} series compared${
        best ? `; best r ${best.r.toFixed(2)}, ${best.table}.${best.metric} of ${best.name}` : ""
      })`,
    );
  }
  return lines;
}

/**
 * A study's result as text for a terminal.
 *
 * @example
 * ```ts
 * import { renderStudy } from "./render.ts";
 * import assert from "node:assert/strict";
 * const text = renderStudy({
 *   study: "changepoint", table: "containers", metric: "cpu_usage_millicores", unit: "millicores",
 *   kind: "rate", increments: false, fromMs: 0, toMs: 60_000, stepMs: 1000, parameters: {},
 *   notes: [], results: [{ table: "containers", id: "n/c", node: "n", key: {}, name: "web",
 *   samples: 60, changepoints: [], segments: [], noise: 1, penalty: 8, notes: [] }],
 * });
 * assert.match(text, /web\n  no change/);
 * ```
 */
export function renderStudy(r: StudyResult): string {
  const lines = [header(r)];
  for (const n of r.notes) lines.push(`note: ${n}`);
  for (const e of r.results) {
    lines.push("", `${e.name}${e.name === e.id ? "" : `  ${e.id}`}`);
    if (r.study === "periodicity") lines.push(...periodicity(e as PeriodicityEntry, r.unit));
    else if (r.study === "changepoint") lines.push(...changepoint(e as ChangepointEntry, r.unit));
    else lines.push(...correlation(e as CorrelationEntry, r));
    for (const n of e.notes) lines.push(`  note: ${n}`);
  }
  return lines.join("\n");
}
