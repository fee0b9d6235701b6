/**
 * The containers of a recording as every reader of it names and filters them — the viewer's list
 * and ranking, `fgm analyze --container`, and `fgm mcp`'s tools: a container's labels as fields,
 * the filters (node, namespace, QoS class, runtime, pod, a search), and the containers a name
 * means. Pure: entities in, entities out.
 *
 * @module
 */

import type { Entity } from "./entities.ts";

/** A container's labels as fields, from its `containers` entity. */
export interface ContainerInfo {
  /** The entity id: `<node>/<container_id>`. */
  id: string;
  node: string;
  name: string | null;
  containerId: string;
  pod: string | null;
  namespace: string | null;
  qos: string | null;
  runtime: string | null;
  podLabels: Record<string, string> | null;
  firstMs: number;
  lastMs: number;
}

/** A label's value as text, or null. */
export function labelText(e: Entity, key: string): string | null {
  const v = e.labels[key];
  return v === null || v === undefined ? null : String(v);
}

/**
 * The fields of a `containers` entity.
 *
 * @example
 * ```ts
 * import { containerInfo } from "./containers.ts";
 * const c = containerInfo({
 *   id: "n/ab12", node: "n", firstMs: 0, lastMs: 1000, rows: 2,
 *   labels: { container_id: "ab12", container_name: "web", namespace: "shop" },
 * });
 * console.assert(c.name === "web" && c.namespace === "shop" && c.pod === null);
 * ```
 */
export function containerInfo(e: Entity): ContainerInfo {
  const s = (k: string) => labelText(e, k);
  let podLabels: Record<string, string> | null = null;
  try {
    podLabels = s("pod_labels") ? JSON.parse(s("pod_labels")!) : null;
  } catch { /* not JSON: left out */ }
  return {
    id: e.id,
    node: e.node,
    name: s("container_name"),
    containerId: s("container_id") ?? "",
    pod: s("pod_name"),
    namespace: s("namespace"),
    qos: s("qos_class"),
    runtime: s("runtime"),
    podLabels,
    firstMs: e.firstMs,
    lastMs: e.lastMs,
  };
}

/** Which containers to keep: each list keeps any of its values; absent or empty keeps all. */
export interface ContainerFilter {
  node?: readonly string[];
  namespace?: readonly string[];
  qos?: readonly string[];
  runtime?: readonly string[];
  pod?: readonly string[];
  /**
   * The letters of the name, the pod or the namespace in order (case-insensitive subsequence),
   * or a part of the id as written (64 hex digits hold most short queries as a subsequence).
   */
  search?: string;
}

/** Whether `query`'s letters appear in `text` in order (case-insensitive). */
export function subsequence(text: string, query: string): boolean {
  let i = 0;
  const t = text.toLowerCase();
  for (const ch of query.toLowerCase()) {
    i = t.indexOf(ch, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

/** Whether a container matches a search (see {@linkcode ContainerFilter.search}). */
export function matchesSearch(c: ContainerInfo, search: string): boolean {
  return [c.name, c.pod, c.namespace].some((v) => v !== null && subsequence(v, search)) ||
    c.containerId.includes(search.toLowerCase());
}

/**
 * The containers `f` keeps.
 *
 * @example
 * ```ts
 * import { type ContainerInfo, filterContainers } from "./containers.ts";
 * const c = (name: string, namespace: string) =>
 *   ({ id: `n/${name}`, node: "n", name, containerId: name, namespace } as ContainerInfo);
 * const kept = filterContainers([c("web", "shop"), c("db", "data")], { namespace: ["shop"] });
 * console.assert(kept.length === 1 && kept[0].name === "web");
 * ```
 */
export function filterContainers<T extends ContainerInfo>(
  all: readonly T[],
  f: ContainerFilter,
): T[] {
  const keeps = (list: readonly string[] | undefined, v: string | null) =>
    list === undefined || list.length === 0 || (v !== null && list.includes(v));
  const search = f.search ?? "";
  return all.filter((c) =>
    keeps(f.node, c.node) && keeps(f.namespace, c.namespace) && keeps(f.qos, c.qos) &&
    keeps(f.runtime, c.runtime) && keeps(f.pod, c.pod) &&
    (search === "" || matchesSearch(c, search))
  );
}

/**
 * The containers `query` names, tried in this order until one way matches: an entity id
 * (`<node>/<id>`), a full container id, a container name, a unique-looking id prefix (4 hex digits
 * or more), a pod name, `namespace/pod`. Empty when nothing matches; more than one when the name
 * is ambiguous (the caller says so).
 *
 * @example
 * ```ts
 * import { containerInfo, matchContainers } from "./containers.ts";
 * const web = containerInfo({
 *   id: "n/ab12cd", node: "n", firstMs: 0, lastMs: 0, rows: 1,
 *   labels: { container_id: "ab12cd", container_name: "web" },
 * });
 * console.assert(matchContainers([web], "web")[0] === web);
 * console.assert(matchContainers([web], "ab12")[0] === web);
 * console.assert(matchContainers([web], "db").length === 0);
 * ```
 */
export function matchContainers<T extends ContainerInfo>(all: readonly T[], query: string): T[] {
  const q = query.trim().replace(/^\//, "");
  const tiers: ((c: T) => boolean)[] = [
    (c) => c.id === q,
    (c) => c.containerId === q,
    (c) => c.name === q,
    (c) => /^[0-9a-f]{4,}$/i.test(q) && c.containerId.startsWith(q.toLowerCase()),
    (c) => c.pod === q,
    (c) => c.namespace !== null && c.pod !== null && `${c.namespace}/${c.pod}` === q,
  ];
  for (const tier of tiers) {
    const found = all.filter(tier);
    if (found.length > 0) return found;
  }
  return [];
}
