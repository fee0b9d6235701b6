/**
 * A study of a recording, recording in and JSON out: the one function `fgm analyze`, the viewer's
 * `/api/study/<name>` and `fgm mcp` call, so that all three give the same answer. It reads the
 * metric's series on a regular grid (`analyze/grid.ts`), turns cumulative counters into increments
 * (resets read as restarts), hands each series to the pure study in `analysis/`, and gives times
 * back in epoch milliseconds. The JSON is specified in specs/analysis.md ("fgm analyze").
 *
 * @module
 */

import type { Recording } from "../recording/recording.ts";
import type { Entity } from "../recording/entities.ts";
import { detectPeriodicity } from "../analysis/periodicity.ts";
import { detectChangepoints } from "../analysis/changepoint.ts";
import { type CorrelationHit, rankCorrelations } from "../analysis/correlation.ts";
import { counterIncrements } from "../analysis/counter.ts";
import { type GridSeries, gridSeries, STUDY_MAX_POINTS } from "./grid.ts";

/** The studies. */
export const STUDIES = ["periodicity", "changepoint", "correlation"] as const;
/** A study's name. */
export type StudyName = typeof STUDIES[number];

/** What to study. Only `study` and `metric` are required. */
export interface StudyParams {
  study: StudyName;
  /** A metric (column) of `table`. */
  metric: string;
  /** `containers` (default), `processes`, `host`, or another table of the recording. */
  table?: string;
  /**
   * A container: its entity id, its full id, a prefix of it (at least 4 characters) or its name.
   * For `processes`, the processes of that container. All entities when absent.
   */
  container?: string;
  /** Entity ids (as the viewer's API gives them); with `container`, both must hold. */
  ids?: readonly string[];
  /** Only these nodes. */
  nodes?: readonly string[];
  /** Range, epoch ms (default: the whole recording). */
  fromMs?: number;
  toMs?: number;
  /** Most grid points per series (default 86 400 for periodicity and changepoints, 7 200 for correlation). */
  points?: number;
  /** Periodicity: periods looked for, seconds (default 2 … 3600). */
  minPeriodSeconds?: number;
  maxPeriodSeconds?: number;
  /** Changepoints: `mean` (default) or `meanvar`; shortest segment in grid steps (default 5). */
  cost?: "mean" | "meanvar";
  minSegment?: number;
  /** Changepoints: penalty per change as a multiple of ln n (default 2 for mean, 3 for meanvar). */
  penaltyFactor?: number;
  /** Correlation: series returned per target (default 10). */
  top?: number;
  /** Correlation: lags tried each way, seconds (default 30). */
  maxLagSeconds?: number;
  /** Correlation: tables whose metrics are candidates (default: containers, processes, host present). */
  candidateTables?: readonly string[];
  /** Correlation: family-wise error rate (default 0.01). */
  alpha?: number;
}

/** Most grid points of the `meanvar` changepoint cost (its PELT is O(n²) without changes). */
export const MEANVAR_MAX_POINTS = 5_000;

/** A request the study refuses: `status` 400 (bad parameters) or 404 (nothing by that name). */
export class StudyError extends Error {
  override name = "StudyError";
  constructor(readonly status: 400 | 404, message: string) {
    super(message);
  }
}

/** Who a result is about. */
export interface StudySubject {
  table: string;
  /** Entity id (node/key…), usable as `ids` in the viewer's API. */
  id: string;
  node: string;
  key: Record<string, string | number | null>;
  /** A readable name: the container's name, `comm[pid]` of a process, the node of a host. */
  name: string;
  /** Samples (non-gaps) on the grid. */
  samples: number;
}

/** A period, as found over the whole range. */
export interface PeriodJson {
  periodSeconds: number;
  confidence: number;
  amplitude: number;
  correlation: number;
  cycles: number;
}

/** The periodicity of one series. */
export interface PeriodicityEntry extends StudySubject {
  period: PeriodJson | null;
  others: PeriodJson[];
  windows: {
    fromMs: number;
    toMs: number;
    periodSeconds: number;
    confidence: number;
    amplitude: number;
    correlation: number;
  }[];
  notes: string[];
}

