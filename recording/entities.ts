/**
 * Who is in a recording, and when: the containers (with names, pod, namespace, QoS class,
 * runtime, pod labels), processes (with container, command and parent) and hosts of a time range,
 * from the entity lists in the files' footers (`fgm.entities`, REQ-DATA-005). A file without one
 * (an older fgm's, a foreign one) has its label columns read instead.
 *
 * @module
 */

import { yieldNow } from "./yield_now.ts";
import type { Catalog, RecordingFile } from "./catalog.ts";
import type { ChunkCache } from "./chunks.ts";
import type { FileFooter } from "./footer.ts";
import {
  ENTITIES_METADATA_KEY,
  entitiesOf,
  type EntityList,
  parseEntities,
} from "../collector/entities.ts";
import type { LiveSource } from "./live.ts";
import { entityId, keyColumns } from "./series.ts";
import { TABLES } from "../collector/tables.ts";

/** One entity seen in the range. */
export interface Entity {
  /** Its id in series queries ({@linkcode entityId}). */
  id: string;
  node: string;
  /** Label values by column (`container_name`, `namespace`, `pid`, `comm`, …). */
  labels: Record<string, string | number | null>;
  /** First and last sample time in the files that overlap the range (epoch ms). */
  firstMs: number;
  lastMs: number;
  /** Rows in those files. */
  rows: number;
}

/** What to list. */
export interface EntityQuery {
  table: string;
  fromMs?: number;
  toMs?: number;
  nodes?: readonly string[];
}

/** Entity lists already parsed (or read), by footer: a footer lives as long as its file. */
const parsed = new WeakMap<FileFooter, EntityList | null>();

function labelNames(table: string): string[] | null {
  const t = TABLES.find((x) => x.name === table);
  return t ? t.columns.filter((c) => c.kind === "label").map((c) => c.name) : null;
}

/** The entity list of a file without `fgm.entities`: its label columns, read. */
async function readEntities(
  catalog: Catalog,
  chunks: ChunkCache,
  file: RecordingFile,
  table: string,
): Promise<EntityList | null> {
  const footer = await catalog.footer(file);
  if (footer === null) return null;
  const names = (labelNames(table) ?? keyColumns(table).slice()).filter((n) =>
    footer.schema.columns.some((c) => c.name === n)
  );
  const key = keyColumns(table);
  const byKey = new Map<string, (string | number | null)[]>();
  for (let g = 0; g < footer.rowGroups.length; g++) {
    const rows = footer.rowGroups[g].rows;
    if (rows === 0) continue;
    const cols = await chunks.read(file, footer, g, ["time", ...names]);
    const time = cols.get("time");
    for (let i = 0; i < rows; i++) {
      const values = names.map((n) => {
        const c = cols.get(n);
        if (!c) return null;
        if (c.kind === "string") return c.indices[i] < 0 ? null : c.dictionary[c.indices[i]];
        return c.nulls?.[i] ? null : c.values[i];
      });
      const k = JSON.stringify(key.map((n) => values[names.indexOf(n)] ?? null));
      const t = time?.kind === "number" ? time.values[i] : null;
      const e = byKey.get(k);
      if (e === undefined) byKey.set(k, [...values, t, t, 1]);
      else {
        const n = names.length;
        values.forEach((v, c) => v !== null && (e[c] = v));
        if (t !== null) {
          e[n] = Math.min(e[n] as number, t);
          e[n + 1] = Math.max(e[n + 1] as number, t);
        }
        e[n + 2] = (e[n + 2] as number) + 1;
      }
    }
  }
  return { columns: names, rows: [...byKey.values()] };
}

/**
 * The entities of a table whose rows fall in the range (all time when none), one per id, with
 * their latest labels; sorted by node, then by name or key.
 */
export async function listEntities(
  catalog: Catalog,
  chunks: ChunkCache,
  q: EntityQuery,
  live?: LiveSource,
): Promise<Entity[]> {
  const from = q.fromMs ?? -Infinity;
  const to = q.toMs ?? Infinity;
  const nodes = q.nodes ? new Set(q.nodes) : null;
  const key = keyColumns(q.table);
  const out = new Map<string, Entity>();
  const sources: { file: { node: string; startMs: number; endMs: number }; list: EntityList }[] =
    [];
  for (const file of catalog.files(q.table)) {
    await yieldNow();
    if (file.startMs >= to || file.endMs < from) continue;
    if (nodes && !nodes.has(file.node)) continue;
    const footer = await catalog.footer(file);
    if (footer === null) continue;
    let list = parsed.get(footer);
    if (list === undefined) {
      list = parseEntities(footer.metadata[ENTITIES_METADATA_KEY]) ??
        await readEntities(catalog, chunks, file, q.table);
      parsed.set(footer, list);
    }
    if (list !== null) sources.push({ file, list });
  }
  // Rows a collector in this process holds that no listed file has yet: a container just started.
  const declared = TABLES.find((t) => t.name === q.table);
  for (const set of live?.rows(q.table) ?? []) {
    if (!declared || (set.path !== null && catalog.has(set.path))) continue;
    if (nodes && !nodes.has(set.node)) continue;
    sources.push({
      file: { node: set.node, startMs: -Infinity, endMs: Infinity },
      list: entitiesOf(declared, set.columns, set.rows),
    });
  }
  for (const { file, list } of sources) {
    const n = list.columns.length;
    for (const row of list.rows) {
      const first = row[n] as number | null;
      const last = row[n + 1] as number | null;
      if ((first !== null && first >= to) || (last !== null && last < from)) continue;
      const labels: Entity["labels"] = {};
      list.columns.forEach((c, i) => (labels[c] = row[i]));
      const node = file.node;
      const id = entityId(node, key.map((k) => labels[k] ?? null));
      const seen = out.get(id);
      if (seen === undefined) {
        out.set(id, {
          id,
          node,
          labels,
          firstMs: first ?? file.startMs,
          lastMs: last ?? file.endMs,
          rows: row[n + 2] as number,
        });
        continue;
      }
      if ((last ?? -Infinity) >= seen.lastMs) {
        for (const [k, v] of Object.entries(labels)) if (v !== null) seen.labels[k] = v;
      }
      seen.firstMs = Math.min(seen.firstMs, first ?? seen.firstMs);
      seen.lastMs = Math.max(seen.lastMs, last ?? seen.lastMs);
      seen.rows += row[n + 2] as number;
    }
  }
  const name = (e: Entity) =>
    String(e.labels.container_name ?? e.labels.comm ?? e.labels.pod_name ?? e.id);
  return [...out.values()].sort((a, b) =>
    a.node.localeCompare(b.node) || name(a).localeCompare(name(b)) || a.id.localeCompare(b.id)
  );
}
