/**
 * The metric picker: a dialog over every metric of every table (`/api/metrics`), searched fuzzily
 * (name first, then table and name, then the description), ranked best first, with the table,
 * unit, kind and description of each. Arrows move, Enter picks, Escape closes; tabs narrow it to
 * one table.
 *
 * @module
 */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { MetricInfo } from "./api.ts";
import { fuzzyRank, highlight } from "./fuzzy.ts";
import { kindPhrase, unitLabel } from "./format.ts";

/** Props of {@linkcode MetricPicker}. */
export interface MetricPickerProps {
  metrics: MetricInfo[];
  /** What the dialog is for ("Metric of panel 2", "Add a panel"). */
  title: string;
  /** The metric chosen now, marked in the list. */
  current?: { table: string; metric: string };
  onPick(m: MetricInfo): void;
  onClose(): void;
}

const LIMIT = 60;

/** The picker dialog (see the module documentation). */
export function MetricPicker(props: MetricPickerProps) {
  const [query, setQuery] = useState("");
  const [table, setTable] = useState<string | null>(null);
  const [at, setAt] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const tables = [...new Set(props.metrics.map((m) => m.table))];

  const ranked = useMemo(
    () =>
      fuzzyRank(
        props.metrics.filter((m) => table === null || m.table === table),
        query,
        (m) => [m.name, `${m.table} ${m.name}`, m.description],
      ).slice(0, LIMIT),
    [props.metrics, query, table],
  );

  useEffect(() => input.current?.focus(), []);
  useEffect(() => setAt(0), [query, table]);
  useEffect(() => {
    list.current?.querySelector(`[data-index="${at}"]`)?.scrollIntoView({ block: "nearest" });
  }, [at]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setAt((i) => (ranked.length ? (i + 1) % ranked.length : 0));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setAt((i) => (ranked.length ? (i - 1 + ranked.length) % ranked.length : 0));
    } else if (e.key === "PageDown") {
      e.preventDefault();
      setAt((i) => Math.min(ranked.length - 1, i + 8));
    } else if (e.key === "PageUp") {
      e.preventDefault();
      setAt((i) => Math.max(0, i - 8));
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (ranked[at]) props.onPick(ranked[at].item);
    } else if (e.key === "Escape") {
      e.preventDefault();
      props.onClose();
    }
  }

  return (
    <div
      class="backdrop"
      onPointerDown={(e) => e.target === e.currentTarget && props.onClose()}
    >
      <div
        class="picker"
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        onKeyDown={onKeyDown}
      >
        <div class="picker-head">
          <span class="picker-title">{props.title}</span>
          <span class="muted">↑↓ to move · Enter to pick · Esc to close</span>
        </div>
        <input
          ref={input}
          class="picker-input"
          type="search"
          placeholder="Search metrics, e.g. cpu thr, mws, rx"
          aria-label="Search metrics"
          aria-controls="metric-options"
          aria-activedescendant={ranked[at] ? `metric-option-${at}` : undefined}
          value={query}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
        <div class="tabs" role="tablist">
          {[null, ...tables].map((t) => (
            <button
              key={t ?? "all"}
              type="button"
              role="tab"
              aria-selected={table === t}
              class={table === t ? "tab on" : "tab"}
              onClick={() => {
                setTable(t);
                input.current?.focus();
              }}
            >
              {t ?? "all tables"}
            </button>
          ))}
        </div>
        <ul class="options" id="metric-options" role="listbox" ref={list}>
          {ranked.map(({ item: m, match, field }, i) => {
            const current = props.current?.table === m.table && props.current.metric === m.name;
            return (
              <li
                key={`${m.table}.${m.name}`}
                id={`metric-option-${i}`}
                role="option"
                aria-selected={i === at}
                data-index={i}
                data-table={m.table}
                data-metric={m.name}
                class={i === at ? "option on" : "option"}
                onMouseMove={() => i !== at && setAt(i)}
                onClick={() => props.onPick(m)}
              >
                <div class="option-line">
                  <span class="table-badge">{m.table}</span>
                  <span class="option-name">
                    {field === 0
                      ? highlight(m.name, match.positions).map((p, k) =>
                        p.hit ? <mark key={k}>{p.text}</mark> : <span key={k}>{p.text}</span>
                      )
                      : m.name}
                  </span>
                  {current ? <span class="current">current</span> : null}
                  <span class="option-unit">
                    {unitLabel(m.unit)}
                    {kindPhrase(m.kind) ? ` · ${kindPhrase(m.kind)}` : ` · ${m.kind}`}
                  </span>
                </div>
                <div class="option-description">{m.description}</div>
              </li>
            );
          })}
          {ranked.length === 0 ? <li class="option empty">No metric matches “{query}”.</li> : null}
        </ul>
      </div>
    </div>
  );
}
