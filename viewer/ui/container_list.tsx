/**
 * The sidebar: the containers with rows in the visible range (`/api/containers`), searched
 * (subsequence of name, pod, namespace or id, best matches first) and filtered by node, namespace,
 * QoS class, runtime and pod. A click shows or hides a container on every containers panel; "top
 * N" shows the N highest by the active panel's metric in the visible range; each container's
 * processes, and the host, are one click away.
 *
 * @module
 */

import { useEffect, useMemo, useState } from "preact/hooks";
import type { ContainerInfo, ContainersAnswer } from "./api.ts";
import { FacetFilter } from "./facet_filter.tsx";
import { fuzzyRank } from "./fuzzy.ts";
import { containerLabel, shortId } from "./labels.ts";
import type { FacetName, Filters } from "./state.ts";

/** Props of {@linkcode ContainerList}. */
export interface ContainerListProps {
  answer: ContainersAnswer | null;
  error: string | null;
  filters: Filters;
  selected: ReadonlySet<string>;
  /** The metric "top N" ranks by. */
  topMetric: string;
  hostAvailable: boolean;
  onFilters(f: Partial<Filters>): void;
  onToggle(id: string): void;
  onShow(ids: string[]): void;
  onTop(n: number): void;
  onProcesses(c: ContainerInfo): void;
  onHost(): void;
}

const FACETS: { name: FacetName; label: string }[] = [
  { name: "namespaces", label: "Namespace" },
  { name: "nodes", label: "Node" },
  { name: "qos", label: "QoS" },
  { name: "runtimes", label: "Runtime" },
  { name: "pods", label: "Pod" },
];

/** The sidebar (see the module documentation). */
export function ContainerList(props: ContainerListProps) {
  const [search, setSearch] = useState(props.filters.search);
  const [n, setN] = useState(5);
  useEffect(() => setSearch(props.filters.search), [props.filters.search]);
  useEffect(() => {
    if (search === props.filters.search) return;
    const timer = setTimeout(() => props.onFilters({ search }), 150);
    return () => clearTimeout(timer);
  }, [search]);

  const containers = props.answer?.containers ?? [];
  const ordered = useMemo(() => {
    if (props.filters.search.trim() === "") {
      return [...containers].sort((a, b) =>
        (a.namespace ?? "").localeCompare(b.namespace ?? "") ||
        (a.name ?? a.containerId).localeCompare(b.name ?? b.containerId)
      );
    }
    const ranked = fuzzyRank(
      containers,
      props.filters.search,
      (c) => [c.name ?? "", `${c.name ?? ""} ${c.pod ?? ""} ${c.namespace ?? ""} ${c.containerId}`],
    );
    // The server matched these; any its wider search found and the ranking did not stay, last.
    const seen = new Set(ranked.map((r) => r.item.id));
    return [...ranked.map((r) => r.item), ...containers.filter((c) => !seen.has(c.id))];
  }, [containers, props.filters.search]);

  const facets = props.answer?.facets ?? {};
  const filtered = FACETS.some((f) => props.filters[f.name].length > 0) ||
    props.filters.search !== "";

  return (
    <aside class="sidebar" aria-label="containers">
      <div class="side-section">
        <div class="side-title">
          <span>Containers</span>
          <button
            type="button"
            class="btn small"
            disabled={!props.hostAvailable}
            title={props.hostAvailable
              ? "Add a panel of the host"
              : "This recording has no host table"}
            onClick={props.onHost}
          >
            Host
          </button>
        </div>
        <input
          id="container-search"
          class="search"
          type="search"
          placeholder="Search name, pod, namespace, id  ( / )"
          aria-label="Search containers"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
        <div class="facets">
          {FACETS.map((f) => (
            <FacetFilter
              key={f.name}
              label={f.label}
              values={facets[f.name] ?? []}
              chosen={props.filters[f.name]}
              onChange={(chosen) => props.onFilters({ [f.name]: chosen })}
            />
          ))}
        </div>
        {filtered
          ? (
            <div class="chosen">
              {FACETS.flatMap((f) =>
                props.filters[f.name].map((v) => (
                  <button
                    key={`${f.name}:${v}`}
                    type="button"
                    class="pill"
                    title={`Remove the ${f.label.toLowerCase()} filter ${v}`}
                    onClick={() =>
                      props.onFilters({ [f.name]: props.filters[f.name].filter((x) => x !== v) })}
                  >
                    {f.label.toLowerCase()}: {v} ×
                  </button>
                ))
              )}
              <button
                type="button"
                class="link"
                onClick={() =>
                  props.onFilters({
                    search: "",
                    nodes: [],
                    namespaces: [],
                    qos: [],
                    runtimes: [],
                    pods: [],
                  })}
              >
                clear all
              </button>
            </div>
          )
          : null}
        <div class="top-row">
          <button type="button" class="btn small" onClick={() => props.onTop(n)}>
            Top
          </button>
          <select
            aria-label="how many"
            value={n}
            onChange={(e) => setN(Number((e.target as HTMLSelectElement).value))}
          >
            {[1, 2, 3, 5, 10, 20].map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
          <span class="muted ellipsis" title={props.topMetric}>by max {props.topMetric}</span>
        </div>
      </div>
      <div class="list-head muted">
        <span data-testid="container-count">
          {props.answer
            ? `${ordered.length} container${ordered.length === 1 ? "" : "s"}`
            : "loading…"}
        </span>
        {filtered && ordered.length > 0
          ? (
            <button
              type="button"
              class="link"
              title="Show exactly these (at most 10) on the containers panels"
              onClick={() => props.onShow(ordered.slice(0, 10).map((c) => c.id))}
            >
              show these
            </button>
          )
          : null}
      </div>
      {props.error ? <p class="error side-error">{props.error}</p> : null}
      <ul class="containers" data-testid="containers">
        {ordered.map((c) => {
          const label = containerLabel(c);
          const on = props.selected.has(c.id);
          return (
            <li
              key={c.id}
              class={on ? "container on" : "container"}
              data-testid="container"
              data-id={c.id}
              data-name={c.name ?? ""}
            >
              <label
                class="container-main"
                title={`${c.id}\nfirst ${new Date(c.firstMs).toISOString()}\nlast ${
                  new Date(c.lastMs).toISOString()
                }`}
              >
                <input type="checkbox" checked={on} onChange={() => props.onToggle(c.id)} />
                <span class="container-text">
                  <span class="container-name">{label.title}</span>
                  <span class="container-detail">
                    {[
                      c.namespace && c.pod ? `${c.namespace}/${c.pod}` : c.pod,
                      c.qos,
                      c.runtime,
                      shortId(c.containerId),
                    ]
                      .filter((x) => x).join(" · ")}
                  </span>
                </span>
              </label>
              <button
                type="button"
                class="btn small ghost"
                title="Add a panel of this container's processes"
                aria-label={`processes of ${label.title}`}
                onClick={() => props.onProcesses(c)}
              >
                procs
              </button>
            </li>
          );
        })}
        {props.answer && ordered.length === 0
          ? <li class="muted empty">No container matches these filters in the visible range.</li>
          : null}
      </ul>
    </aside>
  );
}
