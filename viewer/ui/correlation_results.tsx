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

/** Props of {@linkcode CorrelationResults}. */
export interface CorrelationResultsProps {
  state: "idle" | "loading" | "ready" | "error";
  error: string | null;
  ids: readonly string[];
  target: string;
  matches: CorrelationMatch[];
  compared: number;
  metric: string;
  labelOf(id: string): EntityLabel;
  onTarget(id: string): void;
  onAdd(m: CorrelationMatch): void;
  onClose(): void;
}

/** How a lag reads: who moves first. */
export function lagPhrase(lagSeconds: number, metric: string): string {
  if (lagSeconds === 0) return "same time";
  return lagSeconds > 0
    ? `${metric} follows by ${lagSeconds} s`
    : `${metric} leads by ${-lagSeconds} s`;
}

/** The correlation list (see the module documentation). */
export function CorrelationResults(props: CorrelationResultsProps) {
  return (
    <div class="study" data-testid="correlations" data-state={props.state}>
      <div class="study-head">
        <strong>What correlates with</strong>
        <select
          aria-label="series to correlate"
          value={props.target}
          onChange={(e) => props.onTarget((e.target as HTMLSelectElement).value)}
        >
          {props.ids.map((id) => <option key={id} value={id}>{props.labelOf(id).title}</option>)}
        </select>
        <span class="muted">
          over the visible range, lags ±30 s; {props.compared} series compared
        </span>
        {props.state === "loading" ? <span class="spinner" aria-label="running" /> : null}
        <button
          type="button"
          class="btn icon"
          aria-label="close the correlations"
          onClick={props.onClose}
        >
          ✕
        </button>
      </div>
      {props.state === "error" ? <p class="error">The study failed: {props.error}</p> : null}
      {props.matches.length > 0
        ? (
          <table class="study-table">
            <thead>
              <tr>
                <th>series</th>
                <th class="num">r</th>
                <th>lag</th>
                <th class="num">p</th>
                <th />
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        )
        : props.state === "ready"
        ? <p class="muted">Nothing to compare with in the visible range.</p>
        : null}
    </div>
  );
}
