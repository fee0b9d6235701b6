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
import {
  clickableRow,
  type ResultsFrame,
  ResultsTable,
  SeriesCell,
  type StudyStatus,
} from "./results_table.tsx";

/** Props of {@linkcode ChangeResults}. */
export interface ChangeResultsProps extends StudyStatus {
  rows: ChangeRow[];
  utc: boolean;
  labelOf(id: string): EntityLabel;
  onZoom(atMs: number): void;
}

const FRAME: ResultsFrame = {
  testId: "changes",
  title: "Changes",
  closeLabel: "close the changes",
  empty: "No change of level in the visible range.",
  columns: [
    { label: "series" },
    { label: "at" },
    { label: "before", num: true },
    { label: "after", num: true },
    { label: "change", num: true },
    { label: "noise σ", num: true },
  ],
};

/** The changepoint study's list (see the module documentation). */
export function ChangeResults(props: ChangeResultsProps) {
  return (
    <ResultsTable
      frame={FRAME}
      study={props}
      note="level shifts in the visible range (PELT, penalty scaled by each series' noise); click one to zoom"
      rowCount={props.rows.length}
    >
      {props.rows.map((r) => (
        <tr
          key={`${r.seriesId}@${r.atMs}`}
          data-testid="change-row"
          data-id={r.seriesId}
          data-at={r.atMs}
          {...clickableRow(true, "Zoom to this change", () => props.onZoom(r.atMs))}
        >
          <SeriesCell color={r.color} label={props.labelOf(r.seriesId)} />
          <td>{formatInstant(r.atMs, props.utc)}</td>
          <td class="num">{r.before}</td>
          <td class="num">{r.after}</td>
          <td class="num">{r.direction === "up" ? "↑ +" : "↓ −"}{r.magnitude}</td>
          <td class="num">{r.score}</td>
        </tr>
      ))}
    </ResultsTable>
  );
}
