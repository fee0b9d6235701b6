/**
 * "What correlates with this": for one series of the panel (chosen in a menu), the series of the
 * recording — any container, process or host metric — that move with it within ±30 s, with r, the
 * lag and whether it is significant once autocorrelation is accounted for; "Add" puts one on a
 * panel (this one when it shows the same metric, else a new panel below).
 *
 * @module
 */

import type { CorrelationMatch } from "./api.ts";
import type { EntityLabel } from "./labels.ts";
import { type ResultsFrame, ResultsTable, type StudyStatus } from "./results_table.tsx";

/** Props of {@linkcode CorrelationResults}. */
export interface CorrelationResultsProps extends StudyStatus {
  ids: readonly string[];
  target: string;
  matches: CorrelationMatch[];
  compared: number;
  metric: string;
  labelOf(id: string): EntityLabel;
  onTarget(id: string): void;
  onAdd(m: CorrelationMatch): void;
}

/** How a lag reads: who moves first. */
export function lagPhrase(lagSeconds: number, metric: string): string {
  if (lagSeconds === 0) return "same time";
  return lagSeconds > 0
    ? `${metric} follows by ${lagSeconds} s`
    : `${metric} leads by ${-lagSeconds} s`;
}

const FRAME: ResultsFrame = {
  testId: "correlations",
  title: "What correlates with",
  closeLabel: "close the correlations",
  empty: "Nothing to compare with in the visible range.",
  columns: [
    { label: "series" },
    { label: "r", num: true },
    { label: "lag" },
    { label: "p", num: true },
    {},
  ],
};

/** The correlation list (see the module documentation). */
export function CorrelationResults(props: CorrelationResultsProps) {
  return (
    <ResultsTable
      frame={FRAME}
      study={props}
      controls={
        <select
          aria-label="series to correlate"
          value={props.target}
          onChange={(e) => props.onTarget((e.target as HTMLSelectElement).value)}
        >
          {props.ids.map((id) => <option key={id} value={id}>{props.labelOf(id).title}</option>)}
        </select>
      }
      note={`over the visible range, lags ±30 s; ${props.compared} series compared`}
      rowCount={props.matches.length}
    >
      {props.matches.map((m) => (
        <tr
          key={`${m.table}.${m.metric}.${m.id}`}
          data-testid="correlation-row"
          data-table={m.table}
          data-metric={m.metric}
          data-id={m.id}
          data-lag={m.lagSeconds}
          data-significant={String(m.significant)}
          class={m.significant ? "" : "muted"}
        >
          <td>
            <span class="table-badge">{m.table}</span> {m.metric} · {m.name}
          </td>
          <td class="num">{m.r.toFixed(2)}</td>
          <td>{lagPhrase(m.lagSeconds, props.metric)}</td>
          <td class="num">
            {m.significant ? m.pValue.toPrecision(2) : `${m.pValue.toPrecision(2)} (n.s.)`}
          </td>
          <td>
            <button type="button" class="btn" onClick={() => props.onAdd(m)}>
              Add
            </button>
          </td>
        </tr>
      ))}
    </ResultsTable>
  );
}
