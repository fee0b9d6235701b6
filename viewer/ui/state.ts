/**
 * The viewer's whole state — the panels (metric, table, entities, study), the visible range, live
 * mode, the container filters — and the one reducer that changes it. Everything here is what the
 * URL carries (`url_state.ts`), so a shared link shows the same view. Pure.
 *
 * @module
 */

import { presetRange, type TimeRange } from "./range.ts";

/** One chart: a metric of a table for some entities. */
export interface PanelState {
  /** Identity for rendering (not in the URL). */
  uid: number;
  table: string;
  metric: string;
  /** Entity ids (`<node>/<container_id>`, `<node>/<container_id>/<pid>`, `<node>`). */
  ids: string[];
  /** Whether the periodicity study is shown on it. */
  study: boolean;
  /** Whether the changepoint study is shown on it (absent: no). */
  changes?: boolean;
  /** Whether "what correlates with this" is open on it (absent: no). */
  correlates?: boolean;
}

/** The studies a panel can show, by their flag in {@linkcode PanelState}. */
export type PanelStudy = "study" | "changes" | "correlates";

/** The container list's filters (the facets of `/api/containers`). */
export interface Filters {
  search: string;
  nodes: string[];
  namespaces: string[];
  qos: string[];
  runtimes: string[];
  pods: string[];
}

/** The facet fields of {@linkcode Filters}. */
export type FacetName = "nodes" | "namespaces" | "qos" | "runtimes" | "pods";

/** The whole view. */
export interface ViewState {
  panels: PanelState[];
  /** The visible range; `null`: the whole recording. Ignored while `live`. */
  range: TimeRange | null;
  /** Follow the newest data: the range ends at the recording's end. */
  live: boolean;
  /** In live mode, how much is shown (`null`: everything). */
  liveSpanMs: number | null;
  filters: Filters;
  /** The panel the metric picker and the "top N" shortcut act on. */
  active: number;
  /** Times in UTC (else the browser's time zone). */
  utc: boolean;
}

/** No filter. */
export const NO_FILTERS: Filters = {
  search: "",
  nodes: [],
  namespaces: [],
  qos: [],
  runtimes: [],
  pods: [],
};

/** The state of a fresh view (no panels yet: the app fills in defaults). */
export function emptyState(): ViewState {
  return {
    panels: [],
    range: null,
    live: false,
    liveSpanMs: null,
    filters: { ...NO_FILTERS },
    active: 0,
    utc: true,
  };
}

let uids = 0;

/** A panel with a fresh `uid`. */
export function newPanel(p: Omit<PanelState, "uid" | "study"> & { study?: boolean }): PanelState {
  return { uid: ++uids, study: false, ...p };
}

/** A change to the state. */
export type Action =
  | { type: "load"; state: ViewState }
  | { type: "range"; range: TimeRange | null }
  | { type: "preset"; spanMs: number | null; bounds: TimeRange }
  | { type: "live"; on: boolean; visible: TimeRange }
  | { type: "addPanel"; table: string; metric: string; ids: string[]; at?: number }
  | { type: "removePanel"; index: number }
  | { type: "movePanel"; index: number; by: -1 | 1 }
  | { type: "metric"; index: number; table: string; metric: string; ids: string[] }
  | { type: "ids"; index: number; ids: string[] }
  | { type: "removeEntity"; index: number; id: string }
  | { type: "toggleContainer"; id: string; metric: string }
  | { type: "containers"; ids: string[]; metric: string }
  | { type: "study"; index: number; on: boolean; which?: PanelStudy }
  | { type: "filters"; filters: Partial<Filters> }
  | { type: "active"; index: number }
  | { type: "utc"; utc: boolean };

/** The containers shown: every id of the `containers` panels, in order of first appearance. */
export function selectedContainers(s: ViewState): string[] {
  const out = new Set<string>();
  for (const p of s.panels) if (p.table === "containers") { for (const id of p.ids) out.add(id); }
  return [...out];
}

/** The range to show, given the recording's `bounds` (first sample to just after the last). */
export function visibleRange(s: ViewState, bounds: TimeRange): TimeRange {
  if (s.live) return presetRange(s.liveSpanMs, bounds);
  return s.range ?? bounds;
}

