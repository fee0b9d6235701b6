/**
 * The viewer: the state from the URL (and back into it), the recording's health polled (every
 * 2 s in live mode), the metric list, the container list for the filters and visible range, and
 * the panels on one time axis. Actions that need the server (which entities a new panel shows,
 * top N, a container's processes) are resolved here and handed to the reducer.
 *
 * @module
 */

import { useEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
import {
  apiUrl,
  boundsOf,
  type ContainerInfo,
  type ContainersAnswer,
  type EntityInfo,
  getJson,
  type Health,
  type MetricInfo,
  type TopAnswer,
} from "./api.ts";
import { ContainerList } from "./container_list.tsx";
import { defaultView, metricFor } from "./defaults.ts";
import type { EntityLookup } from "./labels.ts";
import { MetricPicker } from "./metric_picker.tsx";
import { Overview } from "./overview.tsx";
import { Panel } from "./panel.tsx";
import type { TimeRange } from "./range.ts";
import { type Action, newPanel, reduce, selectedContainers, visibleRange } from "./state.ts";
import { createStore, type Cursor, sameCursor } from "./store.ts";
import { Toolbar } from "./toolbar.tsx";
import { decodeState, encodeState } from "./url_state.ts";

/** Where the metric picker's choice goes: a panel, or a new one. */
type PickerTarget = { index: number } | { index: "new" };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The top `n` entities of `table` by `metric` over `range` (all of them when `n` is large). */
async function top(
  table: string,
  metric: string,
  range: TimeRange | null,
  n: number,
): Promise<string[]> {
  const a = await getJson<TopAnswer>(apiUrl("/api/top", {
    table,
    metric,
    n,
    by: "max",
    from: range ? Math.floor(range.fromMs) : null,
    to: range ? Math.ceil(range.toMs) : null,
  }));
  return a.top.map((t) => t.id);
}

/** The viewer (see the module documentation). */
export function App() {
  const [state, rawDispatch] = useReducer(reduce, undefined, () => decodeState(location.search));
  const stateRef = useRef(state);
  stateRef.current = state;
  const dispatch = (a: Action) => rawDispatch(a);
  const [health, setHealth] = useState<Health | null>(null);
  const [healthError, setHealthError] = useState<string | null>(null);
  const [metrics, setMetrics] = useState<MetricInfo[]>([]);
  const [allContainers, setAllContainers] = useState<ContainerInfo[]>([]);
  const [list, setList] = useState<ContainersAnswer | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [processes, setProcesses] = useState<ReadonlyMap<string, EntityInfo>>(new Map());
  const [picker, setPicker] = useState<PickerTarget | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const cursor = useMemo(() => createStore<Cursor>(null, sameCursor), []);
  const initialized = useRef(state.panels.length > 0);
  const lastPush = useRef(0);
  const asked = useRef(new Set<string>());

  const bounds = useMemo(() => boundsOf(health), [health?.range?.startMs, health?.range?.endMs]);
  const visibleValue = bounds ? visibleRange(state, bounds) : state.range;
  const visible = useMemo(() => visibleValue, [visibleValue?.fromMs, visibleValue?.toMs]);

  const say = (text: string) => {
    setNotice(text);
    setTimeout(() => setNotice((n) => (n === text ? null : n)), 5000);
  };

  // The recording's health: its range grows while a collector writes.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = "";
    const tick = async () => {
      try {
        const h = await getJson<Health>("/api/health");
        const text = JSON.stringify(h);
        if (!stopped && text !== last) {
          last = text;
          setHealth(h);
        }
        if (!stopped) setHealthError(null);
      } catch (e) {
        if (!stopped) setHealthError(message(e));
      }
      if (!stopped) {
        timer = setTimeout(
          tick,
          stateRef.current.live || !last.includes('"range":{') ? 2000 : 10_000,
        );
      }
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [state.live]);

  // The metrics of the tables present.
  const tablesKey = health?.tables.join(",") ?? "";
  useEffect(() => {
    if (!health) return;
    getJson<{ metrics: MetricInfo[] }>("/api/metrics").then(
      (a) => setMetrics(a.metrics),
      (e) => setHealthError(message(e)),
    );
  }, [tablesKey]);

  // Every container of the recording, to name them (refreshed as files come).
  useEffect(() => {
    if (!health?.tables.includes("containers")) return;
    getJson<ContainersAnswer>("/api/containers").then(
      (a) => setAllContainers(a.containers),
      () => {},
    );
  }, [health?.files, tablesKey]);

  // The sidebar's list: the filters over the visible range (in live mode at most every 10 s).
  const f = state.filters;
  const listKey = visible
    ? state.live ? `live:${Math.floor(visible.toMs / 10_000)}` : `${visible.fromMs}-${visible.toMs}`
    : "";
  useEffect(() => {
    if (!health || !visible || !health.tables.includes("containers")) return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      getJson<ContainersAnswer>(
        apiUrl("/api/containers", {
          from: Math.floor(visible.fromMs),
          to: Math.ceil(visible.toMs),
          search: f.search,
          node: f.nodes,
          namespace: f.namespaces,
          qos: f.qos,
          runtime: f.runtimes,
          pod: f.pods,
        }),
        ctrl.signal,
      ).then((a) => {
        setList(a);
        setListError(null);
      }, (e) => ctrl.signal.aborted || setListError(message(e)));
    }, 150);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [listKey, JSON.stringify(f), tablesKey]);

  // A fresh view: the default panels for the top 5 containers by CPU (or the host).
  useEffect(() => {
    if (initialized.current || !health || !bounds || metrics.length === 0) return;
    initialized.current = true;
    const view = defaultView(health.tables, metrics);
    if (!view) return;
    resolveIds(view.table, view.metrics[0], []).then((ids) => {
      if (stateRef.current.panels.length > 0) return;
      rawDispatch({
        type: "load",
        state: {
          ...stateRef.current,
          panels: view.metrics.map((metric) => newPanel({ table: view.table, metric, ids })),
        },
      });
    }, (e) => say(`Cannot choose what to show: ${message(e)}`));
  }, [health, bounds, metrics]);

  // The names of processes on the panels (a shared link names them by id only).
  useEffect(() => {
    for (const p of state.panels) {
      if (p.table !== "processes") continue;
      for (const id of p.ids) {
        const [node, containerId] = id.split("/");
        const key = `${node}/${containerId}`;
        if (processes.has(id) || asked.current.has(key)) continue;
        asked.current.add(key);
        getJson<{ entities: EntityInfo[] }>(
          apiUrl("/api/entities", { table: "processes", node, container: containerId || null }),
        ).then(remember, () => {});
      }
    }
  }, [state.panels]);

  // The state into the URL: a new history entry per step, except while dragging or following.
  useEffect(() => {
    if (!initialized.current && state.panels.length === 0) return;
    const text = encodeState(state);
    const search = text ? `?${text}` : "";
    if (search === location.search) return;
    const url = `${location.pathname}${search}`;
    const now = Date.now();
    if (now - lastPush.current < 800 || state.live || location.search === "") {
      history.replaceState(null, "", url);
    } else history.pushState(null, "", url);
    lastPush.current = now;
  }, [state]);

  useEffect(() => {
    const onPop = () => rawDispatch({ type: "load", state: decodeState(location.search) });
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  // Keyboard: "/" searches containers, "m" picks the active panel's metric.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
      if (e.key === "/") {
        e.preventDefault();
        document.getElementById("container-search")?.focus();
      } else if (e.key === "m" && stateRef.current.panels.length > 0) {
        e.preventDefault();
        setPicker({ index: stateRef.current.active });
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  function remember(a: { entities: EntityInfo[] }) {
    setProcesses((old) => {
      const next = new Map(old);
      for (const e of a.entities) next.set(e.id, e);
      return next;
    });
  }

  /** The entities a panel of `table` starts with (`current`: those of the panel it replaces). */
  async function resolveIds(table: string, metric: string, current: string[]): Promise<string[]> {
    const s = stateRef.current;
    if (table === "containers") {
      const selected = selectedContainers(s);
      if (selected.length) return selected;
      const ids = await top(table, metric, null, 5);
      if (ids.length >= 5) return ids;
      // A recording only seconds old has no rates yet: any containers will do.
      const rest = (await getJson<ContainersAnswer>("/api/containers")).containers.map((c) => c.id);
      return [...new Set([...ids, ...rest])].slice(0, 5);
    }
    if (table === "host") return health?.nodes ?? [];
    if (table === "processes") {
      const containers = current.length
        ? [...new Set(current.map((id) => id.split("/").slice(0, 2).join("/")))]
        : selectedContainers(s);
      const a = await getJson<{ entities: EntityInfo[] }>(apiUrl("/api/entities", { table }));
      remember(a);
      const mine = a.entities.filter((e) =>
        containers.includes(`${e.node}/${e.labels.container_id}`)
      );
      if (mine.length) return mine.slice(0, 20).map((e) => e.id);
      return (await top(table, metric, null, 5));
    }
    const a = await getJson<{ entities: EntityInfo[] }>(apiUrl("/api/entities", { table }));
    return a.entities.slice(0, 5).map((e) => e.id);
  }

  async function onPick(m: MetricInfo) {
    const target = picker;
    setPicker(null);
    if (!target) return;
    try {
      if (target.index === "new") {
        const active = state.panels[state.active];
        const ids = active?.table === m.table
          ? active.ids
          : await resolveIds(m.table, m.name, active?.ids ?? []);
        dispatch({
          type: "addPanel",
          table: m.table,
          metric: m.name,
          ids,
          at: state.panels.length,
        });
      } else {
        const p = state.panels[target.index];
        if (!p) return;
        const ids = p.table === m.table ? p.ids : await resolveIds(m.table, m.name, p.ids);
        dispatch({ type: "metric", index: target.index, table: m.table, metric: m.name, ids });
      }
    } catch (e) {
      say(`Cannot show ${m.name}: ${message(e)}`);
    }
  }

  /** Top `n` by the active panel's metric in the visible range (containers: within the filters). */
  async function onTop(n: number, index = state.active) {
    const p = state.panels[index];
    const table = p?.table ?? "containers";
    const metric = p?.metric ?? metricFor("containers", metrics) ?? "cpu_usage_millicores";
    try {
      if (table === "containers") {
        const ranked = await top(table, metric, visible, 1000);
        const shown = new Set((list?.containers ?? []).map((c) => c.id));
        const ids = ranked.filter((id) => shown.has(id)).slice(0, n);
        if (ids.length === 0) say(`No container in the list has ${metric} in this range.`);
        else dispatch({ type: "containers", ids, metric });
      } else {
        const ids = await top(table, metric, visible, n);
        dispatch({ type: "ids", index, ids });
      }
    } catch (e) {
      say(`Cannot rank by ${metric}: ${message(e)}`);
    }
  }

  async function onProcesses(c: ContainerInfo) {
    try {
      const a = await getJson<{ entities: EntityInfo[] }>(
        apiUrl("/api/entities", { table: "processes", node: c.node, container: c.containerId }),
      );
      remember(a);
      if (a.entities.length === 0) {
        say(`${c.name ?? c.containerId}: no process recorded.`);
        return;
      }
      const active = state.panels[state.active];
      const metric = metricFor("processes", metrics, active?.metric) ?? "cpu_usage_millicores";
      dispatch({
        type: "addPanel",
        table: "processes",
        metric,
        ids: a.entities.map((e) => e.id),
        at: state.active + 1,
      });
    } catch (e) {
      say(`Cannot list the processes of ${c.name ?? c.containerId}: ${message(e)}`);
    }
  }

  function onHost() {
    const metric = metricFor("host", metrics, state.panels[state.active]?.metric);
    if (!metric || !health) return;
    dispatch({ type: "addPanel", table: "host", metric, ids: health.nodes, at: state.active + 1 });
  }

  const metricInfo = useMemo(() => new Map(metrics.map((m) => [`${m.table}.${m.name}`, m])), [
    metrics,
  ]);
  const lookup: EntityLookup = useMemo(() => ({
    containers: new Map(allContainers.map((c) => [c.id, c])),
    processes,
  }), [allContainers, processes]);
  const selected = useMemo(() => new Set(selectedContainers(state)), [state.panels]);
  const active = state.panels[state.active] ?? state.panels[0];
  const topMetric = active?.table === "containers" ? active.metric : "cpu_usage_millicores";
  const overviewPanel = active ?? undefined;
  const pickerPanel = picker && picker.index !== "new" ? state.panels[picker.index] : undefined;

  return (
    <div
      class="app"
      data-testid="app"
      data-from={visible?.fromMs ?? ""}
      data-to={visible?.toMs ?? ""}
      data-live={String(state.live)}
    >
      <Toolbar
        health={health}
        state={state}
        visible={visible}
        bounds={bounds}
        dispatch={dispatch}
      />
      {healthError
        ? <div class="banner error">The server does not answer: {healthError}</div>
        : null}
      {notice ? <div class="banner" role="status">{notice}</div> : null}
      <div class="body">
        <ContainerList
          answer={health?.tables.includes("containers") === false
            ? { containers: [], facets: {} }
            : list}
          error={listError}
          filters={state.filters}
          selected={selected}
          topMetric={topMetric}
          hostAvailable={health?.tables.includes("host") ?? false}
          onFilters={(filters) => dispatch({ type: "filters", filters })}
          onToggle={(id) => dispatch({ type: "toggleContainer", id, metric: topMetric })}
          onShow={(ids) => dispatch({ type: "containers", ids, metric: topMetric })}
          onTop={(n) => onTop(n)}
          onProcesses={onProcesses}
          onHost={onHost}
        />
        <main class="main">
          {bounds && visible
            ? (
              <>
                <Overview
                  panel={overviewPanel}
                  unit={overviewPanel
                    ? metricInfo.get(`${overviewPanel.table}.${overviewPanel.metric}`)?.unit ??
                      "count"
                    : "count"}
                  bounds={bounds}
                  range={visible}
                  utc={state.utc}
                  version={Math.floor(bounds.toMs / 10_000)}
                  onRange={(range) => dispatch({ type: "range", range })}
                />
                <div class="hint muted">
                  Drag on a chart to zoom · shift-drag to pan · wheel to zoom around the cursor ·
                  double-click to reset · <kbd>m</kbd> metric · <kbd>/</kbd> search
                </div>
                {state.panels.map((p, i) => (
                  <Panel
                    key={p.uid}
                    index={i}
                    count={state.panels.length}
                    panel={p}
                    active={i === state.active}
                    metric={metricInfo.get(`${p.table}.${p.metric}`)}
                    range={visible}
                    bounds={bounds}
                    utc={state.utc}
                    cursor={cursor}
                    lookup={lookup}
                    dispatch={dispatch}
                    onPickMetric={() => setPicker({ index: i })}
                    onTop={() => onTop(5, i)}
                  />
                ))}
                {state.panels.length === 0 && initialized.current
                  ? <p class="muted empty-view">No panels. Add one to look at a metric.</p>
                  : null}
                <button
                  type="button"
                  class="add-panel"
                  data-testid="add-panel"
                  disabled={metrics.length === 0}
                  onClick={() => setPicker({ index: "new" })}
                >
                  + Add panel
                </button>
              </>
            )
            : (
              <div class="waiting">
                {health === null
                  ? "Connecting…"
                  : "This recording has no samples yet. Waiting for the collector's first files…"}
              </div>
            )}
        </main>
      </div>
      {picker
        ? (
          <MetricPicker
            metrics={metrics}
            title={picker.index === "new" ? "Add a panel" : `Metric of panel ${picker.index + 1}`}
            current={pickerPanel
              ? { table: pickerPanel.table, metric: pickerPanel.metric }
              : undefined}
            onPick={onPick}
            onClose={() => setPicker(null)}
          />
        )
        : null}
    </div>
  );
}
