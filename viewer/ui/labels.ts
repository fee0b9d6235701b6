/**
 * How entities are named and coloured on charts and in lists: a container by its name with its
 * pod, namespace and short id beside it, a process by command and PID, a host by its node; series
 * colours from one palette readable on the dark theme. Pure.
 *
 * @module
 */

import type { ContainerInfo, EntityInfo } from "./api.ts";

/** Series colours, in order of use. */
export const PALETTE: readonly string[] = [
  "#5b9cff",
  "#ff9f43",
  "#2ed47a",
  "#ff5c7a",
  "#b48cff",
  "#f7d154",
  "#2fd0d0",
  "#ff7ad9",
  "#9ccc65",
  "#c7a17a",
];

/** The colour of the `i`-th series. */
export function colorAt(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** `#rrggbb` as `rgba(r, g, b, alpha)`. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** The first 12 characters of a container id, as docker prints it. */
export function shortId(containerId: string): string {
  return containerId.slice(0, 12);
}

/** An entity's name: what to show first, and what tells it apart. */
export interface EntityLabel {
  title: string;
  detail: string;
}

/** A container: its name (else its short id), with namespace/pod and the short id. */
export function containerLabel(c: ContainerInfo): EntityLabel {
  const pod = c.pod ? (c.namespace ? `${c.namespace}/${c.pod}` : c.pod) : null;
  return {
    title: c.name ?? shortId(c.containerId),
    detail: [pod, shortId(c.containerId)].filter((x) => x).join(" · "),
  };
}

/** What the UI knows of entities, to name them. */
export interface EntityLookup {
  containers: ReadonlyMap<string, ContainerInfo>;
  processes: ReadonlyMap<string, EntityInfo>;
}

/**
 * The label of an entity of `table` by its id, from what is known of it; an unknown one is named
 * from its id (`<node>/<container_id>[/<pid>]`).
 */
export function entityLabel(table: string, id: string, lookup: EntityLookup): EntityLabel {
  const parts = id.split("/");
  if (table === "containers") {
    const c = lookup.containers.get(id);
    if (c) return containerLabel(c);
    return { title: shortId(parts[1] ?? id), detail: parts[0] };
  }
  if (table === "processes") {
    const p = lookup.processes.get(id);
    const pid = p?.labels.pid ?? parts[2] ?? "?";
    const comm = p?.labels.comm;
    const containerId = String(p?.labels.container_id ?? parts[1] ?? "");
    const container = lookup.containers.get(`${parts[0]}/${containerId}`);
    const owner = container
      ? containerLabel(container).title
      : containerId
      ? shortId(containerId)
      : "host";
    return { title: comm ? `${comm} [${pid}]` : `pid ${pid}`, detail: owner };
  }
  if (table === "host") return { title: id, detail: "host" };
  return { title: id, detail: table };
}