const clampIndex = (i: number, n: number) => Math.max(0, Math.min(n - 1, i));

function withPanel(s: ViewState, index: number, f: (p: PanelState) => PanelState): ViewState {
  if (index < 0 || index >= s.panels.length) return s;
  return { ...s, panels: s.panels.map((p, i) => (i === index ? f(p) : p)) };
}

/**
 * The state after `a`.
 *
 * - Zooming (`range`) leaves live mode; a preset keeps it (it changes how much live mode shows).
 * - Containers are selected for every `containers` panel at once (`toggleContainer`,
 *   `containers`), so that stacked panels show the same containers; a selection with no such panel
 *   adds one for `metric`.
 */
export function reduce(s: ViewState, a: Action): ViewState {
  switch (a.type) {
    case "load":
      return a.state;
    case "range":
      return { ...s, range: a.range, live: false };
    case "preset":
      if (s.live) return { ...s, liveSpanMs: a.spanMs };
      return {
        ...s,
        range: a.spanMs === null ? null : presetRange(a.spanMs, a.bounds),
      };
    case "live":
      if (a.on === s.live) return s;
      return a.on
        ? {
          ...s,
          live: true,
          liveSpanMs: s.range === null ? null : a.visible.toMs - a.visible.fromMs,
        }
        : { ...s, live: false, range: { ...a.visible } };
    case "addPanel": {
      const at = a.at === undefined
        ? s.panels.length
        : Math.max(0, Math.min(s.panels.length, a.at));
      const panels = [...s.panels];
      panels.splice(at, 0, newPanel({ table: a.table, metric: a.metric, ids: a.ids }));
      return { ...s, panels, active: at };
    }
    case "removePanel": {
      if (a.index < 0 || a.index >= s.panels.length) return s;
      const panels = s.panels.filter((_, i) => i !== a.index);
      const active = s.active > a.index ? s.active - 1 : s.active;
      return { ...s, panels, active: panels.length ? clampIndex(active, panels.length) : 0 };
    }
    case "movePanel": {
      const to = a.index + a.by;
      if (a.index < 0 || a.index >= s.panels.length || to < 0 || to >= s.panels.length) return s;
      const panels = [...s.panels];
      [panels[a.index], panels[to]] = [panels[to], panels[a.index]];
      const active = s.active === a.index ? to : s.active === to ? a.index : s.active;
      return { ...s, panels, active };
    }
    case "metric":
      return withPanel(
        { ...s, active: a.index },
        a.index,
        (p) => ({ ...p, table: a.table, metric: a.metric, ids: [...a.ids] }),
      );
    case "ids":
      return withPanel(s, a.index, (p) => ({ ...p, ids: [...a.ids] }));
    case "removeEntity":
      return withPanel(s, a.index, (p) => ({ ...p, ids: p.ids.filter((id) => id !== a.id) }));
    case "toggleContainer": {
      const shown = selectedContainers(s).includes(a.id);
      if (!s.panels.some((p) => p.table === "containers")) {
        return reduce(s, { type: "addPanel", table: "containers", metric: a.metric, ids: [a.id] });
      }
      return {
        ...s,
        panels: s.panels.map((p) =>
          p.table !== "containers"
            ? p
            : { ...p, ids: shown ? p.ids.filter((id) => id !== a.id) : [...p.ids, a.id] }
        ),
      };
    }
    case "containers":
      if (!s.panels.some((p) => p.table === "containers")) {
        return reduce(s, { type: "addPanel", table: "containers", metric: a.metric, ids: a.ids });
      }
      return {
        ...s,
        panels: s.panels.map((p) => (p.table === "containers" ? { ...p, ids: [...a.ids] } : p)),
      };
    case "study":
      return withPanel(s, a.index, (p) => ({ ...p, [a.which ?? "study"]: a.on }));
    case "filters":
      return { ...s, filters: { ...s.filters, ...a.filters } };
    case "active":
      return a.index >= 0 && a.index < s.panels.length ? { ...s, active: a.index } : s;
    case "utc":
      return { ...s, utc: a.utc };
  }
}
