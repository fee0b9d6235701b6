/**
 * One facet of the container list's filters (node, namespace, QoS class, runtime, pod): a
 * dropdown of checkboxes over the values `/api/containers` reports, with how many are chosen;
 * a click outside it, Escape or "done" closes it.
 *
 * @module
 */

import { useEffect, useRef, useState } from "preact/hooks";

/** Props of {@linkcode FacetFilter}. */
export interface FacetFilterProps {
  /** Shown name ("Namespace"). */
  label: string;
  values: readonly string[];
  chosen: readonly string[];
  onChange(chosen: string[]): void;
}

/** A facet's dropdown (see the module documentation). */
export function FacetFilter(props: FacetFilterProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const root = useRef<HTMLDivElement>(null);
  // A click anywhere else closes the menu.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onDown, true);
    return () => document.removeEventListener("pointerdown", onDown, true);
  }, [open]);
  // Chosen values the recording no longer has (a shared link) stay visible, to be unchecked.
  const values = [...new Set([...props.values, ...props.chosen])];
  const shown = values.filter((v) => v.toLowerCase().includes(query.toLowerCase()));
  const toggle = (v: string) =>
    props.onChange(
      props.chosen.includes(v) ? props.chosen.filter((c) => c !== v) : [...props.chosen, v],
    );
  return (
    <div
      ref={root}
      class={props.chosen.length ? "facet set" : "facet"}
      data-testid={`facet-${props.label.toLowerCase()}`}
      onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
    >
      <button
        type="button"
        class="facet-button"
        aria-expanded={open}
        disabled={values.length === 0}
        onClick={() => setOpen(!open)}
      >
        {props.label}
        {props.chosen.length ? <span class="count">{props.chosen.length}</span> : null}
        <span class="caret">▾</span>
      </button>
      {open
        ? (
          <div class="facet-menu" role="group" aria-label={props.label}>
            {values.length > 8
              ? (
                <input
                  type="search"
                  class="facet-search"
                  placeholder={`Filter ${props.label.toLowerCase()}s`}
                  aria-label={`Filter ${props.label.toLowerCase()} values`}
                  value={query}
                  onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
                />
              )
              : null}
            {shown.map((v) => (
              <label key={v} class="facet-option">
                <input
                  type="checkbox"
                  checked={props.chosen.includes(v)}
                  onChange={() => toggle(v)}
                />
                <span>{v}</span>
              </label>
            ))}
            <div class="facet-foot">
              <button type="button" class="link" onClick={() => props.onChange([])}>clear</button>
              <button type="button" class="link" onClick={() => setOpen(false)}>done</button>
            </div>
          </div>
        )
        : null}
    </div>
  );
}
