/**
 * One panel: a metric of a table for some entities over the shared range. It asks the server for
 * about one point per pixel of its plot (`/api/timeseries`, re-asked as the range changes, the old
 * data kept on screen meanwhile), draws the min–max band and mean line, its legend and tooltip,
 * and — when switched on — the studies of what it shows: periodicity (shaded windows), changes
 * (dashed lines) and what correlates with one of its series ("Add" charts a match). Its header
 * picks the metric, runs the studies, exports the slice as Parquet, moves and removes the panel.
 *
 * @module
 */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  exportUrl,
  getJson,
  type MetricInfo,
  type PeriodicityAnswer,
  periodicityUrl,
  type SeriesAnswer,
  timeseriesUrl,
} from "./api.ts";
import { valueRange } from "./axes.ts";
import { extentOf, seriesDatasets, valueAt } from "./datasets.ts";
import {
  formatInstant,
  formatSpan,
  formatSpread,
  formatValue,
  kindPhrase,
  unitLabel,
} from "./format.ts";
import { colorAt, entityLabel, type EntityLookup } from "./labels.ts";
import { Legend } from "./legend.tsx";
import type { TimeRange } from "./range.ts";
import type { Action, PanelState } from "./state.ts";
import type { Cursor, Store } from "./store.ts";
import { changeLines, changeRows, studyBands, studyRows, zoomAround } from "./study.ts";
import { StudyResults } from "./study_results.tsx";
import { useStudy } from "./use_study.ts";
import { ChangeResults } from "./change_results.tsx";
import { CorrelationResults } from "./correlation_results.tsx";
import type { ChangepointAnswer, CorrelationAnswer, CorrelationMatch } from "./api.ts";
import { TimeChart } from "./time_chart.tsx";

/** Props of {@linkcode Panel}. */
export interface PanelProps {
  index: number;
  count: number;
  panel: PanelState;
  active: boolean;
  metric: MetricInfo | undefined;
  range: TimeRange;
  bounds: TimeRange;
  utc: boolean;
  cursor: Store<Cursor>;
  lookup: EntityLookup;
  dispatch(a: Action): void;
  onPickMetric(): void;
  /** Fills an empty panel with the top entities by its metric. */
  onTop(): void;
}

const CHART_HEIGHT = 190;

