/**
 * Row-group summaries: for one metric of one row group (a minute of a table as `fgm collect`
 * writes it), each entity's smallest, largest, sum and count of samples. A series query whose
 * buckets hold whole row groups (every step from a minute up: a day on a chart) merges these
 * instead of the rows, so a metric is decoded once and every later query of it — the ranking, the
 * overview, the panel, any zoom down to a minute — costs a few kilobytes a row group. They are
 * kept in memory (about 3.5 MB for a day of one metric of 50 containers), never written anywhere.
 *
 * @module
 */

import type { DecodedColumn, NumberColumn } from "./decode.ts";

/** An entity's key values as the rows have them: `[container_id]`, `[container_id, pid]`, `[]`. */
export type EntityKey = (string | number | null)[];

/**
 * The entities summaries refer to, each once: summaries hold numbers into this table, not their
 * own copies of ids and keys (a 64-hex id per entity per row group would be most of their size).
 */
export interface EntityRegistry {
  ids: string[];
  nodes: string[];
  keys: EntityKey[];
  /** The number of `key` on `node`, registered when new. */
  index(node: string, key: EntityKey): number;
}

/** An empty registry; `idOf` makes an entity's id from its node and key. */
export function createEntityRegistry(
  idOf: (node: string, key: EntityKey) => string,
): EntityRegistry {
  const byNode = new Map<string, Map<string | number | null, number>>();
  const ids: string[] = [];
  const nodes: string[] = [];
  const keys: EntityKey[] = [];
  return {
    ids,
    nodes,
    keys,
    index(node, key) {
      let known = byNode.get(node);
      if (known === undefined) byNode.set(node, known = new Map());
      // One key column (a container): its value itself; several: their values joined.
      const text = key.length === 1 ? key[0] : key.join("\0");
      let i = known.get(text);
      if (i === undefined) {
        i = ids.push(idOf(node, key)) - 1;
        nodes.push(node);
        keys.push(key);
        known.set(text, i);
      }
      return i;
    },
  };
}

/** One row group's summary of one metric: per entity (a registry number), its samples' figures. */
export interface Summary {
  entities: Int32Array;
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  count: Float64Array;
}

/**
 * Summarizes `n` rows of `metric` per entity (the values of `keyColumns`, on `node`); null values
 * are left out, an entity with no value keeps count 0.
 *
 * @example
 * ```ts
 * import { createEntityRegistry, summarize } from "./summaries.ts";
 * const registry = createEntityRegistry((node, key) => [node, ...key].join("/"));
 * const s = summarize(3, { kind: "number", values: new Float64Array([1, 5, 2]), nulls: null }, [
 *   { kind: "string", indices: new Int32Array([0, 1, 0]), dictionary: ["a", "b"] },
 * ], "n", registry);
 * console.assert(registry.ids[s.entities[0]] === "n/a" && s.max[0] === 2 && s.count[1] === 1);
 * ```
 */
export function summarize(
  n: number,
  metric: NumberColumn,
  keyColumns: readonly (DecodedColumn | undefined)[],
  node: string,
  registry: EntityRegistry,
): Summary {
  const entities: number[] = [];
  const add = (key: EntityKey) => entities.push(registry.index(node, key)) - 1;
  let rowEntity: (i: number) => number;
  if (keyColumns.length === 0) {
    add([]);
    rowEntity = () => 0;
  } else if (keyColumns.length === 1 && keyColumns[0]?.kind === "string") {
    const col = keyColumns[0];
    const local = new Int32Array(col.dictionary.length).fill(-1);
    let nullEntity = -1;
    rowEntity = (i) => {
      const k = col.indices[i];
      if (k < 0) return nullEntity < 0 ? (nullEntity = add([null])) : nullEntity;
      return local[k] < 0 ? (local[k] = add([col.dictionary[k]])) : local[k];
    };
  } else {
    const seen = new Map<string, number>();
    const valueOf = (c: DecodedColumn | undefined, i: number): string | number | null => {
      if (c === undefined) return null;
      if (c.kind === "string") return c.indices[i] < 0 ? null : c.dictionary[c.indices[i]];
      return c.nulls?.[i] ? null : c.values[i];
    };
    rowEntity = (i) => {
      const key = keyColumns.map((c) => valueOf(c, i));
      const text = key.join("\0");
      let e = seen.get(text);
      if (e === undefined) seen.set(text, e = add(key));
      return e;
    };
  }
  let size = 64;
  let min = new Float64Array(size).fill(Infinity);
  let max = new Float64Array(size).fill(-Infinity);
  let sum = new Float64Array(size);
  let count = new Float64Array(size);
  const v = metric.values;
  const nulls = metric.nulls;
  for (let i = 0; i < n; i++) {
    const e = rowEntity(i);
    if (e >= size) {
      const grow = (a: Float64Array, fill: number) => {
        const b = new Float64Array(size * 2).fill(fill);
        b.set(a);
        return b;
      };
      min = grow(min, Infinity);
      max = grow(max, -Infinity);
      sum = grow(sum, 0);
      count = grow(count, 0);
      size *= 2;
    }
    if (nulls?.[i]) continue;
    const x = v[i];
    if (x < min[e]) min[e] = x;
    if (x > max[e]) max[e] = x;
    sum[e] += x;
    count[e]++;
  }
  const k = entities.length;
  return {
    entities: Int32Array.from(entities),
    min: min.slice(0, k),
    max: max.slice(0, k),
    sum: sum.slice(0, k),
    count: count.slice(0, k),
  };
}

/** Summaries kept by key, least recently used dropped past `maxBytes`. */
export interface SummaryCache {
  get(key: string): Summary | undefined;
  put(key: string, summary: Summary): void;
  readonly bytes: number;
}

function sizeOf(s: Summary): number {
  // Five typed arrays and their buffers' headers.
  return s.entities.byteLength + s.min.byteLength * 4 + 5 * 96;
}

/** A cache of summaries holding at most `maxBytes` (estimated). */
export function createSummaryCache(maxBytes = 32 * 1024 * 1024): SummaryCache {
  const cache = new Map<string, Summary>();
  let bytes = 0;
  return {
    get(key) {
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
      }
      return hit;
    },
    put(key, summary) {
      const old = cache.get(key);
      if (old) bytes -= sizeOf(old);
      cache.delete(key);
      cache.set(key, summary);
      bytes += sizeOf(summary);
      for (const [k, s] of cache) {
        if (bytes <= maxBytes || k === key) break;
        cache.delete(k);
        bytes -= sizeOf(s);
      }
    },
    get bytes() {
      return bytes;
    },
  };
}
