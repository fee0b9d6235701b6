/**
 * The top bar: what is open (the recording, its files, files skipped as unreadable), the visible
 * range, range presets (5 min, 1 h, 1 d, all), live mode, reset zoom, UTC or local time, and a
 * button that copies the link of the view.
 *
 * @module
 */

import { useState } from "preact/hooks";
import type { Health } from "./api.ts";
import { formatClock, formatInstant, formatSpan } from "./format.ts";
import { PRESETS, spanOf, type TimeRange } from "./range.ts";
import type { Action, ViewState } from "./state.ts";

/** Props of {@linkcode Toolbar}. */
export interface ToolbarProps {
  health: Health | null;
  state: ViewState;
  visible: TimeRange | null;
  bounds: TimeRange | null;
  dispatch(a: Action): void;
}

/** Whether a preset is what is shown now. */
function presetOn(spanMs: number | null, s: ViewState, bounds: TimeRange | null): boolean {
  if (s.live) return s.liveSpanMs === spanMs;
  if (spanMs === null) return s.range === null;
  return s.range !== null && bounds !== null && s.range.toMs === bounds.toMs &&
    spanOf(s.range) === spanMs;
}

/** The top bar (see the module documentation). */
export function Toolbar(props: ToolbarProps) {
  const { health, state, visible, bounds } = props;
  const [copied, setCopied] = useState(false);
  const share = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      prompt("Copy the link of this view:", location.href);
    }
  };
  const sameDay = visible !== null &&
    formatInstant(visible.fromMs, state.utc).slice(0, 10) ===
      formatInstant(visible.toMs, state.utc).slice(0, 10);
  const problems = health?.problems ?? [];
  return (
    <header class="toolbar">
      <div class="brand">
        <span class="logo">fgm</span>
        <span class="brand-name">view</span>
      </div>
      <div class="source" title={health?.root ?? ""}>
        <span class="root">{health?.root ?? "…"}</span>
        <span class="muted">
          {health
            ? `${health.files} files · ${health.nodes.length} node${
              health.nodes.length === 1 ? "" : "s"
            }`
            : ""}
        </span>
        {problems.length
          ? (
            <span class="warn" title={problems.map((p) => `${p.path}: ${p.reason}`).join("\n")}>
              {problems.length} file{problems.length === 1 ? "" : "s"} skipped
            </span>
          )
          : null}
      </div>
      <div class="range-text" data-testid="range-text">
        {visible
          ? (
            <>
              <span>{formatInstant(visible.fromMs, state.utc).replace(/ UTC$/, "")}</span>
              <span class="muted">→</span>
              <span>
                {sameDay
                  ? formatClock(visible.toMs, state.utc)
                  : formatInstant(visible.toMs, state.utc).replace(/ UTC$/, "")}
                {state.utc ? " UTC" : ""}
              </span>
              <span class="muted">({formatSpan(spanOf(visible))})</span>
            </>
          )
          : <span class="muted">waiting for data…</span>}
      </div>
      <div class="controls">
        <div class="segmented" role="group" aria-label="range presets">
          {PRESETS.map((p) => (
            <button
              key={p.label}
              type="button"
              class={presetOn(p.spanMs, state, bounds) ? "seg on" : "seg"}
              disabled={bounds === null}
              title={p.spanMs === null
                ? "The whole recording"
                : `The last ${formatSpan(p.spanMs)} of the recording`}
              onClick={() => bounds && props.dispatch({ type: "preset", spanMs: p.spanMs, bounds })}
            >
              {p.label}
            </button>
          ))}
        </div>
        <button
          type="button"
          class={state.live ? "btn live on" : "btn live"}
          aria-pressed={state.live}
          disabled={visible === null}
          title="Follow the newest data (re-asked every 2 s)"
          onClick={() => visible && props.dispatch({ type: "live", on: !state.live, visible })}
        >
          <span class="dot" />Live
        </button>
        <button
          type="button"
          class="btn"
          disabled={!state.live && state.range === null}
          title="Show the whole recording (double-click a chart does the same)"
          onClick={() => props.dispatch({ type: "range", range: null })}
        >
          Reset zoom
        </button>
        <button
          type="button"
          class="btn"
          title="Show times in UTC or in this browser's time zone"
          onClick={() => props.dispatch({ type: "utc", utc: !state.utc })}
        >
          {state.utc ? "UTC" : "Local"}
        </button>
        <button
          type="button"
          class="btn primary"
          title="Copy the link of this view"
          onClick={share}
        >
          {copied ? "Link copied" : "Share"}
        </button>
      </div>
    </header>
  );
}
