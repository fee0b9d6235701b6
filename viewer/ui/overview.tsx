/**
 * The overview navigator: the active panel's metric over the whole recording in a small chart,
 * with the visible range as a window on it. Drag the window to pan, drag its edges to resize it,
 * drag elsewhere to choose a new range, click elsewhere to move the window there.
 *
 * @module
 */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { getJson, type SeriesAnswer, timeseriesUrl } from "./api.ts";
import { valueRange } from "./axes.ts";
import { extentOf, seriesDatasets } from "./datasets.ts";
import { formatSpan } from "./format.ts";
import { colorAt } from "./labels.ts";
import {
  clampRange,
  MIN_SPAN_MS,
  panBy,
  pixelAt,
  selectionRange,
  spanOf,
  timeAt,
  type TimeRange,
} from "./range.ts";
import type { PanelState } from "./state.ts";
import { createStore, type Cursor } from "./store.ts";
import { type PlotBox, TimeChart } from "./time_chart.tsx";

/** Props of {@linkcode Overview}. */
export interface OverviewProps {
  panel: PanelState | undefined;
  unit: string;
  bounds: TimeRange;
  range: TimeRange;
  utc: boolean;
  /** Changes when the recording grows (re-asks the series, at most every 10 s). */
  version: number;
  onRange(r: TimeRange): void;
}

type Drag =
  | { kind: "move"; x0: number; range: TimeRange }
  | { kind: "left" | "right"; range: TimeRange }
  | { kind: "select"; x0: number };

const HEIGHT = 84;

/** The navigator (see the module documentation). */
export function Overview(props: OverviewProps) {
  const [area, setArea] = useState<PlotBox | null>(null);
  const [answer, setAnswer] = useState<SeriesAnswer | null>(null);
  const [selecting, setSelecting] = useState<{ a: number; b: number } | null>(null);
  const drag = useRef<Drag | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const cursor = useMemo(() => createStore<Cursor>(null), []);
  const p = props.panel;
  const idsKey = p?.ids.join(",") ?? "";
  const width = Math.round(area?.width ?? 0);

  useEffect(() => {
    if (!p || p.ids.length === 0 || width === 0) {
      setAnswer(null);
      return;
    }
    const ctrl = new AbortController();
    getJson<SeriesAnswer>(
      timeseriesUrl(p.table, p.metric, p.ids, props.bounds, width / 2),
      ctrl.signal,
    )
      .then(setAnswer, () => {/* the panels show errors; the overview stays as it was */});
    return () => ctrl.abort();
  }, [p?.table, p?.metric, idsKey, props.bounds.fromMs, props.version, width]);

  const series = answer?.series ?? [];
  const colorOf = (id: string) => colorAt(Math.max(0, p?.ids.indexOf(id) ?? 0));
  const datasets = useMemo(
    () => seriesDatasets(series, { colorOf, band: false }).map((d) => ({ ...d, borderWidth: 1 })),
    [answer],
  );
  const extent = extentOf(series);
  const yRange = valueRange(extent.lo, extent.hi, props.unit);

  const local = (e: PointerEvent) => e.clientX - (body.current?.getBoundingClientRect().left ?? 0);
  const left = area ? Math.max(area.left, pixelAt(props.range.fromMs, area, props.bounds)) : 0;
  const right = area
    ? Math.min(area.left + area.width, pixelAt(props.range.toMs, area, props.bounds))
    : 0;

  function onPointerDown(e: PointerEvent) {
    if (!area || e.button !== 0) return;
    const x = local(e);
    if (x < area.left - 8 || x > area.left + area.width + 8) return;
    e.preventDefault();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    const handle = (e.target as HTMLElement).dataset.handle;
    if (handle === "left" || handle === "right") {
      drag.current = { kind: handle, range: props.range };
    } else if (x >= left && x <= right) drag.current = { kind: "move", x0: x, range: props.range };
    else {
      drag.current = { kind: "select", x0: x };
      setSelecting({ a: x, b: x });
    }
  }

  function onPointerMove(e: PointerEvent) {
    const d = drag.current;
    if (!d || !area) return;
    const x = local(e);
    const b = props.bounds;
    if (d.kind === "move") {
      props.onRange(panBy(d.range, ((x - d.x0) / area.width) * spanOf(b), b));
    } else if (d.kind === "left") {
      const t = Math.max(b.fromMs, Math.min(d.range.toMs - MIN_SPAN_MS, timeAt(x, area, b)));
      props.onRange({ fromMs: Math.round(t), toMs: d.range.toMs });
    } else if (d.kind === "right") {
      const t = Math.min(b.toMs, Math.max(d.range.fromMs + MIN_SPAN_MS, timeAt(x, area, b)));
      props.onRange({ fromMs: d.range.fromMs, toMs: Math.round(t) });
    } else if (d.kind === "select") {
      setSelecting({ a: d.x0, b: x });
    }
  }

  function onPointerUp(e: PointerEvent) {
    const d = drag.current;
    drag.current = null;
    setSelecting(null);
    if (d?.kind !== "select" || !area) return;
    const x = local(e);
    const picked = selectionRange(d.x0, x, area, props.bounds, props.bounds);
    if (picked) {
      props.onRange(picked);
    } else {
      // A click: the window, same width, centred there.
      const t = timeAt(x, area, props.bounds);
      const span = spanOf(props.range);
      props.onRange(
        clampRange(
          { fromMs: Math.round(t - span / 2), toMs: Math.round(t + span / 2) },
          props.bounds,
        ),
      );
    }
  }

  const whole = spanOf(props.range) >= spanOf(props.bounds);
  return (
    <div class="overview" data-testid="overview">
      <div class="overview-head">
        <span class="muted">
          Overview{p ? ` · ${p.table} ${p.metric}` : ""}{" "}
          · whole recording ({formatSpan(spanOf(props.bounds))})
        </span>
      </div>
      <div
        class="overview-body"
        ref={body}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <TimeChart
          compact
          panel={-1}
          datasets={datasets}
          range={props.bounds}
          bounds={props.bounds}
          yRange={yRange}
          unit={props.unit}
          utc={props.utc}
          bands={[]}
          height={HEIGHT}
          cursor={cursor}
          onRange={props.onRange}
          onReset={() => {}}
          onPlotArea={setArea}
        />
        {area
          ? (
            <>
              <div
                class="ov-shade"
                style={{
                  left: `${area.left}px`,
                  width: `${Math.max(0, left - area.left)}px`,
                  top: `${area.top}px`,
                  height: `${area.bottom - area.top}px`,
                }}
              />
              <div
                class="ov-shade"
                style={{
                  left: `${right}px`,
                  width: `${Math.max(0, area.left + area.width - right)}px`,
                  top: `${area.top}px`,
                  height: `${area.bottom - area.top}px`,
                }}
              />
              <div
                class={whole ? "ov-window whole" : "ov-window"}
                data-testid="overview-window"
                style={{
                  left: `${left}px`,
                  width: `${Math.max(2, right - left)}px`,
                  top: `${area.top}px`,
                  height: `${area.bottom - area.top}px`,
                }}
              >
                <div class="ov-handle" data-handle="left" />
                <div class="ov-handle right" data-handle="right" />
              </div>
              {selecting
                ? (
                  <div
                    class="selection"
                    style={{
                      display: "block",
                      left: `${Math.min(selecting.a, selecting.b)}px`,
                      width: `${Math.abs(selecting.b - selecting.a)}px`,
                      top: `${area.top}px`,
                      height: `${area.bottom - area.top}px`,
                    }}
                  />
                )
                : null}
            </>
          )
          : null}
      </div>
    </div>
  );
}
