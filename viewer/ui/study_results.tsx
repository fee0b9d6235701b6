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
import {
  clickableRow,
  type ResultsFrame,
  ResultsTable,
  SeriesCell,
  type StudyStatus,
} from "./results_table.tsx";

/** Props of {@linkcode StudyResults}. */
export interface StudyResultsProps extends StudyStatus {
  rows: StudyRow[];
  labelOf(id: string): EntityLabel;
  range: TimeRange;
  /** Zooms the panels to a range (a click on a series with a period). */
  onZoom?(range: { fromMs: number; toMs: number }): void;
}

const FRAME: ResultsFrame = {
  testId: "study",
  title: "Periodicity",
  closeLabel: "close the study",
  empty: "No series to study.",
  columns: [
    { label: "series" },
    { label: "period", num: true },
    { label: "confidence", num: true },
    { label: "amplitude", num: true },
    { label: "cycles", num: true },
    { label: "windows", num: true },
    { label: "notes" },
  ],
};

/** The study's list (see the module documentation). */
export function StudyResults(props: StudyResultsProps) {
  return (
    <ResultsTable
      frame={FRAME}
      study={props}
      note={
        <>
          over the visible{" "}
          {formatSpan(props.range.toMs - props.range.fromMs)}; shaded windows repeat with the
          labelled period; click a series to zoom
        </>
      }
      rowCount={props.rows.length}
    >
      {props.rows.map((r) => (
        <tr
          key={r.seriesId}
          data-testid="study-row"
          data-id={r.seriesId}
          data-period={r.periodSeconds ?? ""}
          {...clickableRow(
            r.zoom !== null,
            "Zoom to where it repeats",
            () => r.zoom && props.onZoom?.(r.zoom),
          )}
        >
          <SeriesCell color={r.color} label={props.labelOf(r.seriesId)} />
          <td class="num period">{r.period}</td>
          <td class="num">{r.confidence}</td>
          <td class="num">{r.amplitude}</td>
          <td class="num">{r.cycles}</td>
          <td class="num">{r.windows}</td>
          <td class="notes muted">{r.periodSeconds === null ? r.notes.join("; ") : ""}</td>
        </tr>
      ))}
    </ResultsTable>
  );
}
