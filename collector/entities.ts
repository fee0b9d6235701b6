/**
 * The entities a file holds rows of — containers with their names and pod labels, processes with
 * their container and command, the host — stored in the file's key-value metadata under
 * {@linkcode ENTITIES_METADATA_KEY}, so that a reader lists who is in a recording, and when, from
 * footers alone (the seed's viewer kept a sidecar file per Parquet file for this; a footer needs no
 * second file). Each entity is the values of its table's label columns, with the time of its first
 * and last row in the file and its row count. Merged files carry the union of their sources'.
 *
 * @module
 */

import type { Table } from "./columns.ts";
import { type ColumnData, vectorAt } from "./parquet/write.ts";
import { commonMetadata } from "./parquet/compact.ts";

/** Key-value metadata key of a file's entity list. */
export const ENTITIES_METADATA_KEY = "fgm.entities";

/** A file's entities: the label columns, and one row of their values per entity. */
export interface EntityList {
  /** The table's label columns (every `kind: "label"` column), in table order. */
  columns: string[];
  /** Per entity: its label values, then first and last time (epoch ms) and row count. */
  rows: (string | number | null)[][];
}

/** The label columns of a table, in order: what identifies and describes an entity. */
export function labelColumns(table: Table): string[] {
  return table.columns.filter((c) => c.kind === "label").map((c) => c.name);
}

/** The key of an entity row: the values of the table's key columns, in `columns` order. */
function keyOf(list: EntityList, key: readonly string[], row: readonly unknown[]): string {
  return JSON.stringify(key.map((k) => row[list.columns.indexOf(k)] ?? null));
}

/**
 * The entities of rows `[0, rows)` of `columns` (rows in time order, as the collector writes
 * them): one per distinct value of the table's key, with the labels of its last row.
 *
 * @example
 * ```ts
 * import { entitiesOf } from "./entities.ts";
 * import { CONTAINERS } from "./tables.ts";
 * const cols = Object.fromEntries(CONTAINERS.columns.map((c) => [c.name, [null, null]]));
 * cols.time = [1000, 2000];
 * cols.node = ["n", "n"];
 * cols.container_id = ["a", "a"];
 * const list = entitiesOf(CONTAINERS, cols, 2);
 * console.assert(list.rows.length === 1 && list.rows[0].at(-1) === 2);
 * ```
 */
export function entitiesOf(table: Table, columns: ColumnData, rows: number): EntityList {
  const names = labelColumns(table);
  const vectors = names.map((n) => columns[n]);
  const time = columns.time;
  const byKey = new Map<string, (string | number | null)[]>();
  const keyIndex = table.key.map((k) => names.indexOf(k));
  for (let i = 0; i < rows; i++) {
    const key = keyIndex.length === 1
      ? String(vectorAt(vectors[keyIndex[0]], i) ?? "")
      : keyIndex.map((k) => String(vectorAt(vectors[k], i) ?? "")).join("\u0000");
    const t = time === undefined ? null : vectorAt(time, i);
    const ms = typeof t === "number" ? t : null;
    let entity = byKey.get(key);
    if (entity === undefined) {
      entity = [...names.map(() => null), ms, ms, 0];
      byKey.set(key, entity);
    }
    // The last row's labels win (a pod name learned later, say).
    for (let c = 0; c < names.length; c++) {
      const v = vectorAt(vectors[c], i);
      if (v !== null && v !== undefined) entity[c] = v as string | number;
    }
    const n = names.length;
    if (ms !== null) {
      entity[n] = entity[n] === null ? ms : Math.min(entity[n] as number, ms);
      entity[n + 1] = entity[n + 1] === null ? ms : Math.max(entity[n + 1] as number, ms);
    }
    entity[n + 2] = (entity[n + 2] as number) + 1;
  }
  return { columns: names, rows: [...byKey.values()] };
}

/**
 * The union of entity lists of one table (sources of a merge): an entity in several keeps the
 * earliest first time, the latest last time, the sum of rows and the labels of its latest list.
 */
export function mergeEntities(lists: readonly EntityList[], key: readonly string[]): EntityList {
  if (lists.length === 0) return { columns: [], rows: [] };
  const columns = lists[0].columns;
  const n = columns.length;
  const byKey = new Map<string, (string | number | null)[]>();
  for (const list of lists) {
    if (JSON.stringify(list.columns) !== JSON.stringify(columns)) {
      throw new TypeError(`Cannot merge entity lists of different columns`);
    }
    for (const row of list.rows) {
      const k = keyOf(list, key, row);
      const seen = byKey.get(k);
      if (seen === undefined) {
        byKey.set(k, [...row]);
        continue;
      }
      const earlier = (seen[n] as number | null) ?? Infinity;
      const first = Math.min(earlier, (row[n] as number | null) ?? Infinity);
      const last = Math.max(
        (seen[n + 1] as number | null) ?? -Infinity,
        (row[n + 1] as number | null) ?? -Infinity,
      );
      const later = ((row[n + 1] as number | null) ?? -Infinity) >=
        ((seen[n + 1] as number | null) ?? -Infinity);
      const labels = later ? row.slice(0, n) : seen.slice(0, n);
      byKey.set(k, [
        ...labels.map((v, i) => v ?? seen[i] ?? row[i] ?? null),
        Number.isFinite(first) ? first : null,
        Number.isFinite(last) ? last : null,
        (seen[n + 2] as number) + (row[n + 2] as number),
      ]);
    }
  }
  return { columns, rows: [...byKey.values()] };
}

/** Reads an entity list from metadata text; `null` when absent or malformed. */
export function parseEntities(text: string | undefined): EntityList | null {
  if (text === undefined) return null;
  try {
    const list = JSON.parse(text);
    if (
      !Array.isArray(list?.columns) || !Array.isArray(list?.rows) ||
      !list.rows.every((r: unknown) => Array.isArray(r) && r.length === list.columns.length + 3)
    ) {
      return null;
    }
    return list as EntityList;
  } catch {
    return null;
  }
}

/** The text stored under {@linkcode ENTITIES_METADATA_KEY}. */
export function entitiesMetadata(list: EntityList): Record<string, string> {
  return { [ENTITIES_METADATA_KEY]: JSON.stringify(list) };
}

/**
 * The key-value metadata of a file merged from `sources` (`fgm _compact`): what they all agree on
 * (the contract's version) and the union of their entity lists. A source without a readable list
 * (a file of an older fgm) leaves the merged file without one: a reader then reads the label
 * columns instead.
 */
export function mergeFileMetadata(
  sources: readonly Record<string, string>[],
  tables: readonly Table[],
): Record<string, string> {
  const out = commonMetadata(sources);
  delete out[ENTITIES_METADATA_KEY];
  const lists = sources.map((m) => parseEntities(m[ENTITIES_METADATA_KEY]));
  if (lists.length === 0 || lists.some((l) => l === null)) return out;
  const columns = JSON.stringify(lists[0]!.columns);
  const table = tables.find((t) => JSON.stringify(labelColumns(t)) === columns);
  if (table === undefined) return out;
  return { ...out, ...entitiesMetadata(mergeEntities(lists as EntityList[], table.key)) };
}
