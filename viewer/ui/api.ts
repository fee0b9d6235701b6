/**
 * The viewer's JSON API as the UI sees it (specs/viewer.md): the answers' types, the URLs of the
 * queries (pure, tested) and one fetch helper that turns an `{"error": …}` answer into an error.
 *
 * @module
 */

import type { ContainerInfo } from "../../recording/containers.ts";
import type { SeriesResult } from "../../recording/series.ts";
import type { ChangepointEntry, CorrelationMatch } from "../../analyze/run.ts";

import type { TimeRange } from "./range.ts";

/** `/api/health`. */
export interface Health {
  ok: boolean;
  version: string | null;
  root: string;
  live: boolean;
  tables: string[];
  nodes: string[];
  files: number;
  range: { startMs: number; endMs: number } | null;
  problems: { path: string; reason: string }[];
}

/** One metric of `/api/metrics`. */
export interface MetricInfo {
  table: string;
  name: string;
  type: string;
  unit: string;
  kind: string;
  description: string;
  source: string;
}

/** One container of `/api/containers`: the server's own type. */
export type { ContainerInfo } from "../../recording/containers.ts";

/** `/api/containers`. */
export interface ContainersAnswer {
  containers: ContainerInfo[];
  facets: {
    nodes?: string[];
    namespaces?: string[];
    qos?: string[];
    runtimes?: string[];
    pods?: string[];
  };
}

/** One entity of `/api/entities`: the server's own type. */
export type { Entity as EntityInfo } from "../../recording/entities.ts";

/** One entity's reduced series of `/api/timeseries`: the server's own type. */
export type { Series } from "../../recording/series.ts";

/** `/api/timeseries`. */
export type SeriesAnswer = SeriesResult & { unit: string | null; kind: string | null };

/** `/api/top`. */
export interface TopAnswer {
  table: string;
  metric: string;
  by: string;
  top: { id: string; node: string; key: Record<string, unknown>; value: number }[];
}

/** One window of a periodicity result. */
export interface StudyWindow {
  fromMs: number;
  toMs: number;
  periodSeconds: number;
  confidence: number;
  amplitude: number;
}

/** One series' periodicity. */
export interface PeriodicityResult {
  id: string;
  node: string;
  key: Record<string, unknown>;
  period: {
    periodSeconds: number;
    confidence: number;
    amplitude: number;
    correlation: number;
    cycles: number;
  } | null;
  windows: StudyWindow[];
  notes: string[];
}

/** `/api/study/periodicity`. */
export interface PeriodicityAnswer {
  study: string;
  table: string;
  metric: string;
  stepMs: number;
  results: PeriodicityResult[];
}

/** One series' changes (`/api/study/changepoint`): the fields of analyze/run.ts's entry the UI reads. */
export type ChangepointResult = Pick<ChangepointEntry, "id" | "name" | "notes"> & {
  changepoints: Pick<
    ChangepointEntry["changepoints"][number],
    "atMs" | "before" | "after" | "magnitude" | "direction" | "score"
  >[];
};

/** `/api/study/changepoint`. */
export interface ChangepointAnswer {
  study: string;
  table: string;
  metric: string;
  unit: string | null;
  stepMs: number;
  results: ChangepointResult[];
}

/** A series that moves with another (`/api/study/correlation`): analyze/run.ts's own type. */
export type { CorrelationMatch } from "../../analyze/run.ts";

/** `/api/study/correlation`. */
export interface CorrelationAnswer {
  study: string;
  table: string;
  metric: string;
  results: {
    id: string;
    name: string;
    matches: CorrelationMatch[];
    compared: number;
    notes: string[];
  }[];
}

type Param = string | number | readonly string[] | null | undefined;

/**
 * The path and query of an API route; empty and missing parameters are left out, lists are
 * comma-separated.
 *
 * @example
 * ```ts
 * import { apiUrl } from "./api.ts";
 * console.assert(apiUrl("/api/top", { metric: "pids", n: 5, node: [] }) === "/api/top?metric=pids&n=5");
 * ```
 */
export function apiUrl(route: string, params: Record<string, Param> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    const text = typeof v === "object" ? v.join(",") : String(v);
    if (text !== "") q.set(k, text);
  }
  const query = q.toString();
  return query ? `${route}?${query}` : route;
}

/** The query of one panel's chart: its metric for its entities over `range` in `points` points. */
export function timeseriesUrl(
  table: string,
  metric: string,
  ids: readonly string[],
  range: TimeRange,
  points: number,
): string {
  return apiUrl("/api/timeseries", {
    table,
    metric,
    ids,
    from: Math.floor(range.fromMs),
    to: Math.ceil(range.toMs),
    points: Math.max(1, Math.min(20_000, Math.round(points))),
  });
}

/** The periodicity study of one panel over `range`. */
export function periodicityUrl(
  table: string,
  metric: string,
  ids: readonly string[],
  range: TimeRange,
): string {
  return apiUrl("/api/study/periodicity", {
    table,
    metric,
    ids,
    from: Math.floor(range.fromMs),
    to: Math.ceil(range.toMs),
  });
}

/** A study (`periodicity`, `changepoint`, `correlation`) of one panel's entities over `range`. */
export function studyUrl(
  name: string,
  table: string,
  metric: string,
  ids: readonly string[],
  range: TimeRange,
  extra: Record<string, Param> = {},
): string {
  return apiUrl(`/api/study/${name}`, {
    table,
    metric,
    ids,
    from: Math.floor(range.fromMs),
    to: Math.ceil(range.toMs),
    ...extra,
  });
}

/** The Parquet download of a panel's entities over `range`. */
export function exportUrl(table: string, ids: readonly string[], range: TimeRange): string {
  return apiUrl("/api/export", {
    table,
    ids,
    from: Math.floor(range.fromMs),
    to: Math.ceil(range.toMs),
  });
}

/** An API answer that was not 200: its status and the server's message. */
export class ApiRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/**
 * GETs an API URL and parses its JSON.
 *
 * @throws {ApiRequestError} with the server's `error` text when the status is not 2xx.
 */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { accept: "application/json" } });
  const text = await response.text();
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = JSON.parse(text).error ?? message;
    } catch { /* not JSON: the status line says it */ }
    throw new ApiRequestError(response.status, message);
  }
  return JSON.parse(text) as T;
}

/** The range of a recording for zooming and presets: first sample to just after the last. */
export function boundsOf(health: Health | null): TimeRange | null {
  if (health?.range == null) return null;
  return { fromMs: health.range.startMs, toMs: health.range.endMs + 1 };
}