/** The changepoints of one series. */
export interface ChangepointEntry extends StudySubject {
  changepoints: {
    atMs: number;
    before: number;
    after: number;
    magnitude: number;
    direction: "up" | "down";
    score: number;
    beforeSd: number;
    afterSd: number;
  }[];
  segments: { fromMs: number; toMs: number; mean: number; sd: number; samples: number }[];
  /** The noise σ the penalty is scaled by, in the metric's unit (per step for counters). */
  noise: number;
  penalty: number;
  notes: string[];
}

/** A series that moves with the target. */
export interface CorrelationMatch {
  table: string;
  metric: string;
  id: string;
  node: string;
  name: string;
  r: number;
  /** Seconds the target follows the match by (negative: the target moves first). */
  lagSeconds: number;
  pairs: number;
  effectivePairs: number;
  pValue: number;
  significant: boolean;
}

/** The series that correlate with one series. */
export interface CorrelationEntry extends StudySubject {
  matches: CorrelationMatch[];
  /** Candidate series compared. */
  compared: number;
  notes: string[];
}

/** What {@linkcode runStudy} returns (specs/analysis.md). */
export interface StudyResult<E = PeriodicityEntry | ChangepointEntry | CorrelationEntry> {
  study: StudyName;
  table: string;
  metric: string;
  unit: string | null;
  kind: string | null;
  /** Whether the metric is a cumulative counter studied as increments per step. */
  increments: boolean;
  fromMs: number;
  toMs: number;
  /** The grid's step. */
  stepMs: number;
  /** The parameters the study ran with, defaults filled in. */
  parameters: Record<string, unknown>;
  results: E[];
  notes: string[];
}

function nameOf(table: string, e: Entity | undefined, id: string, node: string): string {
  const l = e?.labels ?? {};
  if (table === "containers" && l.container_name) return String(l.container_name);
  if (table === "processes" && l.comm) return `${l.comm}[${l.pid}]`;
  if (table === "host") return node;
  return id;
}

function samplesOf(v: Float64Array): number {
  let n = 0;
  for (const x of v) if (x === x) n++;
  return n;
}

/** The entity ids of `container` in `table`, or a StudyError naming what was not found. */
async function containerIds(
  rec: Recording,
  table: string,
  container: string,
  fromMs: number,
  toMs: number,
  nodes: readonly string[] | undefined,
): Promise<string[]> {
  if (table !== "containers" && table !== "processes") {
    throw new StudyError(400, `--container does not apply to the ${table} table`);
  }
  const all = await rec.entities({ table: "containers", fromMs, toMs, nodes });
  const c = container;
  let found = all.filter((e) => e.id === c || e.labels.container_id === c);
  if (found.length === 0) found = all.filter((e) => e.labels.container_name === c);
  if (found.length === 0 && c.length >= 4) {
    found = all.filter((e) => String(e.labels.container_id ?? "").startsWith(c));
  }
  if (found.length === 0) {
    throw new StudyError(404, `no container "${c}" in the range (${all.length} containers there)`);
  }
  if (table === "containers") return found.map((e) => e.id);
  const cids = new Set(found.map((e) => e.labels.container_id));
  const procs = await rec.entities({ table, fromMs, toMs, nodes });
  return procs.filter((e) => cids.has(e.labels.container_id)).map((e) => e.id);
}

/** The series of one table × metric on the grid, counters as increments. */
async function readGrid(
  rec: Recording,
  table: string,
  metric: string,
  fromMs: number,
  toMs: number,
  points: number,
  ids: readonly string[] | undefined,
  nodes: readonly string[] | undefined,
  total: boolean,
): Promise<GridSeries[]> {
  const series = await gridSeries(rec, { table, metric, fromMs, toMs, ids, nodes, points });
  if (total) { for (const s of series) s.values = counterIncrements(s.values); }
  return series;
}

/**
 * Runs one study over a recording and returns its JSON (specs/analysis.md, "fgm analyze"):
 * one entry per series of `metric` in `table` — every entity, or those of `container` / `ids`.
 *
 * @throws {StudyError} for an unknown table, metric or container, or bad parameters.
 *
 * @example
 * ```ts ignore
 * const rec = await openRecording("fgm-data");
 * const r = await runStudy(rec, { study: "periodicity", metric: "cpu_usage_millicores" });
 * for (const e of r.results) console.log(e.name, e.period?.periodSeconds);
 * ```
 */
