/**
 * One Chart.js line chart on the shared time axis, and the gestures on it: drag to zoom into a
 * span, shift-drag (or middle-drag) to pan, the wheel to zoom around the cursor, double-click to
 * reset; a crosshair at the time under the mouse of any panel, and this panel's tooltip. The
 * chart is made once and updated in place (`update("none")`); overlays are plain elements, so the
 * mouse never makes the canvas redraw.
 *
 * @module
 */

import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChartConfiguration, Scale } from "chart.js";
import { AXIS_WIDTH, Chart, THEME } from "./chart_setup.ts";
import type { LineDataset } from "./datasets.ts";
import { formatTimeTick, timeTicks, type ValueRange, valueTicks } from "./axes.ts";
import { formatValue } from "./format.ts";
import {
  panBy,
  pixelAt,
  type PlotArea,
  selectionRange,
  timeAt,
  type TimeRange,
  wheelFactor,
  zoomAround,
} from "./range.ts";
import type { StudyBand, StudyLine } from "./study.ts";
import type { Cursor, Store } from "./store.ts";

/** Props of {@linkcode TimeChart}. */
export interface TimeChartProps {
  /** Index of the panel, for the shared cursor. */
  panel: number;
  datasets: LineDataset[];
  range: TimeRange;
  bounds: TimeRange;
  yRange: ValueRange;
  unit: string;
  utc: boolean;
  bands: StudyBand[];
  /** Changes of level drawn as vertical lines. */
  lines?: StudyLine[];
  height: number;
  cursor: Store<Cursor>;
  onRange(range: TimeRange): void;
  onReset(): void;
  /** The plot area in CSS pixels, whenever it changes (its width: how many points to ask for). */
  onPlotArea?(area: PlotBox): void;
  /** The tooltip's content at time `t` (this panel only). */
  tooltip?(t: number): ComponentChildren;
  /** Shown over the chart instead of data (no entities, no samples). */
  message?: ComponentChildren;
  /** Draw it small and without gestures or tooltip (the overview). */
  compact?: boolean;
}

/** A plot area with its vertical extent. */
export interface PlotBox extends PlotArea {
  top: number;
  bottom: number;
}

type Gesture =
  | { kind: "select"; x0: number; x: number }
  | { kind: "pan"; x0: number; range: TimeRange };

