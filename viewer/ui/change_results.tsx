/**
 * The changepoint study's list under a panel: every change of level in the visible range, by
 * time, with the levels before and after in the metric's unit; a click on one zooms the panels to
 * the minutes around it.
 *
 * @module
 */

import type { EntityLabel } from "./labels.ts";
import { formatInstant } from "./format.ts";
import type { ChangeRow } from "./study.ts";

/** Props of {@linkcode ChangeResults}. */
export interface ChangeResultsProps {
  state: "idle" | "loading" | "ready" | "error";
  error: string | null;
  rows: ChangeRow[];
  utc: boolean;
  labelOf(id: string): EntityLabel;
  onZoom(atMs: number): void;
  onClose(): void;
}

/** The changepoint study's list (see the module documentation). */
export function ChangeResults(props: ChangeResultsProps) {
  return (
    <div class="study" data-testid="changes" data-state={props.state}>
      <div class="study-head">
        <strong>Changes</strong>
        <span class="muted">
          level shifts in the visible range (PELT, penalty scaled by each series' noise); click one
          to zoom
        </span>
        {props.state === "loading" ? <span class="spinner" aria-label="running" /> : null}
        <button
          type="button"
          class="btn icon"
          aria-label="close the changes"
          onClick={props.onClose}
        >
          ✕
        </button>
      </div>
      {props.state === "error" ? <p class="error">The study failed: {props.error}</p> : null}
      {props.rows.length > 0
        ? (
          <table class="study-table">
            <thead>
              <tr>
                <th>series</th>
                <th>at</th>
                <th class="num">before</th>
                <th class="num">after</th>
                <th class="num">change</th>
                <th class="num">noise σ</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr
                  key={`${r.seriesId}@${r.atMs}`}
                  data-testid="change-row"
                  data-id={r.seriesId}
                  data-at={r.atMs}
                  class="clickable"
                  title="Zoom to this change"
                  onClick={() => props.onZoom(r.atMs)}
                >
                  <td>
                    <span class="swatch" style={{ background: r.color }} />
                    {props.labelOf(r.seriesId).title}
                  </td>
                  <td>{formatInstant(r.atMs, props.utc)}</td>
                  <td class="num">{r.before}</td>
                  <td class="num">{r.after}</td>
                  <td class="num">{r.direction === "up" ? "↑ +" : "↓ −"}{r.magnitude}</td>
                  <td class="num">{r.score}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
        : props.state === "ready"
        ? <p class="muted">No change of level in the visible range.</p>
        : null}
    </div>
  );
}