export async function runStudy(rec: Recording, params: StudyParams): Promise<StudyResult> {
  const study = params.study;
  if (!STUDIES.includes(study)) {
    throw new StudyError(400, `no study "${study}" (${STUDIES.join(", ")})`);
  }
  const table = params.table ?? "containers";
  const tables = rec.catalog.tables();
  if (!tables.includes(table)) {
    throw new StudyError(404, `no table "${table}" in this recording (${tables.join(", ")})`);
  }
  const metrics = await rec.metrics();
  const info = metrics.find((m) => m.table === table && m.name === params.metric);
  if (!info) {
    const names = metrics.filter((m) => m.table === table).map((m) => m.name);
    throw new StudyError(
      404,
      `no metric "${params.metric}" in table ${table} (${names.slice(0, 8).join(", ")}${
        names.length > 8 ? ", …" : ""
      })`,
    );
  }
  const whole = await rec.range();
  const fromMs = params.fromMs ?? whole?.startMs ?? 0;
  const toMs = params.toMs ?? (whole ? whole.endMs + 1 : fromMs + 1);
  if (!(toMs > fromMs)) throw new StudyError(400, `the range must end after it starts`);
  let ids = params.ids;
  if (params.container !== undefined && params.container !== "") {
    const inContainer = await containerIds(
      rec,
      table,
      params.container,
      fromMs,
      toMs,
      params.nodes,
    );
    ids = ids === undefined ? inContainer : ids.filter((id) => inContainer.includes(id));
  }
  const points = Math.floor(
    params.points ?? (study === "correlation" ? 7_200 : STUDY_MAX_POINTS),
  );
  if (!(points >= 10 && points <= 1_000_000)) {
    throw new StudyError(400, `points must be 10 … 1000000, not ${params.points}`);
  }
  // the mean+variance cost runs PELT with inequality pruning only, O(n²) on a series without
  // changes: it gets a coarser grid
  let gridPoints = points;
  if (study === "changepoint" && params.cost === "meanvar" && points > MEANVAR_MAX_POINTS) {
    gridPoints = MEANVAR_MAX_POINTS;
  }
  const total = info.kind === "total";
  const targets = ids !== undefined && ids.length === 0 ? [] : await readGrid(
    rec,
    table,
    params.metric,
    fromMs,
    toMs,
    gridPoints,
    ids,
    params.nodes,
    total,
  );
  const entities = new Map(
    (await rec.entities({ table, fromMs, toMs, nodes: params.nodes })).map((e) => [e.id, e]),
  );
  const subject = (s: GridSeries): StudySubject => ({
    table,
    id: s.id,
    node: s.node,
    key: s.key,
    name: nameOf(table, entities.get(s.id), s.id, s.node),
    samples: samplesOf(s.values),
  });
  const stepMs = targets[0]?.stepMs ?? 1000;
  const notes: string[] = [];
  if (gridPoints < points && stepMs > 1000) {
    notes.push(
      `the meanvar cost reads at most ${MEANVAR_MAX_POINTS} points: ${stepMs / 1000}-s means`,
    );
  }
  if (targets.length === 0) notes.push("no series of this metric in the range");
  const base = {
    study,
    table,
    metric: params.metric,
    unit: info.unit ?? null,
    kind: info.kind ?? null,
    increments: total,
    fromMs,
    toMs,
    stepMs,
    notes,
  };
  if (study === "periodicity") {
    const o = {
      stepSeconds: stepMs / 1000,
      minPeriodSeconds: params.minPeriodSeconds ?? 2,
      maxPeriodSeconds: params.maxPeriodSeconds ?? 3600,
    };
    const results = targets.map((s): PeriodicityEntry => {
      const r = detectPeriodicity(s.values, o);
      const at = (i: number) => s.fromMs + i * s.stepMs;
      const period = (d: NonNullable<typeof r.period>): PeriodJson => ({
        periodSeconds: d.periodSeconds,
        confidence: d.confidence,
        amplitude: d.amplitude,
        correlation: d.correlation,
        cycles: d.cycles,
      });
      return {
        ...subject(s),
        period: r.period && period(r.period),
        others: r.others.map(period),
        windows: r.windows.map((w) => ({
          fromMs: at(w.start),
          toMs: at(w.end),
          periodSeconds: w.periodSeconds,
          confidence: w.confidence,
          amplitude: w.amplitude,
          correlation: w.correlation,
        })),
        notes: r.notes,
      };
    });
    return { ...base, parameters: { ...o, points }, results };
  }
  if (study === "changepoint") {
    const o = {
      cost: params.cost ?? "mean",
      minSegment: params.minSegment ?? 5,
      penaltyFactor: params.penaltyFactor ?? (params.cost === "meanvar" ? 3 : 2),
    };
    if (o.cost !== "mean" && o.cost !== "meanvar") {
      throw new StudyError(400, `cost must be mean or meanvar, not "${o.cost}"`);
    }
    const results = targets.map((s): ChangepointEntry => {
      const r = detectChangepoints(s.values, o);
      const at = (i: number) => s.fromMs + i * s.stepMs;
      return {
        ...subject(s),
        changepoints: r.changepoints.map((c) => ({
          atMs: at(c.index),
          before: c.before,
          after: c.after,
          magnitude: c.magnitude,
          direction: c.direction,
          score: c.score,
          beforeSd: c.beforeSd,
          afterSd: c.afterSd,
        })),
        segments: r.segments.map((g) => ({
          fromMs: at(g.start),
          toMs: at(g.end),
          mean: g.mean,
          sd: g.sd,
          samples: g.samples,
        })),
        noise: r.noise,
        penalty: r.penalty,
        notes: r.notes,
      };
    });
    return { ...base, parameters: { ...o, points }, results };
  }
  // correlation: every metric of every entity of the candidate tables, on the same grid
  const top = Math.max(1, Math.floor(params.top ?? 10));
  const maxLagSeconds = params.maxLagSeconds ?? 30;
  const alpha = params.alpha ?? 0.01;
  const maxLag = Math.max(1, Math.round((maxLagSeconds * 1000) / stepMs));
  const candidateTables = (params.candidateTables ?? ["containers", "processes", "host"])
    .filter((t) => tables.includes(t));
  const found: { hit: CorrelationHit; target: number; m: Omit<CorrelationMatch, "r"> }[] = [];
  const compared = targets.map(() => 0);
  if (targets.length > 0) {
    for (const t of candidateTables) {
      const tEntities = t === table
        ? entities
        : new Map((await rec.entities({ table: t, fromMs, toMs, nodes: params.nodes })).map((
          e,
        ) => [e.id, e]));
      for (const m of metrics.filter((m) => m.table === t)) {
        const cands = await readGrid(
          rec,
          t,
          m.name,
          fromMs,
          toMs,
          points,
          undefined,
          params.nodes,
          m.kind === "total",
        );
        targets.forEach((target, ti) => {
          const usable = cands.filter((c) =>
            !(t === table && m.name === params.metric && c.id === target.id) &&
            c.values.length === target.values.length
          );
          const r = rankCorrelations(target.values, usable.map((c) => c.values), {
            maxLag,
            top: usable.length,
            alpha,
          });
          compared[ti] += r.compared;
          for (const hit of r.hits) {
            const c = usable[hit.index];
            found.push({
              hit,
              target: ti,
              m: {
                table: t,
                metric: m.name,
                id: c.id,
                node: c.node,
                name: nameOf(t, tEntities.get(c.id), c.id, c.node),
                lagSeconds: (hit.lag * stepMs) / 1000,
                pairs: hit.pairs,
                effectivePairs: hit.effectivePairs,
                pValue: hit.pValue,
                significant: false,
              },
            });
          }
        });
      }
    }
  }
  const results = targets.map((s, ti): CorrelationEntry => {
    const mine = found.filter((f) => f.target === ti);
    for (const f of mine) f.m.significant = f.hit.pValue * Math.max(1, compared[ti]) < alpha;
    mine.sort((a, b) =>
      Number(b.m.significant) - Number(a.m.significant) || Math.abs(b.hit.r) - Math.abs(a.hit.r)
    );
    const matches = mine.slice(0, top).map((f) => ({ ...f.m, r: f.hit.r }));
    const entryNotes: string[] = [];
    if (samplesOf(s.values) < 3) entryNotes.push("the series has no samples to compare");
    else if (compared[ti] === 0) entryNotes.push("no other series to compare with");
    else if (!matches.some((x) => x.significant)) {
      entryNotes.push("no series correlates significantly");
    }
    return { ...subject(s), matches, compared: compared[ti], notes: entryNotes };
  });
  return {
    ...base,
    parameters: { points, maxLagSeconds, maxLagSteps: maxLag, top, alpha, candidateTables },
    results,
  };
}
