/**
 * A recording opened for reading: the one entry point of `fgm view`, `fgm analyze` and `fgm mcp`
 * to a directory (or file) `fgm collect` wrote. It holds the catalog of files, the cache of decoded
 * chunks, and — for `fgm collect --view` — the collector's rows that no file holds yet.
 *
 * @module
 */

import { type Catalog, type CatalogOptions, openCatalog } from "./catalog.ts";
import { type ChunkCache, createChunkCache } from "./chunks.ts";
import { createEntityRegistry, createSummaryCache } from "./summaries.ts";
import { type Entity, type EntityQuery, listEntities } from "./entities.ts";
import { entityId, querySeries, type SeriesQuery, type SeriesResult } from "./series.ts";
import { columnCatalog, type ColumnInfo } from "../collector/columns.ts";
import { TABLES } from "../collector/tables.ts";
import type { LiveSource } from "./live.ts";
import { vectorAt } from "../collector/parquet/write.ts";

/** A metric a query can ask for: a column of a table that is not a label or the time. */
export type Metric = ColumnInfo;

/** Options of {@linkcode openRecording}. */
export interface RecordingOptions extends CatalogOptions {
  /** Bytes of decoded column chunks kept (default 48 MiB: a day of one metric of 50 containers is ~90 MB decoded, and the viewer stays under 300 MB). */
  cacheBytes?: number;
  /** Bytes of row-group summaries kept (default 16 MiB: a day of seven metrics of 50 containers). */
  summaryBytes?: number;
  /** Rows a collector in this process holds that no file has yet (`collect --view`). */
  live?: LiveSource;
}

/** An open recording. */
export interface Recording {
  readonly catalog: Catalog;
  /** The tables with rows: in files, or in a collector's memory (`collect --view`). */
  tables(): string[];
  /** The nodes with rows, likewise. */
  nodes(): string[];
  /** The metrics of the tables present, with unit, kind and description. */
  metrics(): Promise<Metric[]>;
  series(q: SeriesQuery): Promise<SeriesResult>;
  entities(q: EntityQuery): Promise<Entity[]>;
  /** First and last sample time, or `null` for an empty recording. */
  range(): Promise<{ startMs: number; endMs: number } | null>;
  /** Walks the directory again; returns how many files changed. */
  refresh(): Promise<number>;
  close(): void;
}

/**
 * Opens the recording at `path`.
 *
 * @throws {Error} `Cannot open "<path>": …` when it is neither a directory nor a file.
 */
export async function openRecording(
  path: string,
  options: RecordingOptions = {},
): Promise<Recording> {
  const catalog = await openCatalog(path, options);
  const summaries = {
    cache: createSummaryCache(options.summaryBytes ?? 16 * 1024 * 1024),
    registry: createEntityRegistry(entityId),
  };
  const chunks: ChunkCache = createChunkCache(options.cacheBytes ?? 48 * 1024 * 1024);
  // Queries run one at a time, in the order asked: the first panel's answer is not held back by
  // the other four reading their files in between its reads (the reads are synchronous, the
  // awaits between files interleave), and only one query's decoded chunks are in flight.
  let lane: Promise<unknown> = Promise.resolve();
  const queued = <T>(run: () => Promise<T>): Promise<T> => {
    const next = lane.then(run, run);
    lane = next.catch(() => {});
    return next;
  };
  const liveSets = () => TABLES.flatMap((t) => options.live?.rows(t.name) ?? []);
  const tables = () => {
    const names = new Set(catalog.tables());
    for (const set of liveSets()) if (set.rows > 0) names.add(set.table);
    return [...names].sort();
  };
  return {
    catalog,
    tables,
    nodes() {
      const names = new Set(catalog.nodes());
      for (const set of liveSets()) if (set.rows > 0) names.add(set.node);
      return [...names].sort();
    },
    async metrics() {
      const out: Metric[] = [];
      for (const table of tables()) {
        const declared = TABLES.find((t) => t.name === table);
        if (declared) {
          out.push(
            ...columnCatalog([declared]).filter((c) => c.kind !== "label" && c.kind !== "time"),
          );
          continue;
        }
        // A table fgm does not declare: its numeric columns, from a footer.
        const footer = await catalog.footer(catalog.files(table)[0]);
        for (const c of footer?.schema.columns ?? []) {
          if (c.name === "time" || c.type === "string" || c.type === "bool") continue;
          out.push({
            table: table as ColumnInfo["table"],
            name: c.name,
            type: c.type as ColumnInfo["type"],
            nullable: c.nullable,
            unit: (c.unit as ColumnInfo["unit"]) ?? "count",
            kind: (c.kind as ColumnInfo["kind"]) ?? "gauge",
            description: c.description ?? "",
            source: c.source ?? "",
          });
        }
      }
      return out;
    },
    series: (q) => queued(() => querySeries(catalog, chunks, q, options.live, summaries)),
    entities: (q) => queued(() => listEntities(catalog, chunks, q, options.live)),
    async range() {
      const files = await catalog.range();
      if (!options.live) return files;
      // The collector's rows in memory reach further than any file.
      let startMs = files?.startMs ?? Infinity;
      let endMs = files?.endMs ?? -Infinity;
      for (const t of TABLES) {
        for (const set of options.live.rows(t.name)) {
          const time = set.columns.time;
          if (!time || set.rows === 0) continue;
          const first = vectorAt(time, 0);
          const last = vectorAt(time, set.rows - 1);
          if (typeof first === "number") startMs = Math.min(startMs, first);
          if (typeof last === "number") endMs = Math.max(endMs, last);
        }
      }
      return Number.isFinite(startMs) ? { startMs, endMs } : null;
    },
    refresh: () => catalog.refresh(),
    close: () => chunks.close(),
  };
}
