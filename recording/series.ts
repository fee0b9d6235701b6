/**
 * "Metric × entities × range, reduced to N points": the one question the viewer, `fgm analyze` and
 * `fgm mcp` ask of a recording. Only the files and row groups whose time range overlaps the query
 * are read (names, then row-group statistics), and of those only the `time`, key and metric
 * columns. Each entity's samples are reduced on the way to min, max and mean per time bucket, the
 * bucket a "nice" step (1 s, 2 s, 5 s, 10 s … 1 d) chosen so that about `points` buckets cover the
 * range: spikes survive as bucket maxima, and a zoomed-in query (step of one sample) returns the
 * samples themselves, with a null where samples are missing so that charts draw gaps as gaps.
 *
 * @module
 */

import type { Catalog } from "./catalog.ts";
import { liveColumn, type LiveSource } from "./live.ts";
import type { ChunkCache } from "./chunks.ts";
import type { DecodedColumn, NumberColumn } from "./decode.ts";
import { type EntityRegistry, summarize, type Summary, type SummaryCache } from "./summaries.ts";
import { yieldNow } from "./yield_now.ts";
import { ROUND_SPANS } from "./time_steps.ts";
import { TABLES } from "../collector/tables.ts";

/** What to read. */
export interface SeriesQuery {
  table: string;
  metric: string;
  fromMs: number;
  toMs: number;
  /** About how many buckets (default 1000); the step is the nicest at least range / points. */
  points?: number;
  /** The entities wanted ({@linkcode entityId}s), in the order to return them; all when absent. */
  ids?: readonly string[];
  /** Only these nodes. */
  nodes?: readonly string[];
  /** Return a series per entity even when it has no sample in the range (default false). */
  keepEmpty?: boolean;
}

/** One entity's reduced series. */
export interface Series {
  id: string;
  node: string;
  /** The values of the table's key columns, e.g. `{ container_id: "…" }`. */
  key: Record<string, string | number | null>;
  /** Bucket starts (or sample times when the step is 0), epoch ms. */
  t: number[];
  /** Per bucket: smallest, largest and mean sample; `null` where the bucket is empty (a gap). */
  min: (number | null)[];
  max: (number | null)[];
  mean: (number | null)[];
}

/** The answer. */
export interface SeriesResult {
  table: string;
  metric: string;
  fromMs: number;
  toMs: number;
  /** Bucket width in ms; 0 when these are the samples themselves. */
  stepMs: number;
  series: Series[];
  /** What it took: row groups and rows decoded. */
  rowGroups: number;
  rows: number;
}

const SECOND = 1000;
/** Bucket widths a query chooses from: the round spans from a second up. */
export const STEPS: readonly number[] = ROUND_SPANS.filter((s) => s >= SECOND);

/**
 * The bucket width for `points` buckets over `[fromMs, toMs)`: the smallest of {@linkcode STEPS}
 * at least that wide; 0 (the samples themselves) when that is one second or less.
 *
 * @example
 * ```ts
 * import { chooseStep } from "./series.ts";
 * console.assert(chooseStep(0, 86_400_000, 1000) === 120_000); // a day in 2-minute buckets
 * console.assert(chooseStep(0, 300_000, 1000) === 0); // 5 minutes: every sample
 * ```
 */
export function chooseStep(fromMs: number, toMs: number, points: number): number {
  const want = (toMs - fromMs) / Math.max(1, points);
  if (want <= SECOND) return 0;
  return STEPS.find((s) => s >= want) ?? STEPS[STEPS.length - 1];
}

/** The key columns of a table: its declared entity key, none for a table fgm does not know. */
export function keyColumns(table: string): readonly string[] {
  return TABLES.find((t) => t.name === table)?.key ?? [];
}

/**
 * The id of an entity: its node and key values joined by `/`, e.g. `node-a/3f2a…` (a container),
 * `node-a/3f2a…/1234` (a process), `node-a` (the host).
 */
export function entityId(node: string, key: readonly (string | number | null)[]): string {
  return [node, ...key.map((v) => (v === null ? "" : String(v)))].join("/");
}

/** Per-entity accumulation of one query. */
class Accumulator {
  readonly ids: string[] = [];
  readonly nodes: string[] = [];
  readonly keys: (string | number | null)[][] = [];
  readonly slots = new Map<string, number>();
  // Bucket mode: per slot × bucket.
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  count: Float64Array;
  // Sample mode: per slot.
  readonly times: number[][] = [];
  readonly values: number[][] = [];

