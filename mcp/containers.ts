/**
 * Containers as an agent names and reads them: a short summary per container (name, short id,
 * pod, namespace, QoS class, runtime, node, when seen) from the recording's entity lists, filters
 * over those fields, and the containers a list of names means — a container name, a unique id
 * prefix, `namespace/pod`, a pod name or an entity id, as `fgm monitor` takes them. Pure.
 *
 * @module
 */

import type { Entity } from "../recording/entities.ts";
import { ArgumentError } from "./errors.ts";
import { iso } from "./time.ts";

/** One container as the tools list it. */
export interface ContainerSummary {
  /** The container's name (the Kubernetes container name for a pod's container). */
  name: string | null;
  /** The first 12 hex digits of its id. */
  id: string;
  pod: string | null;
  namespace: string | null;
  qos: string | null;
  runtime: string | null;
  node: string;
  firstSeen: string;
  lastSeen: string;
}

/** The filters of `list_containers` and `top_containers`; each list keeps any of its values. */
export interface ContainerFilter {
  namespace?: string[];
  pod?: string[];
  qos?: string[];
  runtime?: string[];
  node?: string[];
  /** Case-insensitive substring of name, pod, namespace or id. */
  search?: string;
}

const text = (e: Entity, k: string): string | null =>
  e.labels[k] === null || e.labels[k] === undefined ? null : String(e.labels[k]);

/** The summary of a `containers` entity. */
export function containerSummary(e: Entity): ContainerSummary {
  return {
    name: text(e, "container_name"),
    id: (text(e, "container_id") ?? "").slice(0, 12),
    pod: text(e, "pod_name"),
    namespace: text(e, "namespace"),
    qos: text(e, "qos_class"),
    runtime: text(e, "runtime"),
    node: e.node,
    firstSeen: iso(e.firstMs),
    lastSeen: iso(e.lastMs),
  };
}

/** The name a result gives an entity: its container name, else its short id. */
export function displayName(e: Entity): string {
  return text(e, "container_name") ?? (text(e, "container_id") ?? e.id).slice(0, 12);
}

/** The entities of `all` that `f` keeps. */
export function filterContainers(all: readonly Entity[], f: ContainerFilter): Entity[] {
  const search = f.search?.toLowerCase() ?? "";
  const keeps = (list: string[] | undefined, v: string | null) =>
    list === undefined || list.length === 0 || (v !== null && list.includes(v));
  return all.filter((e) => {
    const c = containerSummary(e);
    return keeps(f.namespace, c.namespace) && keeps(f.pod, c.pod) && keeps(f.qos, c.qos) &&
      keeps(f.runtime, c.runtime) && keeps(f.node, c.node) &&
      (search === "" ||
        [c.name, c.pod, c.namespace, text(e, "container_id")].some((v) =>
          v?.toLowerCase().includes(search)
        ));
  });
}

/**
 * The container `query` names among `all`: an entity id, a container name, a unique prefix of an
 * id, a pod name or `namespace/pod`, tried in that order.
 *
 * @throws {ArgumentError} when nothing or more than one container matches.
 */
export function resolveContainer(all: readonly Entity[], query: string): Entity {
  const q = query.trim().replace(/^\//, "");
  const id = (e: Entity) => text(e, "container_id") ?? "";
  const tiers = [
    all.filter((e) => e.id === q),
    all.filter((e) => text(e, "container_name") === q),
    all.filter((e) => q.length >= 4 && id(e).startsWith(q.toLowerCase())),
    all.filter((e) => text(e, "pod_name") === q),
    all.filter((e) => `${text(e, "namespace")}/${text(e, "pod_name")}` === q),
  ];
  for (const matches of tiers) {
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      throw new ArgumentError(
        `"${query}" matches ${matches.length} containers (${
          matches.slice(0, 5).map((e) => `${displayName(e)} ${id(e).slice(0, 12)} on ${e.node}`)
            .join(", ")
        }); give an id prefix`,
      );
    }
  }
  const names = all.slice(0, 12).map(displayName).join(", ");
  throw new ArgumentError(
    `no container "${query}" in the range (${all.length} there${
      all.length ? `: ${names}${all.length > 12 ? ", …" : ""}` : ""
    }; see list_containers)`,
  );
}