/** The chart of one panel (see the module documentation). */
export function TimeChart(props: TimeChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<"line"> | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const crosshair = useRef<HTMLDivElement>(null);
  const selection = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const [tipAt, setTipAt] = useState<{ t: number; x: number } | null>(null);

  /** The plot area in CSS pixels relative to the wrapper. */
  const area = (): PlotBox => {
    const a = chart.current?.chartArea;
    return a
      ? { left: a.left, width: a.right - a.left, top: a.top, bottom: a.bottom }
      : { left: AXIS_WIDTH, width: 1, top: 0, bottom: 0 };
  };

  // The chart, made once.
  useEffect(() => {
    let xStep = 1000;
    let last = "";
    const config: ChartConfiguration<"line"> = {
      type: "line",
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        events: [],
        spanGaps: false,
        layout: { padding: { top: 6, right: 14, left: 0, bottom: 0 } },
        elements: { line: { tension: 0, borderJoinStyle: "round" }, point: { hitRadius: 0 } },
        scales: {
          x: {
            type: "linear",
            grid: { color: THEME.grid },
            border: { display: false },
            ticks: {
              maxRotation: 0,
              autoSkip: false,
              padding: 4,
              color: THEME.tick,
              callback: (v) => formatTimeTick(Number(v), xStep, latest.current.utc),
            },
            afterBuildTicks: (scale: Scale) => {
              const count = Math.max(2, Math.floor((scale.width || 600) / 100));
              const t = timeTicks(scale.min, scale.max, count, latest.current.utc);
              xStep = t.stepMs;
              scale.ticks = t.ticks.map((value) => ({ value }));
            },
          },
          y: {
            type: "linear",
            grid: { color: THEME.grid, display: !latest.current.compact },
            border: { display: false },
            afterFit: (scale: Scale) => {
              scale.width = AXIS_WIDTH;
            },
            afterBuildTicks: (scale: Scale) => {
              const count = Math.max(2, Math.floor((scale.height || 150) / 30));
              scale.ticks = valueTicks(scale.min, scale.max, count, latest.current.unit)
                .map((value) => ({ value }));
            },
            ticks: {
              display: !latest.current.compact,
              color: THEME.tick,
              padding: 6,
              callback: (v) => {
                if (Number(v) === 0) return "0";
                const { min, max } = latest.current.yRange;
                return formatValue(
                  Number(v),
                  latest.current.unit,
                  Math.max(Math.abs(min), Math.abs(max)),
                );
              },
            },
          },
        },
        plugins: { studyBands: { bands: [] } },
      },
      plugins: [{
        id: "plotArea",
        afterLayout: (c) => {
          const a = c.chartArea;
          const box = { left: a.left, width: a.right - a.left, top: a.top, bottom: a.bottom };
          const key = JSON.stringify(box);
          if (key !== last && box.width > 0) {
            last = key;
            // The plot area, for scripts driving the page (tests) as much as for debugging.
            wrap.current?.setAttribute(
              "data-plot",
              [box.left, box.top, box.width, box.bottom - box.top].map(Math.round).join(","),
            );
            latest.current.onPlotArea?.(box);
          }
        },
      }],
    };
    chart.current = new Chart(canvas.current!, config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  // Data, range and bands, whenever they change.
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.datasets = props.datasets as unknown as typeof c.data.datasets;
    const x = c.options.scales!.x!;
    x.min = props.range.fromMs;
    x.max = props.range.toMs;
    const y = c.options.scales!.y!;
    y.min = props.yRange.min;
    y.max = props.yRange.max;
    c.options.plugins!.studyBands = { bands: props.bands, lines: props.lines ?? [] };
    c.update("none");
    placeCrosshair(props.cursor.get());
  }, [
    props.datasets,
    props.range.fromMs,
    props.range.toMs,
    props.yRange.min,
    props.yRange.max,
    props.bands,
    props.lines,
    props.utc,
    props.unit,
  ]);

  /** Moves the crosshair to the cursor's time, or hides it. */
  function placeCrosshair(cursor: Cursor) {
    const el = crosshair.current;
    if (!el) return;
    const a = area();
    const r = latest.current.range;
    if (cursor === null || cursor.t < r.fromMs || cursor.t > r.toMs) {
      el.style.display = "none";
      return;
    }
    el.style.display = "block";
    el.style.left = `${pixelAt(cursor.t, a, r)}px`;
    el.style.top = `${a.top}px`;
    el.style.height = `${a.bottom - a.top}px`;
  }

  useEffect(() => {
    return props.cursor.subscribe((cursor) => {
      placeCrosshair(cursor);
      if (latest.current.compact) return;
      if (cursor !== null && cursor.panel === latest.current.panel) {
        setTipAt({ t: cursor.t, x: pixelAt(cursor.t, area(), latest.current.range) });
      } else {
        setTipAt(null);
      }
    });
  }, [props.cursor]);

  // The wheel, as a non-passive listener (it must not scroll the page while zooming).
  useEffect(() => {
    const el = wrap.current;
    if (!el || props.compact) return;
    const onWheel = (e: WheelEvent) => {
      const x = e.clientX - el.getBoundingClientRect().left;
      const a = area();
      if (x < a.left || x > a.left + a.width) return;
      e.preventDefault();
      const p = latest.current;
      const delta = e.deltaMode === 1
        ? e.deltaY * 16
        : e.deltaMode === 2
        ? e.deltaY * 400
        : e.deltaY;
      if (delta === 0) return;
      p.onRange(zoomAround(p.range, timeAt(x, a, p.range), wheelFactor(delta), p.bounds));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [props.compact]);

  const localX = (e: PointerEvent | MouseEvent) =>
    e.clientX - (wrap.current?.getBoundingClientRect().left ?? 0);

  function onPointerDown(e: PointerEvent) {
    if (props.compact || (e.button !== 0 && e.button !== 1)) return;
    // A button in the chart's message (e.g. "show the top 5") is clicked, not dragged.
    if ((e.target as HTMLElement).closest("button, a, input")) return;
    const x = localX(e);
    const a = area();
    if (x < a.left || x > a.left + a.width) return;
    e.preventDefault();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    gesture.current = e.shiftKey || e.button === 1
      ? { kind: "pan", x0: x, range: props.range }
      : { kind: "select", x0: x, x };
  }

  function onPointerMove(e: PointerEvent) {
    const x = localX(e);
    const a = area();
    const p = latest.current;
    const g = gesture.current;
    if (g?.kind === "select") {
      g.x = x;
      const el = selection.current!;
      const left = Math.max(a.left, Math.min(g.x0, x));
      const right = Math.min(a.left + a.width, Math.max(g.x0, x));
      el.style.display = "block";
      el.style.left = `${left}px`;
      el.style.width = `${right - left}px`;
      el.style.top = `${a.top}px`;
      el.style.height = `${a.bottom - a.top}px`;
    } else if (g?.kind === "pan") {
      const span = g.range.toMs - g.range.fromMs;
      p.onRange(panBy(g.range, -((x - g.x0) / a.width) * span, p.bounds));
    }
    if (x >= a.left && x <= a.left + a.width) {
      p.cursor.set({ t: Math.round(timeAt(x, a, p.range)), panel: p.panel });
    } else if (g === null) {
      p.cursor.set(null);
    }
  }

  function onPointerUp(e: PointerEvent) {
    const g = gesture.current;
    gesture.current = null;
    if (selection.current) selection.current.style.display = "none";
    if (g?.kind !== "select") return;
    const p = latest.current;
    const r = selectionRange(g.x0, localX(e), area(), p.range, p.bounds);
    if (r !== null) p.onRange(r);
  }

  function onPointerLeave() {
    if (gesture.current === null) props.cursor.set(null);
  }

  const tip = tipAt && props.tooltip ? props.tooltip(tipAt.t) : null;
  const width = wrap.current?.clientWidth ?? 0;
  return (
    <div
      class={props.compact ? "chart compact" : "chart"}
      ref={wrap}
      style={{ height: `${props.height}px` }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onPointerLeave={onPointerLeave}
      onDblClick={() => props.compact || props.onReset()}
      onContextMenu={(e) => gesture.current && e.preventDefault()}
    >
      <canvas ref={canvas} role="img" aria-label="chart" />
      <div class="crosshair" ref={crosshair} />
      <div class="selection" ref={selection} />
      {props.message ? <div class="chart-message">{props.message}</div> : null}
      {tip && tipAt
        ? (
          <div
            class="tooltip"
            role="tooltip"
            style={tipAt.x > width / 2
              ? { right: `${Math.max(0, width - tipAt.x + 12)}px` }
              : { left: `${tipAt.x + 12}px` }}
          >
            {tip}
          </div>
        )
        : null}
    </div>
  );
}
