/**
 * Series of `/api/timeseries` as Chart.js datasets (`parsing: false`: `{x, y}` points in time
 * order) and the values a cursor reads off them. Reduced series (buckets of min/max/mean) become a
 * min–max band with the mean as the line, so that a one-second spike in a day shows; samples
 * (`stepMs` 0) become the line itself. Nulls stay nulls: with `spanGaps: false` a gap is drawn as a
 * gap, and a sample standing alone between gaps gets a dot so that it is not lost. Pure.
 *
 * @module
 */

import type { Series } from "./api.ts";
import { withAlpha } from "./labels.ts";

/** A point of a Chart.js line (`parsing: false`). */
export interface ChartPoint {
  x: number;
  y: number | null;
}

/** What each dataset draws. */
export type DatasetRole = "mean" | "max" | "min";

/** A Chart.js line dataset, with the entity and role it draws. */
export interface LineDataset {
  label: string;
  seriesId: string;
  role: DatasetRole;
  data: ChartPoint[];
  borderColor: string;
  backgroundColor: string;
  borderWidth: number;
  pointRadius: number | number[];
  pointHoverRadius: number;
  pointBackgroundColor: string;
  /** Absolute index of the dataset to fill to, or none. */
  fill: false | number;
  spanGaps: false;
  order: number;
}

/** Options of {@linkcode seriesDatasets}. */
export interface DatasetOptions {
  /** The colour of an entity's series. */
  colorOf: (id: string) => string;
  /** Draw min–max bands (for reduced series). */
  band: boolean;
  /** Entities not to draw. */
  hidden?: ReadonlySet<string>;
  /** Highlighted entity: drawn thicker, the others dimmed. */
  focus?: string | null;
}

/** Points of one of a series' value arrays. */
function points(s: Series, values: (number | null)[]): ChartPoint[] {
  const out = new Array<ChartPoint>(s.t.length);
  for (let i = 0; i < s.t.length; i++) out[i] = { x: s.t[i], y: values[i] ?? null };
  return out;
}

/** A dot for each value with no value beside it (it would draw no line), else no dot. */
export function isolatedRadius(values: readonly (number | null)[], radius = 2): number | number[] {
  let any = false;
  const r = values.map((v, i) => {
    const alone = v !== null && (values[i - 1] ?? null) === null &&
      (values[i + 1] ?? null) === null;
    if (alone) any = true;
    return alone ? radius : 0;
  });
  return any ? r : 0;
}

/**
 * The datasets of a chart: per visible series a mean line, and with `band` a max dataset filled
 * down to a min dataset behind it.
 */
export function seriesDatasets(series: readonly Series[], o: DatasetOptions): LineDataset[] {
  const out: LineDataset[] = [];
  for (const s of series) {
    if (o.hidden?.has(s.id)) continue;
    const color = o.colorOf(s.id);
    const dim = o.focus != null && o.focus !== s.id;
    const line = dim ? withAlpha(color, 0.35) : color;
    const base = {
      seriesId: s.id,
      spanGaps: false as const,
      pointHoverRadius: 0,
      pointBackgroundColor: line,
    };
    const banded = o.band && s.min.some((v, i) => v !== s.max[i]);
    if (banded) {
      const maxIndex = out.length;
      out.push({
        ...base,
        label: `${s.id} max`,
        role: "max",
        data: points(s, s.max),
        borderColor: withAlpha(color, 0),
        backgroundColor: withAlpha(color, dim ? 0.06 : 0.18),
        borderWidth: 0,
        pointRadius: 0,
        fill: maxIndex + 1,
        order: 2,
      });
      out.push({
        ...base,
        label: `${s.id} min`,
        role: "min",
        data: points(s, s.min),
        borderColor: withAlpha(color, 0),
        backgroundColor: withAlpha(color, 0),
        borderWidth: 0,
        pointRadius: 0,
        fill: false,
        order: 2,
      });
    }
    out.push({
      ...base,
      label: s.id,
      role: "mean",
      data: points(s, s.mean),
      borderColor: line,
      backgroundColor: line,
      borderWidth: o.focus === s.id ? 2.5 : 1.5,
      pointRadius: isolatedRadius(s.mean),
      fill: false,
      order: o.focus === s.id ? 0 : 1,
    });
  }
  return out;
}

/** The smallest and largest value of the visible series (their min and max), or nulls. */
export function extentOf(
  series: readonly Series[],
  hidden: ReadonlySet<string> = new Set(),
): { lo: number | null; hi: number | null } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    if (hidden.has(s.id)) continue;
    for (let i = 0; i < s.t.length; i++) {
      const a = s.min[i];
      const b = s.max[i];
      if (a !== null && a < lo) lo = a;
      if (b !== null && b > hi) hi = b;
    }
  }
  return lo <= hi ? { lo, hi } : { lo: null, hi: null };
}

/** A series' value at one point in time. */
export interface ValueAt {
  t: number;
  mean: number;
  min: number;
  max: number;
}

/**
 * The value of `s` at time `t`: the bucket holding `t` (`stepMs` > 0), or the nearest sample no
 * further than `toleranceMs`; `null` over a gap or outside the series.
 */
export function valueAt(s: Series, t: number, stepMs: number, toleranceMs = 1500): ValueAt | null {
  const times = s.t;
  if (times.length === 0) return null;
  // Last index with times[i] <= t.
  let lo = 0;
  let hi = times.length - 1;
  if (t < times[0]) {
    hi = -1;
  } else {
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
  }
  let i: number;
  if (stepMs > 0) {
    if (hi < 0 || t >= times[hi] + stepMs) return null;
    i = hi;
  } else {
    const before = hi;
    const after = hi + 1;
    const dBefore = before >= 0 ? t - times[before] : Infinity;
    const dAfter = after < times.length ? times[after] - t : Infinity;
    i = dBefore <= dAfter ? before : after;
    if (Math.min(dBefore, dAfter) > toleranceMs) return null;
  }
  const mean = s.mean[i];
  if (mean === null) return null;
  return { t: times[i], mean, min: s.min[i] ?? mean, max: s.max[i] ?? mean };
}

/** The last value of a series (its newest non-null mean), for legends without a cursor. */
export function lastValue(s: Series): ValueAt | null {
  for (let i = s.t.length - 1; i >= 0; i--) {
    const mean = s.mean[i];
    if (mean !== null) return { t: s.t[i], mean, min: s.min[i] ?? mean, max: s.max[i] ?? mean };
  }
  return null;
}
