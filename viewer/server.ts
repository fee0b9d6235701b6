/**
 * The viewer's HTTP side: a JSON API over a {@linkcode Recording} (the UI and scripts use the same
 * one) and the bundled UI. `createHandler()` is a plain `(Request) => Response` function, tested
 * without a socket; `serveViewer()` binds it. Read-only: no route writes anything. Only GET and
 * HEAD, only the fixed routes below (no file is served by path), no CORS headers, and a request
 * whose `Host` is not this server's own name is refused, so that a web page elsewhere cannot read
 * the recording through the user's browser (DNS rebinding).
 *
 * Routes (specs/viewer.md): `/`, `/app.js`, `/api/health`, `/api/metrics`, `/api/containers`,
 * `/api/entities`, `/api/timeseries`, `/api/top`, `/api/study/<periodicity|changepoint|correlation>`,
 * `/api/export`.
 *
 * @module
 */

import type { Recording } from "../recording/recording.ts";
import { type ContainerInfo, containerInfo, filterContainers } from "../recording/containers.ts";
import { exportSlice } from "../recording/export.ts";
import { studyFromRequest } from "./studies.ts";
import { StudyError } from "../analyze/run.ts";

/** Options of {@linkcode createHandler}. */
export interface HandlerOptions {
  /** Host names (with port) requests may carry; `localhost`, 127.0.0.1 and ::1 always may. */
  hosts?: readonly string[];
  /** Answer any host name (bound to a non-loopback address on purpose, e.g. in a pod). */
  anyHost?: boolean;
  /** The bundled UI: the page and its script. */
  assets?: { html: string; js: string };
  version?: string;
  /** Whether the recording is still being written (`collect --view`, or a live directory). */
  live?: boolean;
}