type Load = "idle" | "loading" | "ready" | "error";

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A panel (see the module documentation). */
export function Panel(props: PanelProps) {
  const { panel, range, index } = props;
  const [width, setWidth] = useState(0);
  const [answer, setAnswer] = useState<SeriesAnswer | null>(null);
  const [load, setLoad] = useState<Load>("idle");
  const [error, setError] = useState<string | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [focus, setFocus] = useState<string | null>(null);
  const [study, setStudy] = useState<PeriodicityAnswer | null>(null);
  const [studyLoad, setStudyLoad] = useState<Load>("idle");
  const [studyError, setStudyError] = useState<string | null>(null);
  const changesOn = panel.changes === true;
  const correlateOn = panel.correlates === true;
  const setChangesOn = (on: boolean) =>
    props.dispatch({ type: "study", index, on, which: "changes" });
  const setCorrelateOn = (on: boolean) =>
    props.dispatch({ type: "study", index, on, which: "correlates" });
  const [target, setTarget] = useState<string | null>(null);
  const first = useRef(true);
  const idsKey = panel.ids.join(",");
  const correlateId = target !== null && panel.ids.includes(target) ? target : panel.ids[0];
  const changes = useStudy<ChangepointAnswer>(
    "changepoint",
    changesOn,
    panel.table,
    panel.metric,
    panel.ids,
    range,
  );
  const correlation = useStudy<CorrelationAnswer>(
    "correlation",
    correlateOn && correlateId !== undefined,
    panel.table,
    panel.metric,
    correlateId === undefined ? [] : [correlateId],
    range,
  );
  const unit = props.metric?.unit ?? answer?.unit ?? "count";
  const kind = props.metric?.kind ?? answer?.kind ?? null;

  // The series: about one point per pixel, asked again when anything they depend on changes.
  useEffect(() => {
    if (panel.ids.length === 0 || width === 0) {
      setAnswer(null);
      setLoad("idle");
      return;
    }
    const ctrl = new AbortController();
    const delay = first.current ? 0 : 120;
    first.current = false;
    const timer = setTimeout(async () => {
      setLoad("loading");
      try {
        const a = await getJson<SeriesAnswer>(
          timeseriesUrl(panel.table, panel.metric, panel.ids, range, width),
          ctrl.signal,
        );
        setAnswer(a);
        setError(null);
        setLoad("ready");
      } catch (e) {
        if (ctrl.signal.aborted) return;
        setError(message(e));
        setLoad("error");
      }
    }, delay);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [panel.table, panel.metric, idsKey, range.fromMs, range.toMs, width]);

  // The periodicity study of what the panel shows, when switched on.
  useEffect(() => {
    if (!panel.study || panel.ids.length === 0) {
      setStudy(null);
      setStudyLoad("idle");
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(async () => {
      setStudyLoad("loading");
      try {
        const a = await getJson<PeriodicityAnswer>(
          periodicityUrl(panel.table, panel.metric, panel.ids, range),
          ctrl.signal,
        );
        setStudy(a);
        setStudyError(null);
        setStudyLoad("ready");
      } catch (e) {
        if (ctrl.signal.aborted) return;
        setStudyError(message(e));
        setStudyLoad("error");
      }
    }, 300);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [panel.study, panel.table, panel.metric, idsKey, range.fromMs, range.toMs]);

  const colorOf = (id: string) => colorAt(Math.max(0, panel.ids.indexOf(id)));
  const labelOf = (id: string) => entityLabel(panel.table, id, props.lookup);
  const series = useMemo(
    () => (answer ?? { series: [] }).series.filter((s) => panel.ids.includes(s.id)),
    [answer, idsKey],
  );
  const stepMs = answer?.stepMs ?? 0;
  const datasets = useMemo(
    () => seriesDatasets(series, { colorOf, band: stepMs > 0, hidden, focus }),
    [series, stepMs, hidden, focus],
  );
  const extent = extentOf(series, hidden);
  const yRange = useMemo(() => valueRange(extent.lo, extent.hi, unit), [
    extent.lo,
    extent.hi,
    unit,
  ]);
  const bands = useMemo(
    () => (study && panel.study
      ? studyBands(study.results, colorOf).filter((b) => !hidden.has(b.seriesId))
      : []),
    [study, panel.study, hidden, idsKey],
  );

  const lines = useMemo(
    () => (changes.answer && changesOn
      ? changeLines(changes.answer.results, unit, colorOf).filter((l) => !hidden.has(l.seriesId))
      : []),
    [changes.answer, changesOn, hidden, idsKey, unit],
  );
  const zoomTo = (atMs: number) =>
    props.dispatch({
      type: "range",
      range: zoomAround(atMs, (range.toMs - range.fromMs) / 10, props.bounds),
    });
  const addMatch = (m: CorrelationMatch) => {
    if (m.table === panel.table && m.metric === panel.metric) {
      if (!panel.ids.includes(m.id)) {
        props.dispatch({ type: "ids", index, ids: [...panel.ids, m.id] });
      }
    } else {
      props.dispatch({
        type: "addPanel",
        table: m.table,
        metric: m.metric,
        ids: [m.id],
        at: index + 1,
      });
    }
  };

  const state = panel.ids.length === 0
    ? "empty"
    : load === "error"
    ? "error"
    : load === "ready" && series.length === 0
    ? "nodata"
    : load === "ready"
    ? "ready"
    : "loading";

  const chartMessage = panel.ids.length === 0
    ? (
      <div>
        <p>No entities on this panel.</p>
        <p>
          Pick containers on the left, or{" "}
          <button type="button" class="link" onClick={props.onTop}>
            show the top 5 by this metric
          </button>.
        </p>
      </div>
    )
    : state === "error"
    ? <p class="error">Cannot load {panel.metric}: {error}</p>
    : state === "nodata"
    ? (
      <p>
        No samples of <code>{panel.metric}</code> for these {panel.table} between{" "}
        {formatInstant(range.fromMs, props.utc)} and {formatInstant(range.toMs, props.utc)}.
      </p>
    )
    : null;

  const phrase = kindPhrase(kind);
  const tooltip = (t: number) => {
    const rows = series
      .filter((s) => !hidden.has(s.id))
      .map((s) => ({ s, v: valueAt(s, t, stepMs) }))
      .filter((r) => r.v !== null)
      .sort((a, b) => b.v!.mean - a.v!.mean)
      .slice(0, 12);
    if (rows.length === 0) return null;
    return (
      <>
        <div class="tip-time">
          {formatInstant(stepMs > 0 ? Math.floor(t / stepMs) * stepMs : rows[0].v!.t, props.utc)}
          {stepMs > 0 ? <span class="muted">{formatSpan(stepMs)} bucket</span> : null}
        </div>
        <table>
          <tbody>
            {rows.map(({ s, v }) => (
              <tr key={s.id}>
                <td>
                  <span class="swatch" style={{ background: colorOf(s.id) }} />
                  {labelOf(s.id).title}
                </td>
                <td class="num">{formatValue(v!.mean, unit)}</td>
                {stepMs > 0
                  ? <td class="num muted">{formatSpread(v!.min, v!.max, unit)}</td>
                  : null}
              </tr>
            ))}
          </tbody>
        </table>
        {phrase
          ? <div class="tip-kind muted">{stepMs > 0 ? `mean, min – max; ${phrase}` : phrase}</div>
          : null}
      </>
    );
  };

  const toggle = (id: string) => {
    const next = new Set(hidden);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setHidden(next);
  };

  const resolution = answer === null
    ? ""
    : answer.stepMs > 0
    ? `${formatSpan(answer.stepMs)} buckets: line = mean, band = min–max`
    : "every sample";

  return (
    <section
      class={props.active ? "panel active" : "panel"}
      data-testid="panel"
      data-table={panel.table}
      data-metric={panel.metric}
      data-state={state}
      data-from={answer?.fromMs ?? ""}
      data-to={answer?.toMs ?? ""}
      data-step={answer?.stepMs ?? ""}
      data-series={series.length}
      onPointerDown={() => props.active || props.dispatch({ type: "active", index })}
    >
      {load === "loading" ? <div class="progress" /> : null}
      <header class="panel-head">
        <button
          type="button"
          class="metric-button"
          data-testid="metric-button"
          title="Choose the metric (m)"
          onClick={props.onPickMetric}
        >
          <span class="table-badge">{panel.table}</span>
          <span class="metric-name">{panel.metric}</span>
          <span class="caret">▾</span>
        </button>
        <span class="unit">{unitLabel(unit)}{phrase ? `, ${phrase}` : ""}</span>
        <span class="description" title={props.metric?.source ?? ""}>
          {props.metric?.description ?? ""}
        </span>
        <span class="resolution muted">{resolution}</span>
        <div class="panel-actions">
          <button
            type="button"
            class={panel.study ? "btn on" : "btn"}
            aria-pressed={panel.study}
            disabled={panel.ids.length === 0}
            title="Find periods in the visible range"
            onClick={() => props.dispatch({ type: "study", index, on: !panel.study })}
          >
            Periodicity
          </button>
          <button
            type="button"
            class={changesOn ? "btn on" : "btn"}
            aria-pressed={changesOn}
            disabled={panel.ids.length === 0}
            title="Find changes of level in the visible range"
            onClick={() => setChangesOn(!changesOn)}
          >
            Changes
          </button>
          <button
            type="button"
            class={correlateOn ? "btn on" : "btn"}
            aria-pressed={correlateOn}
            disabled={panel.ids.length === 0}
            title="What correlates with this series (any container, process or host metric)"
            onClick={() => setCorrelateOn(!correlateOn)}
          >
            Correlates
          </button>
          <a
            class={panel.ids.length === 0 ? "btn disabled" : "btn"}
            href={panel.ids.length === 0 ? undefined : exportUrl(panel.table, panel.ids, range)}
            download
            title="Download the visible slice of these entities as Parquet (every column)"
          >
            Export
          </a>
          <button
            type="button"
            class="btn icon"
            aria-label="move up"
            disabled={index === 0}
            onClick={() => props.dispatch({ type: "movePanel", index, by: -1 })}
          >
            ↑
          </button>
          <button
            type="button"
            class="btn icon"
            aria-label="move down"
            disabled={index === props.count - 1}
            onClick={() => props.dispatch({ type: "movePanel", index, by: 1 })}
          >
            ↓
          </button>
          <button
            type="button"
            class="btn icon"
            aria-label="remove panel"
            onClick={() => props.dispatch({ type: "removePanel", index })}
          >
            ✕
          </button>
        </div>
      </header>
      <TimeChart
        panel={index}
        datasets={datasets}
        range={range}
        bounds={props.bounds}
        yRange={yRange}
        unit={unit}
        utc={props.utc}
        bands={bands}
        lines={lines}
        height={CHART_HEIGHT}
        cursor={props.cursor}
        onRange={(r) => props.dispatch({ type: "range", range: r })}
        onReset={() => props.dispatch({ type: "range", range: null })}
        onPlotArea={(a) => setWidth(Math.round(a.width))}
        tooltip={tooltip}
        message={chartMessage}
      />
      {panel.ids.length > 0
        ? (
          <Legend
            ids={panel.ids}
            series={series}
            stepMs={stepMs}
            unit={unit}
            labelOf={labelOf}
            colorOf={colorOf}
            hidden={hidden}
            cursor={props.cursor}
            onToggle={toggle}
            onFocus={setFocus}
            onRemove={(id) => props.dispatch({ type: "removeEntity", index, id })}
          />
        )
        : null}
      {panel.study
        ? (
          <StudyResults
            state={studyLoad}
            error={studyError}
            rows={study ? studyRows(study.results, unit, colorOf) : []}
            labelOf={labelOf}
            range={range}
            onZoom={(r) => props.dispatch({ type: "range", range: r })}
            onClose={() => props.dispatch({ type: "study", index, on: false })}
          />
        )
        : null}
      {changesOn
        ? (
          <ChangeResults
            state={changes.state}
            error={changes.error}
            rows={changes.answer ? changeRows(changes.answer.results, unit, colorOf) : []}
            utc={props.utc}
            labelOf={labelOf}
            onZoom={zoomTo}
            onClose={() => setChangesOn(false)}
          />
        )
        : null}
      {correlateOn && correlateId !== undefined
        ? (
          <CorrelationResults
            state={correlation.state}
            error={correlation.error}
            ids={panel.ids}
            target={correlateId}
            matches={correlation.answer?.results[0]?.matches ?? []}
            compared={correlation.answer?.results[0]?.compared ?? 0}
            metric={panel.metric}
            labelOf={labelOf}
            onTarget={setTarget}
            onAdd={addMatch}
            onClose={() => setCorrelateOn(false)}
          />
        )
        : null}
    </section>
  );
}
