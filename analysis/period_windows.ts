/**
 * Where a period holds: sliding windows over a series, tested at one period, merged into spans.
 *
 * @module
 */

import { periodConfidence } from "./confidence.ts";
import { highPass } from "./detrend.ts";
import { foldCycle, foldedPower } from "./fold.ts";
import { HARMONIC_RATIO } from "./harmonics.ts";
import { filterWidth, MATCHED_FROM } from "./period_profile.ts";
import { directPeak, fractionalLagCorrelation, refineOnMultiples } from "./lag_correlation.ts";

/** A span of the series where a period holds. */
export interface PeriodWindow {
  /** Index of the first sample (included). */
  start: number;
  /** Index after the last sample (excluded). */
  end: number;
  /** The period measured within the span, in seconds. */
  periodSeconds: number;
  /** 0 … 1: the span's own correlation and cycles through `periodConfidence`. */
  confidence: number;
  /** Peak-to-peak of the folded mean cycle within the span, in the series' unit. */
  amplitude: number;
  /** The autocorrelation at the period within the span. */
  correlation: number;
}

/** Options of {@linkcode scanWindows}. */
export interface WindowScanOptions {
  /** Seconds between samples. Default 1. */
  stepSeconds?: number;

  /** Window length in steps. Default: max(6 periods, 600 steps); never below 3 periods. */
  windowSteps?: number;
  /** A window holds when its correlation at the period reaches this. Default 0.2. */
  minCorrelation?: number;
  /** … and its confidence this. Default 0.2. */
  minConfidence?: number;
  /**
   * … and its correlation exceeds z/√pairs, z = √(significance² + 2·ln(windows)): this many
   * white-noise standard errors, raised for the number of windows tested. Default 4.
   */
  significance?: number;
  /**
   * `x` high-passed with width `filterWidth(period)` (`period_profile.ts`), if the caller has it
   * already; computed otherwise.
   */
  filtered?: Float64Array;
}

/**
 * The spans of `x` (trend removed, gaps `NaN`) where the period of `periodSteps` steps holds.
 * The series is high-passed with width `filterWidth(period)` (`period_profile.ts`), cut into
 * windows of `windowSteps` that overlap by half (the last one ends at the series' end), and a
 * window holds when its correlation at the period (fractional: `fractionalLagCorrelation`; for
 * periods under `MATCHED_FROM` steps, which whole lags straddle, the larger of that and the
 * share of the window's energy its folded cycle explains, less bins / samples) passes
 * `minCorrelation`, `significance` (raised for the number of windows) and `minConfidence`.
 * Overlapping windows that hold are merged into a span, and the span is measured again as a
 * whole: its period (peak near the period, refined on multiples within the span; short periods
 * keep `periodSteps`) must stay within 2 % (1 step for short periods) of `periodSteps`, and its
 * correlation must still pass.
 *
 * @example
 * ```ts
 * import { scanWindows } from "./period_windows.ts";
 * import assert from "node:assert/strict";
 * // a 30-s cycle in the second half only
 * const x = new Float64Array(2400).map((_, i) =>
 *   (i >= 1200 ? Math.sin((2 * Math.PI * i) / 30) : 0) + Math.sin(i * i)
 * );
 * const spans = scanWindows(x, 30);
 * assert.equal(spans.length, 1);
 * assert.ok(spans[0].start >= 900 && spans[0].start <= 1200 && spans[0].end === 2400);
 * ```
 */
export function scanWindows(
  x: Float64Array,
  periodSteps: number,
  {
    stepSeconds = 1,
    windowSteps,
    minCorrelation = 0.2,
    minConfidence = 0.2,
    significance = 4,
    filtered,
  }: WindowScanOptions = {},
): PeriodWindow[] {
  const n = x.length;
  const p = periodSteps;
  const lag = Math.max(1, Math.round(p));
  const short = p < MATCHED_FROM;
  const y = filtered ?? highPass(x, filterWidth(p));
  let w = Math.ceil(Math.max(windowSteps ?? Math.max(6 * p, 600), 3 * p));
  if (w > n) w = n;
  if (w <= lag) return [];
  const stride = Math.max(1, Math.floor(w / 2));
  const starts: number[] = [];
  for (let a = 0; a + w <= n; a += stride) starts.push(a);
  if (starts.length === 0 || starts[starts.length - 1] + w < n) starts.push(n - w);
  const validIn = (start: number, end: number) => {
    let valid = 0;
    for (let i = start; i < end; i++) if (Number.isFinite(y[i])) valid++;
    return valid;
  };
  // many windows are tested: the bound grows with their number (a Bonferroni-like correction,
  // √(z² + 2·ln m) for m windows, the level a maximum of m standard normals rarely exceeds)
  const z = Math.sqrt(significance * significance + 2 * Math.log(starts.length));
  /** The correlation at `period` within [start, end), its pairs and confidence, if it passes. */
  const measure = (period: number, start: number, end: number) => {
    const valid = validIn(start, end);
    const m = fractionalLagCorrelation(y, period, start, end);
    let r = m.r;
    if (short) {
      const bins = Math.max(2, Math.round(period));
      const explained = foldedPower(y, period, bins, start, end) - bins / Math.max(1, valid);
      if (explained > r) r = explained;
    }
    const confidence = periodConfidence(r, valid / period);
    const ok = r > z / Math.sqrt(Math.max(1, m.pairs)) && r >= minCorrelation &&
      confidence >= minConfidence;
    return ok ? { r, confidence } : null;
  };
  const spans: [number, number][] = [];
  for (const a of starts) {
    if (measure(p, a, a + w) === null) continue;
    const last = spans[spans.length - 1];
    if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], a + w);
    else spans.push([a, a + w]);
  }
  const out: PeriodWindow[] = [];
  for (const [start, end] of spans) {
    let period = p;
    if (!short) {
      const first = directPeak(y, p, 1, start, end);
      if (first === null) continue;
      period = refineOnMultiples(y, first.lag, HARMONIC_RATIO * first.r, { start, end });
      if (Math.abs(period - p) > Math.max(1, 0.02 * p)) continue;
    }
    const m = measure(period, start, end);
    if (m === null) continue;
    out.push({
      start,
      end,
      periodSeconds: period * stepSeconds,
      confidence: m.confidence,
      amplitude: foldCycle(y, period, { start, end }).peakToPeak,
      correlation: m.r,
    });
  }
  return out;
}