  constructor(
    readonly fixed: boolean,
    readonly buckets: number,
    readonly raw: boolean,
    wanted: readonly string[] | undefined,
  ) {
    const size = raw ? 0 : buckets * Math.max(1, wanted?.length ?? 64);
    this.min = new Float64Array(size).fill(Infinity);
    this.max = new Float64Array(size).fill(-Infinity);
    this.sum = new Float64Array(size);
    this.count = new Float64Array(size);
    for (const id of wanted ?? []) this.slot(id, id.split("/")[0], null);
  }

  /** The slot of `id`, made when new (unless the query named its entities: then -1). */
  slot(id: string, node: string, key: (string | number | null)[] | null): number {
    const known = this.slots.get(id);
    if (known !== undefined) {
      if (key !== null && this.keys[known] === null) this.keys[known] = key;
      return known;
    }
    if (this.fixed && key !== null) return -1;
    const s = this.ids.length;
    this.ids.push(id);
    this.nodes.push(node);
    this.keys.push(key as (string | number | null)[]);
    this.slots.set(id, s);
    this.times.push([]);
    this.values.push([]);
    if (!this.raw && (s + 1) * this.buckets > this.min.length) this.grow();
    return s;
  }

  private grow(): void {
    const size = this.min.length * 2;
    const widen = (a: Float64Array, fill: number) => {
      const b = new Float64Array(size).fill(fill);
      b.set(a);
      return b;
    };
    this.min = widen(this.min, Infinity);
    this.max = widen(this.max, -Infinity);
    this.sum = widen(this.sum, 0);
    this.count = widen(this.count, 0);
  }
}

/** Row-group time bounds overlap `[from, to)`; unknown bounds always may. */
function overlaps(min: number | null, max: number | null, from: number, to: number): boolean {
  return (max === null || max >= from) && (min === null || min < to);
}

/**
 * Reads a series query from the recording (see the module documentation).
 *
 * @throws {RangeError} for an unknown table or metric, or a range that is empty or not finite.
 */
export async function querySeries(
  catalog: Catalog,
  chunks: ChunkCache,
  q: SeriesQuery,
  live?: LiveSource,
  summaries?: { cache: SummaryCache; registry: EntityRegistry },
): Promise<SeriesResult> {
  if (!(Number.isFinite(q.fromMs) && Number.isFinite(q.toMs) && q.toMs > q.fromMs)) {
    throw new RangeError(`Cannot query ${q.fromMs}..${q.toMs}: not a time range`);
  }
  const files = catalog.files(q.table);
  const liveRows = live?.rows(q.table) ?? [];
  if (files.length === 0 && liveRows.length === 0) {
    throw new RangeError(`Cannot query table "${q.table}": not recorded`);
  }
  const declared = TABLES.find((t) => t.name === q.table);
  if (declared && !declared.columns.some((c) => c.name === q.metric && c.kind !== "label")) {
    throw new RangeError(`Cannot query "${q.metric}" of "${q.table}": no such metric`);
  }
  const stepMs = chooseStep(q.fromMs, q.toMs, q.points ?? 1000);
  const raw = stepMs === 0;
  const first = raw ? 0 : Math.floor(q.fromMs / stepMs);
  const buckets = raw ? 0 : Math.ceil(q.toMs / stepMs) - first;
  const acc = new Accumulator(q.ids !== undefined, buckets, raw, q.ids);
  const keys = keyColumns(q.table);
  const nodes = q.nodes ? new Set(q.nodes) : null;
  let rowGroups = 0;
  let rows = 0;
  let sawMetric = false;
  const wantedNodes = q.ids ? new Set(q.ids.map((id) => id.split("/")[0])) : null;
  for (const file of files) {
    if (file.startMs >= q.toMs || file.endMs < q.fromMs) continue;
    if (nodes && !nodes.has(file.node)) continue;
    if (wantedNodes && !wantedNodes.has(file.node)) continue;
    await yieldNow();
    const footer = await catalog.footer(file);
    if (footer === null) continue;
    if (!footer.schema.columns.some((c) => c.name === q.metric)) continue;
    sawMetric = true;
    for (let g = 0; g < footer.rowGroups.length; g++) {
      const rg = footer.rowGroups[g];
      if (rg.rows === 0 || !overlaps(rg.timeMinMs, rg.timeMaxMs, q.fromMs, q.toMs)) continue;
      // A row group wholly inside one bucket (the footer's time statistics say so: a minute's
      // row group in a day's 2-minute buckets) needs no time column: a third less to decode.
      const lo = rg.timeMinMs;
      const hi = rg.timeMaxMs;
      const oneBucket = !raw && lo !== null && hi !== null && lo >= q.fromMs && hi < q.toMs &&
        Math.floor(lo / stepMs) === Math.floor(hi / stepMs);
      if (oneBucket && summaries) {
        // Its summary: kept from an earlier query, or made now from the rows (then dropped).
        const key = `${file.path}\0${file.mtimeMs}\0${g}\0${q.metric}`;
        let summary = summaries.cache.get(key);
        if (summary === undefined) {
          const columns = await chunks.read(file, footer, g, [...keys, q.metric], { keep: false });
          const metric = columns.get(q.metric);
          if (metric?.kind !== "number") continue;
          const keyed = keys.map((k) => columns.get(k));
          summary = summarize(rg.rows, metric, keyed, file.node, summaries.registry);
          summaries.cache.put(key, summary);
        }
        rowGroups++;
        rows += rg.rows;
        merge(acc, summaries.registry, summary, Math.floor(lo! / stepMs) - first);
        await yieldNow();
        continue;
      }
      const columns = await chunks.read(
        file,
        footer,
        g,
        oneBucket ? [...keys, q.metric] : ["time", ...keys, q.metric],
      );
      const time = oneBucket ? Math.floor(lo! / stepMs) - first : columns.get("time");
      const metric = columns.get(q.metric);
      if (time === undefined || (typeof time !== "number" && time.kind !== "number")) continue;
      if (metric?.kind !== "number") continue;
      rowGroups++;
      rows += rg.rows;
      accumulate(
        acc,
        file.node,
        rg.rows,
        time,
        metric,
        keys.map((k) => columns.get(k)),
        q,
        first,
        stepMs,
      );
    }
  }
  // Rows a collector in this process holds that no listed file has yet (collect --view).
  for (const set of live?.rows(q.table) ?? []) {
    if (set.path !== null && catalog.has(set.path)) continue;
    if ((nodes && !nodes.has(set.node)) || (wantedNodes && !wantedNodes.has(set.node))) continue;
    const time = liveColumn(set.columns, "time", set.rows);
    const metric = liveColumn(set.columns, q.metric, set.rows);
    if (time?.kind !== "number" || metric?.kind !== "number") continue;
    rows += set.rows;
    const keyed = keys.map((k) => liveColumn(set.columns, k, set.rows));
    accumulate(acc, set.node, set.rows, time, metric, keyed, q, first, stepMs);
  }
  if (!sawMetric && declared === undefined && rowGroups === 0 && files.length > 0) {
    // A table fgm does not declare: the metric is known from the files' schemas only.
    const any = await catalog.footer(files[0]);
    if (any && !any.schema.columns.some((c) => c.name === q.metric)) {
      throw new RangeError(`Cannot query "${q.metric}" of "${q.table}": no such metric`);
    }
  }
  return {
    table: q.table,
    metric: q.metric,
    fromMs: q.fromMs,
    toMs: q.toMs,
    stepMs,
    series: finish(acc, keys, first, stepMs, q.keepEmpty ?? false),
    rowGroups,
    rows,
  };
}

