/**
 * Containers as an agent names and reads them: a short summary per container (name, short id,
 * pod, namespace, QoS class, runtime, node, when seen) from the recording's entity lists, filters
 * over those fields, and the containers a list of names means — a container name, a unique id
 * prefix, `namespace/pod`, a pod name or an entity id, as `fgm monitor` takes them. Pure.
 *
 * @module
 */

import type { Entity } from "../recording/entities.ts";
import {
  type ContainerFilter,
  containerInfo,
  filterContainers as sharedFilter,
  matchContainers,
} from "../recording/containers.ts";
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

/** The filters of `list_containers` and `top_containers` (the viewer's, in recording/). */
export type { ContainerFilter } from "../recording/containers.ts";

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

/** The entities of `all` that `f` keeps, by the rules the viewer's list uses. */
export function filterContainers(all: readonly Entity[], f: ContainerFilter): Entity[] {
  const infos = all.map((e) => ({ ...containerInfo(e), entity: e }));
  return sharedFilter(infos, f).map((c) => c.entity);
}

/**
 * The container `query` names among `all`, by recording/containers.ts `matchContainers()` (an
 * entity id, a container id or name, an id prefix, a pod name or `namespace/pod`), which must be
 * exactly one.
 *
 * @throws {ArgumentError} when nothing or more than one container matches.
 */
export function resolveContainer(all: readonly Entity[], query: string): Entity {
  const id = (e: Entity) => text(e, "container_id") ?? "";
  const infos = all.map((e) => ({ ...containerInfo(e), entity: e }));
  const matches = matchContainers(infos, query).map((c) => c.entity);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new ArgumentError(
      `"${query}" matches ${matches.length} containers (${
        matches.slice(0, 5).map((e) => `${displayName(e)} ${id(e).slice(0, 12)} on ${e.node}`)
          .join(", ")
      }); give an id prefix`,
    );
  }
  const names = all.slice(0, 12).map(displayName).join(", ");
  throw new ArgumentError(
    `no container "${query}" in the range (${all.length} there${
      all.length ? `: ${names}${all.length > 12 ? ", …" : ""}` : ""
    }; see list_containers)`,
  );
}
