/**
 * The entities a series tool reads: in `containers`, the containers named (or those the filters
 * keep); in `processes`, the processes of those containers (and of the PIDs named); in `host`, the
 * nodes. Each with the label a result shows.
 *
 * @module
 */

import type { Entity } from "../recording/entities.ts";
import {
  type ContainerFilter,
  displayName,
  filterContainers,
  resolveContainer,
} from "./containers.ts";
import { ArgumentError } from "./errors.ts";
import { containersIn, type ToolContext } from "./tool.ts";

/** What a call names. */
export interface Selection extends ContainerFilter {
  containers?: string[];
  pids?: number[];
}

/** The entities chosen, by entity id, and whether the call narrowed them at all. */
export interface Selected {
  /** `undefined`: every entity of the table. */
  ids: string[] | undefined;
  entities: Map<string, Entity>;
}

const FILTER_KEYS = ["namespace", "pod", "qos", "runtime", "node", "search"] as const;

/** The entities of `table` in the range that `s` selects. */
export async function selectEntities(
  ctx: ToolContext,
  table: string,
  s: Selection,
  fromMs: number,
  toMs: number,
): Promise<Selected> {
  const filtered = FILTER_KEYS.some((k) => s[k] !== undefined);
  const containers = s.containers?.length || (filtered && table !== "host")
    ? await containersIn(ctx, fromMs, toMs)
    : [];
  let chosen: Entity[] | undefined;
  if (s.containers?.length) chosen = s.containers.map((q) => resolveContainer(containers, q));
  if (filtered && table !== "host") chosen = filterContainers(chosen ?? containers, s);
  if (s.pids?.length && table !== "processes") {
    throw new ArgumentError(`pids select processes: give table "processes" with them`);
  }
  const all = await ctx.rec.entities({ table, fromMs, toMs, nodes: s.node });
  const entities = new Map(all.map((e) => [e.id, e]));
  if (table === "containers") {
    if (chosen === undefined) return { ids: undefined, entities };
    for (const e of chosen) entities.set(e.id, e);
    return { ids: chosen.map((e) => e.id), entities };
  }
  if (table === "processes") {
    const of = chosen === undefined ? null : new Set(chosen.map((e) => e.labels.container_id));
    const pids = s.pids?.length ? new Set(s.pids) : null;
    if (of === null && pids === null) return { ids: undefined, entities };
    const ids = all.filter((e) =>
      (of === null || of.has(e.labels.container_id)) &&
      (pids === null || pids.has(Number(e.labels.pid)))
    ).map((e) => e.id);
    if (ids.length === 0) {
      throw new ArgumentError(
        `no process of ${
          [s.containers?.join(", "), s.pids?.length ? `PIDs ${s.pids.join(", ")}` : ""]
            .filter(Boolean).join(" with ")
        } in the range`,
      );
    }
    return { ids, entities };
  }
  if (s.containers?.length) {
    throw new ArgumentError(`table "${table}" has no containers: leave containers out`);
  }
  if (s.node?.length) {
    const missing = s.node.filter((n) => !entities.has(n));
    if (missing.length) {
      throw new ArgumentError(
        `no node ${missing.join(", ")} in the range (${[...entities.keys()].join(", ")})`,
      );
    }
    return { ids: s.node ? [...s.node] : undefined, entities };
  }
  return { ids: undefined, entities };
}

/** How a result names an entity: container name, `comm (pid)` in a container, or the node. */
export function labelOf(e: Entity | undefined, id: string): Record<string, string | number> {
  if (e === undefined) return { id };
  if (e.labels.pid != null) {
    return {
      process: `${e.labels.comm ?? "?"}`,
      pid: Number(e.labels.pid),
      container: e.labels.container_id == null
        ? "(host)"
        : String(e.labels.container_id).slice(0, 12),
      node: e.node,
    };
  }
  if (e.labels.container_id != null) {
    return {
      container: displayName(e),
      id: String(e.labels.container_id).slice(0, 12),
      node: e.node,
    };
  }
  return { node: e.node };
}