/** Adds one row group's summary to bucket `bucket` of the accumulation. */
function merge(acc: Accumulator, registry: EntityRegistry, summary: Summary, bucket: number): void {
  const { min, max, sum, count, buckets } = acc;
  for (let e = 0; e < summary.entities.length; e++) {
    const r = summary.entities[e];
    const s = acc.slot(registry.ids[r], registry.nodes[r], registry.keys[r]);
    if (s < 0 || summary.count[e] === 0) continue;
    const at = s * buckets + bucket;
    if (summary.min[e] < min[at]) min[at] = summary.min[e];
    if (summary.max[e] > max[at]) max[at] = summary.max[e];
    sum[at] += summary.sum[e];
    count[at] += summary.count[e];
  }
}

/** Adds one row group's rows to the accumulation. */
function accumulate(
  acc: Accumulator,
  node: string,
  n: number,
  /** The rows' times, or the one bucket (index from `first`) that holds all of them. */
  time: NumberColumn | number,
  metric: NumberColumn,
  keyColumns: (DecodedColumn | undefined)[],
  q: SeriesQuery,
  first: number,
  stepMs: number,
): void {
  const v = metric.values;
  const nulls = metric.nulls;
  // The slot of each row: by dictionary index for one string key (a container), by a cache of
  // (key values) otherwise.
  let rowSlot: (i: number) => number;
  if (keyColumns.length === 0) {
    const s = acc.slot(node, node, []);
    rowSlot = () => s;
  } else if (keyColumns.length === 1 && keyColumns[0]?.kind === "string") {
    const col = keyColumns[0];
    const bySlot = new Int32Array(col.dictionary.length);
    col.dictionary.forEach((value, k) => {
      bySlot[k] = acc.slot(entityId(node, [value]), node, [value]);
    });
    const nullSlot = acc.slot(entityId(node, [null]), node, [null]);
    rowSlot = (i) => (col.indices[i] < 0 ? nullSlot : bySlot[col.indices[i]]);
  } else {
    const cache = new Map<string, number>();
    const valueOf = (c: DecodedColumn | undefined, i: number): string | number | null => {
      if (c === undefined) return null;
      if (c.kind === "string") return c.indices[i] < 0 ? null : c.dictionary[c.indices[i]];
      return c.nulls?.[i] ? null : c.values[i];
    };
    rowSlot = (i) => {
      const key = keyColumns.map((c) => valueOf(c, i));
      const id = entityId(node, key);
      let s = cache.get(id);
      if (s === undefined) cache.set(id, s = acc.slot(id, node, key));
      return s;
    };
  }
  const buckets = acc.buckets;
  const { min, max, sum, count } = acc;
  if (typeof time === "number") {
    for (let i = 0; i < n; i++) {
      if (nulls?.[i]) continue;
      const s = rowSlot(i);
      if (s < 0) continue;
      const at = s * buckets + time;
      const x = v[i];
      if (x < min[at]) min[at] = x;
      if (x > max[at]) max[at] = x;
      sum[at] += x;
      count[at]++;
    }
    return;
  }
  const t = time.values;
  const timeNulls = time.nulls;
  const from = q.fromMs;
  const to = q.toMs;
  if (stepMs === 0) {
    for (let i = 0; i < n; i++) {
      const ti = t[i];
      if (ti < from || ti >= to || timeNulls?.[i]) continue;
      const s = rowSlot(i);
      if (s < 0) continue;
      acc.times[s].push(ti);
      acc.values[s].push(nulls?.[i] ? NaN : v[i]);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const ti = t[i];
    if (ti < from || ti >= to || timeNulls?.[i] || nulls?.[i]) continue;
    const s = rowSlot(i);
    if (s < 0) continue;
    const at = s * buckets + (Math.floor(ti / stepMs) - first);
    const x = v[i];
    if (x < min[at]) min[at] = x;
    if (x > max[at]) max[at] = x;
    sum[at] += x;
    count[at]++;
  }
}

/** The series of an accumulation. */
function finish(
  acc: Accumulator,
  keys: readonly string[],
  first: number,
  stepMs: number,
  keepEmpty: boolean,
): Series[] {
  const out: Series[] = [];
  for (let s = 0; s < acc.ids.length; s++) {
    const key = Object.fromEntries(
      keys.map((k, i) => [k, acc.keys[s]?.[i] ?? null]),
    ) as Series["key"];
    const series: Series = {
      id: acc.ids[s],
      node: acc.nodes[s],
      key,
      t: [],
      min: [],
      max: [],
      mean: [],
    };
    if (stepMs === 0) {
      samples(series, acc.times[s], acc.values[s]);
    } else {
      let any = false;
      for (let b = 0; b < acc.buckets; b++) {
        const at = s * acc.buckets + b;
        const c = acc.count[at];
        series.t.push((first + b) * stepMs);
        if (c === 0) {
          series.min.push(null);
          series.max.push(null);
          series.mean.push(null);
        } else {
          any = true;
          series.min.push(acc.min[at]);
          series.max.push(acc.max[at]);
          series.mean.push(acc.sum[at] / c);
        }
      }
      if (!any) {
        series.t = [];
        series.min = [];
        series.max = [];
        series.mean = [];
      }
    }
    if (series.t.length > 0 || keepEmpty) out.push(series);
  }
  return out;
}

/**
 * An entity's samples in time order, with a null point inserted where samples are missing (a gap
 * longer than 1.5 times the usual interval), so that a chart draws it as a gap.
 */
export function samples(series: Series, times: number[], values: number[]): void {
  const order = times.map((_, i) => i);
  let sorted = true;
  for (let i = 1; i < times.length; i++) if (times[i] < times[i - 1]) sorted = false;
  if (!sorted) order.sort((a, b) => times[a] - times[b]);
  const deltas: number[] = [];
  for (let i = 1; i < order.length && deltas.length < 64; i++) {
    deltas.push(times[order[i]] - times[order[i - 1]]);
  }
  deltas.sort((a, b) => a - b);
  const usual = deltas.length ? deltas[Math.floor(deltas.length / 2)] : 1000;
  const gap = Math.max(1.5 * usual, usual + 500);
  let last = -Infinity;
  for (const i of order) {
    const t = times[i];
    if (t === last) continue; // the same sample in two files (a merge not settled yet)
    if (t - last > gap && Number.isFinite(last)) {
      series.t.push(last + usual);
      series.min.push(null);
      series.max.push(null);
      series.mean.push(null);
    }
    const v = Number.isNaN(values[i]) ? null : values[i];
    series.t.push(t);
    series.min.push(v);
    series.max.push(v);
    series.mean.push(v);
    last = t;
  }
}
