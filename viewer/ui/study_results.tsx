/**
 * The periodicity study's list under a panel: per series its period over the visible range, the
 * confidence, the amplitude in the metric's unit, the cycles seen and the windows shaded on the
 * chart; the study's notes for a series without a period.
 *
 * @module
 */

import type { EntityLabel } from "./labels.ts";
import type { TimeRange } from "./range.ts";
import { formatSpan } from "./format.ts";
import type { StudyRow } from "./study.ts";

/** Props of {@linkcode StudyResults}. */
export interface StudyResultsProps {
  state: "idle" | "loading" | "ready" | "error";
  error: string | null;
  rows: StudyRow[];
  labelOf(id: string): EntityLabel;
  range: TimeRange;
  /** Zooms the panels to a range (a click on a series with a period). */
  onZoom?(range: { fromMs: number; toMs: number }): void;
  onClose(): void;
}

/** The study's list (see the module documentation). */
export function StudyResults(props: StudyResultsProps) {
  return (
    <div class="study" data-testid="study" data-state={props.state}>
      <div class="study-head">
        <strong>Periodicity</strong>
        <span class="muted">
          over the visible{" "}
          {formatSpan(props.range.toMs - props.range.fromMs)}; shaded windows repeat with the
          labelled period; click a series to zoom
        </span>
        {props.state === "loading" ? <span class="spinner" aria-label="running" /> : null}
        <button type="button" class="btn icon" aria-label="close the study" onClick={props.onClose}>
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
                <th class="num">period</th>
                <th class="num">confidence</th>
                <th class="num">amplitude</th>
                <th class="num">cycles</th>
                <th class="num">windows</th>
                <th>notes</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr
                  key={r.seriesId}
                  data-testid="study-row"
                  data-id={r.seriesId}
                  data-period={r.periodSeconds ?? ""}
                  class={r.zoom ? "clickable" : ""}
                  title={r.zoom ? "Zoom to where it repeats" : undefined}
                  onClick={() => r.zoom && props.onZoom?.(r.zoom)}
                >
                  <td>
                    <span class="swatch" style={{ background: r.color }} />
                    {props.labelOf(r.seriesId).title}
                  </td>
                  <td class="num period">{r.period}</td>
                  <td class="num">{r.confidence}</td>
                  <td class="num">{r.amplitude}</td>
                  <td class="num">{r.cycles}</td>
                  <td class="num">{r.windows}</td>
                  <td class="notes muted">{r.periodSeconds === null ? r.notes.join("; ") : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
        : props.state === "ready"
        ? <p class="muted">No series to study.</p>
        : null}
    </div>
  );
}