/** A request the API refuses, with its status. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/** A time parameter: epoch milliseconds, or an ISO 8601 date. */
export function parseTime(name: string, value: string | null): number | null {
  if (value === null || value === "") return null;
  const n = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) {
    throw new ApiError(400, `${name} must be epoch milliseconds or an ISO date, not "${value}"`);
  }
  return n;
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const text = url.searchParams.get(name);
  if (text === null || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ApiError(400, `${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return n;
}

/** The comma-separated values of a parameter (and of its repeats), empty ones dropped. */
function listParam(url: URL, name: string): string[] | undefined {
  const all = url.searchParams.getAll(name).flatMap((v) => v.split(",")).filter((v) => v !== "");
  return all.length ? all : undefined;
}

/** The container filters of a request (REQ-VIEW-004): node, namespace, qos, runtime, pod, search. */
const CONTAINER_FILTERS = ["node", "namespace", "qos", "runtime", "pod", "search"] as const;

/** The containers of `all` that a request's filters keep. */
function filterByRequest(all: ContainerInfo[], url: URL): ContainerInfo[] {
  return filterContainers(all, {
    node: listParam(url, "node"),
    namespace: listParam(url, "namespace"),
    qos: listParam(url, "qos"),
    runtime: listParam(url, "runtime"),
    pod: listParam(url, "pod"),
    search: url.searchParams.get("search") ?? "",
  });
}

/**
 * The entity ids a ranking request is limited to: `ids`; for containers, those the container
 * filters keep; for processes, those of `container` (a container id). `undefined`: all of them.
 */
async function rankedIds(
  rec: Recording,
  url: URL,
  table: string,
  fromMs: number,
  toMs: number,
): Promise<string[] | undefined> {
  let ids = listParam(url, "ids");
  const narrow = (keep: string[]) => {
    ids = ids === undefined ? keep : ids.filter((id) => keep.includes(id));
  };
  if (table === "containers" && CONTAINER_FILTERS.some((f) => url.searchParams.has(f))) {
    const all = (await rec.entities({ table, fromMs, toMs })).map(containerInfo);
    narrow(filterByRequest(all, url).map((c) => c.id));
  }
  const container = url.searchParams.get("container");
  if (container !== null && container !== "") {
    const all = await rec.entities({ table, fromMs, toMs, nodes: listParam(url, "node") });
    narrow(all.filter((e) => e.labels.container_id === container).map((e) => e.id));
  }
  return ids;
}

/** The time range of a request: `from`/`to`, else the whole recording. */
async function rangeOf(rec: Recording, url: URL): Promise<{ fromMs: number; toMs: number }> {
  const whole = await rec.range();
  const fromMs = parseTime("from", url.searchParams.get("from")) ?? whole?.startMs ?? 0;
  const toMs = parseTime("to", url.searchParams.get("to")) ?? (whole ? whole.endMs + 1 : 1);
  if (!(toMs > fromMs)) throw new ApiError(400, `to must be after from`);
  return { fromMs, toMs };
}

function requireParam(url: URL, name: string): string {
  const v = url.searchParams.get(name);
  if (v === null || v === "") throw new ApiError(400, `missing parameter "${name}"`);
  return v;
}

/** `table` parameter (default `containers`), checked against the recording. */
function tableParam(rec: Recording, url: URL): string {
  const table = url.searchParams.get("table") || "containers";
  if (!rec.tables().includes(table)) {
    throw new ApiError(
      404,
      `no table "${table}" in this recording (${rec.tables().join(", ")})`,
    );
  }
  return table;
}

/** The API's answer to one request. */
async function api(rec: Recording, url: URL, o: HandlerOptions): Promise<Response> {
  switch (url.pathname) {
    case "/api/health": {
      const range = await rec.range();
      return json({
        ok: true,
        version: o.version ?? null,
        root: rec.catalog.root,
        live: o.live ?? false,
        tables: rec.tables(),
        nodes: rec.nodes(),
        files: rec.tables().reduce((n, t) => n + rec.catalog.files(t).length, 0),
        range,
        problems: [...rec.catalog.problems].map(([path, reason]) => ({ path, reason })),
      });
    }
    case "/api/metrics":
      return json({ metrics: await rec.metrics() });
    case "/api/containers": {
      const { fromMs, toMs } = await rangeOf(rec, url);
      if (!rec.tables().includes("containers")) return json({ containers: [], facets: {} });
      const all = (await rec.entities({ table: "containers", fromMs, toMs })).map(containerInfo);
      const facet = (f: (c: ContainerInfo) => string | null) =>
        [...new Set(all.map(f).filter((v): v is string => v !== null))].sort();
      const containers = filterByRequest(all, url);
      return json({
        containers,
        facets: {
          nodes: facet((c) => c.node),
          namespaces: facet((c) => c.namespace),
          qos: facet((c) => c.qos),
          runtimes: facet((c) => c.runtime),
          pods: facet((c) => c.pod),
        },
      });
    }
    case "/api/entities": {
      const table = tableParam(rec, url);
      const { fromMs, toMs } = await rangeOf(rec, url);
      const container = url.searchParams.get("container");
      const entities = (await rec.entities({ table, fromMs, toMs, nodes: listParam(url, "node") }))
        .filter((e) => container === null || e.labels.container_id === container);
      return json({ table, entities });
    }
    case "/api/timeseries": {
      const table = tableParam(rec, url);
      const metric = requireParam(url, "metric");
      const { fromMs, toMs } = await rangeOf(rec, url);
      const result = await rec.series({
        table,
        metric,
        fromMs,
        toMs,
        points: intParam(url, "points", 1000, 1, 20_000),
        ids: listParam(url, "ids"),
        nodes: listParam(url, "node"),
        keepEmpty: url.searchParams.get("keepEmpty") === "true",
      });
      const info = (await rec.metrics()).find((m) => m.table === table && m.name === metric);
      return json({ ...result, unit: info?.unit ?? null, kind: info?.kind ?? null });
    }
    case "/api/top": {
      const table = tableParam(rec, url);
      const metric = requireParam(url, "metric");
      const { fromMs, toMs } = await rangeOf(rec, url);
      const n = intParam(url, "n", 10, 1, 1000);
      const by = url.searchParams.get("by") ?? "max";
      if (by !== "max" && by !== "mean") throw new ApiError(400, `by must be max or mean`);
      const result = await rec.series({
        table,
        metric,
        fromMs,
        toMs,
        points: 1,
        ids: await rankedIds(rec, url, table, fromMs, toMs),
        nodes: listParam(url, "node"),
      });
      const ranked = result.series.map((s) => {
        const values = (by === "max" ? s.max : s.mean).filter((v): v is number => v !== null);
        const value = values.length === 0
          ? null
          : by === "max"
          ? Math.max(...values)
          : values.reduce((a, b) => a + b, 0) / values.length;
        return { id: s.id, node: s.node, key: s.key, value };
      }).filter((r) => r.value !== null).sort((a, b) => b.value! - a.value!).slice(0, n);
      return json({ table, metric, by, fromMs, toMs, top: ranked });
    }
    case "/api/study/periodicity":
    case "/api/study/changepoint":
    case "/api/study/correlation": {
      // analyze/run.ts's runStudy(), as fgm analyze and fgm mcp run it (REQ-VIEW-020..022)
      const table = tableParam(rec, url);
      const metric = requireParam(url, "metric");
      const { fromMs, toMs } = await rangeOf(rec, url);
      const name = url.pathname.slice("/api/study/".length);
      try {
        const ids = listParam(url, "ids");
        return json(await studyFromRequest(rec, name, url, { table, metric, fromMs, toMs, ids }));
      } catch (error) {
        if (error instanceof StudyError) throw new ApiError(error.status, error.message);
        throw error;
      }
    }
    case "/api/export": {
      const table = tableParam(rec, url);
      const { fromMs, toMs } = await rangeOf(rec, url);
      const { bytes, rows } = await exportSlice(rec, {
        table,
        fromMs,
        toMs,
        ids: listParam(url, "ids"),
      });
      const name = `fgm-${table}-${
        new Date(fromMs).toISOString().replace(/[-:]|\.\d+/g, "")
      }.parquet`;
      return new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: {
          "content-type": "application/vnd.apache.parquet",
          "content-disposition": `attachment; filename="${name}"`,
          "x-fgm-rows": String(rows),
          "cache-control": "no-store",
        },
      });
    }
    default:
      throw new ApiError(404, `no such API: ${url.pathname}`);
  }
}

/** Whether a Host header names this server: a loopback name, or one of `hosts`. */
export function hostAllowed(host: string | null, port: number, hosts: readonly string[]): boolean {
  if (host === null) return false;
  const h = host.toLowerCase();
  const loopback = ["localhost", "127.0.0.1", "[::1]"].flatMap((n) => [n, `${n}:${port}`]);
  return loopback.includes(h) || hosts.map((x) => x.toLowerCase()).includes(h);
}

/**
 * The viewer's request handler over `rec`.
 *
 * @example
 * ```ts ignore
 * const handler = createHandler(rec, { hosts: [] }, 8050);
 * const res = await handler(new Request("http://127.0.0.1:8050/api/health"));
 * ```
 */
export function createHandler(
  rec: Recording,
  o: HandlerOptions,
  port: number,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return json({ error: `${request.method} is not allowed: the viewer only reads` }, 405);
    }
    if (!o.anyHost && !hostAllowed(request.headers.get("host") ?? url.host, port, o.hosts ?? [])) {
      return json({ error: "this server answers only under its own name" }, 403);
    }
    // No path names a file: anything that tries to is refused outright.
    const rawPath =
      request.url.slice(request.url.indexOf(url.host) + url.host.length).split("?")[0];
    if (/(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\/i.test(rawPath)) {
      return json({ error: "path not allowed" }, 400);
    }
    try {
      if (url.pathname.startsWith("/api/")) return await api(rec, url, o);
      if (o.assets && (url.pathname === "/" || url.pathname === "/index.html")) {
        return new Response(o.assets.html, {
          headers: {
            "content-type": "text/html; charset=utf-8",
            "cache-control": "no-store",
            "content-security-policy":
              "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
            "x-content-type-options": "nosniff",
          },
        });
      }
      if (o.assets && url.pathname === "/app.js") {
        return new Response(o.assets.js, {
          headers: {
            "content-type": "text/javascript; charset=utf-8",
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
          },
        });
      }
      return json({ error: `not found: ${url.pathname}` }, 404);
    } catch (error) {
      if (error instanceof ApiError) return json({ error: error.message }, error.status);
      if (error instanceof RangeError) return json({ error: error.message }, 400);
      return json({ error: error instanceof Error ? error.message : String(error) }, 500);
    }
  };
}
