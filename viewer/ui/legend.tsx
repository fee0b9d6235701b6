/**
 * A panel's legend: one chip per entity with its colour, name and value — at the time under the
 * mouse, else its newest value in the range. A click hides or shows the series, hovering
 * highlights it, × removes the entity from the panel. An entity without samples in the range says
 * so.
 *
 * @module
 */

import { useEffect, useState } from "preact/hooks";
import type { Series } from "./api.ts";
import { lastValue, valueAt } from "./datasets.ts";
import { formatValue } from "./format.ts";
import type { EntityLabel } from "./labels.ts";
import type { Cursor, Store } from "./store.ts";

/** Props of {@linkcode Legend}. */
export interface LegendProps {
  ids: string[];
  series: readonly Series[];
  stepMs: number;
  unit: string;
  labelOf(id: string): EntityLabel;
  colorOf(id: string): string;
  hidden: ReadonlySet<string>;
  cursor: Store<Cursor>;
  onToggle(id: string): void;
  onFocus(id: string | null): void;
  onRemove(id: string): void;
}

/** The legend of a panel (see the module documentation). */
export function Legend(props: LegendProps) {
  const [cursor, setCursor] = useState<Cursor>(props.cursor.get());
  useEffect(() => props.cursor.subscribe(setCursor), [props.cursor]);
  const byId = new Map(props.series.map((s) => [s.id, s]));
  return (
    <ul class="legend" aria-label="series">
      {props.ids.map((id) => {
        const s = byId.get(id);
        const v = s ? (cursor ? valueAt(s, cursor.t, props.stepMs) : lastValue(s)) : null;
        const label = props.labelOf(id);
        const hidden = props.hidden.has(id);
        return (
          <li
            key={id}
            class={hidden ? "chip off" : "chip"}
            data-testid="legend-item"
            data-id={id}
            title={`${label.title} — ${label.detail}\n${id}`}
            onMouseEnter={() => props.onFocus(id)}
            onMouseLeave={() => props.onFocus(null)}
          >
            <button
              type="button"
              class="chip-main"
              aria-pressed={!hidden}
              onClick={() => props.onToggle(id)}
            >
              <span class="swatch" style={{ background: props.colorOf(id) }} />
              <span class="chip-title">{label.title}</span>
              <span class="chip-detail">{label.detail}</span>
              <span class="chip-value">
                {s === undefined
                  ? "no samples"
                  : v === null
                  ? "–"
                  : formatValue(v.mean, props.unit)}
              </span>
            </button>
            <button
              type="button"
              class="chip-remove"
              aria-label={`remove ${label.title}`}
              onClick={() => props.onRemove(id)}
            >
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
