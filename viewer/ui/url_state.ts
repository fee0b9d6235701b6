/**
 * The view in the URL's query string, so that a link shows the same view: panels
 * (`p=<table>:<metric>:<entity indices>[:study][:changes][:correlates]`, repeated), the entities they name (`e=<id>`,
 * repeated, each once), the range (`from`, `to` as ISO dates), live mode (`live=1`, `span` in ms or
 * `all`), the container filters (`q`, `node`, `ns`, `qos`, `rt`, `pod`, comma-separated), the
 * active panel (`a`) and local time (`tz=local`). `/`, `:` and `,` stay readable. Pure.
 *
 * @example
 * ```ts
 * import { decodeState, encodeState } from "./url_state.ts";
 * import { emptyState, newPanel } from "./state.ts";
 * const s = { ...emptyState(), panels: [newPanel({ table: "host", metric: "load1", ids: ["n1"] })] };
 * console.assert(encodeState(s) === "p=host:load1:0&e=n1");
 * console.assert(decodeState("?p=host:load1:0&e=n1").panels[0].metric === "load1");
 * ```
 *
 * @module
 */

import { emptyState, newPanel, type PanelState, type ViewState } from "./state.ts";

/** A query value, percent-encoded except for `/`, `:` and `,`. */
function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%2F/gi, "/").replace(/%3A/gi, ":").replace(/%2C/gi, ",");
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A time parameter: epoch milliseconds or an ISO date; `null` when neither. */
function parseTime(v: string | null): number | null {
  if (v === null || v === "") return null;
  const n = /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : null;
}

const list = (v: string | null) => (v ?? "").split(",").map((x) => x.trim()).filter((x) => x);

/** The query string (without `?`) of a state. */
export function encodeState(s: ViewState): string {
  const parts: string[] = [];
  const add = (k: string, v: string) => parts.push(`${k}=${encodeValue(v)}`);
  const entities: string[] = [];
  const indexOf = new Map<string, number>();
  for (const p of s.panels) {
    const refs = p.ids.map((id) => {
      let i = indexOf.get(id);
      if (i === undefined) {
        i = entities.length;
        entities.push(id);
        indexOf.set(id, i);
      }
      return i;
    });
    const flags = [
      ...(p.study ? ["study"] : []),
      ...(p.changes ? ["changes"] : []),
      ...(p.correlates ? ["correlates"] : []),
    ];
    add("p", [p.table, p.metric, refs.join(","), ...flags].join(":"));
  }
  for (const id of entities) add("e", id);
  if (s.live) {
    add("live", "1");
    if (s.liveSpanMs !== null) add("span", String(s.liveSpanMs));
  } else if (s.range !== null) {
    add("from", iso(s.range.fromMs));
    add("to", iso(s.range.toMs));
  }
  const f = s.filters;
  if (f.search) add("q", f.search);
  if (f.nodes.length) add("node", f.nodes.join(","));
  if (f.namespaces.length) add("ns", f.namespaces.join(","));
  if (f.qos.length) add("qos", f.qos.join(","));
  if (f.runtimes.length) add("rt", f.runtimes.join(","));
  if (f.pods.length) add("pod", f.pods.join(","));
  if (s.active > 0) add("a", String(s.active));
  if (!s.utc) add("tz", "local");
  return parts.join("&");
}

/**
 * The state a query string describes (with or without `?`); what it leaves out or gets wrong
 * takes its default, so any link opens.
 */
export function decodeState(search: string): ViewState {
  const q = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  const s = emptyState();
  const entities = q.getAll("e");
  const panels: PanelState[] = [];
  for (const text of q.getAll("p")) {
    const [table, metric, refs = "", ...flags] = text.split(":");
    if (!table || !metric) continue;
    const ids = list(refs)
      .map((r) => (/^\d+$/.test(r) ? entities[Number(r)] : undefined))
      .filter((id): id is string => id !== undefined);
    const panel = newPanel({
      table,
      metric,
      ids: [...new Set(ids)],
      study: flags.includes("study"),
    });
    if (flags.includes("changes")) panel.changes = true;
    if (flags.includes("correlates")) panel.correlates = true;
    panels.push(panel);
  }
  s.panels = panels;
  if (q.get("live") === "1") {
    s.live = true;
    const span = q.get("span");
    s.liveSpanMs = span !== null && /^\d+$/.test(span) && Number(span) > 0 ? Number(span) : null;
  } else {
    const fromMs = parseTime(q.get("from"));
    const toMs = parseTime(q.get("to"));
    if (fromMs !== null && toMs !== null && toMs > fromMs) s.range = { fromMs, toMs };
  }
  s.filters = {
    search: q.get("q") ?? "",
    nodes: list(q.get("node")),
    namespaces: list(q.get("ns")),
    qos: list(q.get("qos")),
    runtimes: list(q.get("rt")),
    pods: list(q.get("pod")),
  };
  const active = Number(q.get("a") ?? 0);
  s.active = Number.isInteger(active) && active > 0 && active < panels.length ? active : 0;
  s.utc = q.get("tz") !== "local";
  return s;
}
