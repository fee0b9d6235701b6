/**
 * The frame every study's list under a panel shares: a head with the study's name, its controls, a
 * muted note, a spinner while it runs and a close button; the error when it failed; a table of
 * its rows, or a muted sentence when a finished study has none. The lists (study_results.tsx,
 * change_results.tsx, correlation_results.tsx) give only their columns and rows.
 *
 * @module
 */

import type { ComponentChildren } from "preact";
import type { EntityLabel } from "./labels.ts";

/** A column of a results table. */
export interface ResultsColumn {
  /** The header text; none for a column of buttons. */
  label?: string;
  /** A right-aligned number column. */
  num?: boolean;
}

/** A study's run as its list shows it, and how the list closes. */
export interface StudyStatus {
  state: "idle" | "loading" | "ready" | "error";
  error: string | null;
  onClose(): void;
}

/** What stays the same of one study's list. */
export interface ResultsFrame {
  /** `data-testid` of the frame. */
  testId: string;
  /** The study's name, in bold. */
  title: string;
  /** What the close button is called (its `aria-label`). */
  closeLabel: string;
  /** The sentence of a finished study without rows. */
  empty: string;
  columns: readonly ResultsColumn[];
}

/** Props of {@linkcode ResultsTable}. */
export interface ResultsTableProps {
  frame: ResultsFrame;
  study: StudyStatus;
  /** Controls between the name and the note (e.g. the series to study). */
  controls?: ComponentChildren;
  /** What the list shows and how to use it. */
  note: ComponentChildren;
  /** How many rows `children` holds: the table shows only with one or more. */
  rowCount: number;
  /** The `<tr>` rows of the table's body. */
  children: ComponentChildren;
}

/** A study's list (see the module documentation). */
export function ResultsTable(props: ResultsTableProps) {
  const { frame, study } = props;
  return (
    <div class="study" data-testid={frame.testId} data-state={study.state}>
      <div class="study-head">
        <strong>{frame.title}</strong>
        {props.controls}
        <span class="muted">{props.note}</span>
        {study.state === "loading" ? <span class="spinner" aria-label="running" /> : null}
        <button
          type="button"
          class="btn icon"
          aria-label={frame.closeLabel}
          onClick={study.onClose}
        >
          ✕
        </button>
      </div>
      {study.state === "error" ? <p class="error">The study failed: {study.error}</p> : null}
      {props.rowCount > 0
        ? (
          <table class="study-table">
            <thead>
              <tr>
                {frame.columns.map((c, i) => (
                  <th key={i} class={c.num ? "num" : undefined}>{c.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>{props.children}</tbody>
          </table>
        )
        : study.state === "ready"
        ? <p class="muted">{frame.empty}</p>
        : null}
    </div>
  );
}

/** The first cell of a row naming a series: its colour swatch and its label's title. */
export function SeriesCell(props: { color: string; label: EntityLabel }) {
  return (
    <td>
      <span class="swatch" style={{ background: props.color }} />
      {props.label.title}
    </td>
  );
}

/**
 * The attributes of a row a click acts on: `clickable` with a hint when `enabled`, else a plain
 * row (whose click does nothing).
 */
export function clickableRow(
  enabled: boolean,
  title: string,
  onClick: () => void,
): { class: string; title: string | undefined; onClick: () => void } {
  return { class: enabled ? "clickable" : "", title: enabled ? title : undefined, onClick };
}
