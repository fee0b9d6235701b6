/**
 * `fgm collect --view`: the viewer in the collector's process, over its output directory and the
 * rows it holds in memory (those since the last flush, and segments just written that the
 * recording has not walked yet), so that a chart is as fresh as the last sweep, not the last flush.
 *
 * @module
 */

import type { CollectObserver, CollectOptions } from "../collector/collect.ts";
import type { TableBuffers } from "../collector/tables.ts";
import { bufferColumns } from "../collector/table_buffer.ts";
import { type ColumnData, isMaskedColumn, vectorAt } from "../collector/parquet/write.ts";
import { createLiveSource } from "../recording/live.ts";
import { openRecording, type Recording } from "../recording/recording.ts";
import { serveViewer } from "./serve.ts";
import denoJson from "../deno.json" with { type: "json" };

/** The first `rows` rows of `columns`, copied (the collector reuses its buffers' arrays). */
export function copyColumns(columns: ColumnData, rows: number): ColumnData {
  const out: ColumnData = {};
  for (const [name, v] of Object.entries(columns)) {
    if (isMaskedColumn(v) && v.values instanceof Float64Array) {
      const nulls = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) nulls[i] = v.nulls[i] ? 1 : 0;
      out[name] = { values: v.values.slice(0, rows), nulls };
    } else {
      const cells = new Array(rows);
      for (let i = 0; i < rows; i++) cells[i] = vectorAt(v, i);
      out[name] = cells;
    }
  }
  return out;
}

/** The viewer beside a collector: its observer, and when to start and stop serving. */
export interface ViewerBeside {
  observer: CollectObserver;
  /** Starts serving (the output directory exists and is the collector's by now). */
  start(): void;
  /** Waits for the server to stop; throws what kept it from starting (a port in use). */
  stop(): Promise<void>;
}

/**
 * Prepares the viewer for `fgm collect --view`; `abort` stops the collector when the viewer
 * cannot start.
 */
export function viewBeside(
  o: CollectOptions,
  view: { port: number; host: string },
  signal: AbortSignal,
  abort: () => void = () => {},
): ViewerBeside {
  let buffers: TableBuffers | null = null;
  let rec: Recording | null = null;
  let failure: unknown = null;
  let finished: Promise<void> = Promise.resolve();
  const live = createLiveSource(
    o.node,
    () =>
      buffers === null ? [] : Object.values(buffers).map((b) => ({
        table: b.table.name,
        columns: bufferColumns(b),
        rows: b.rows,
      })),
  );
  return {
    observer: {
      buffers(b) {
        buffers = b;
      },
      written(table, path, columns, rows) {
        live.written(table, path, copyColumns(columns, rows), rows);
      },
      async flushed() {
        if (rec === null) return;
        await rec.refresh();
        live.settle((path) => rec!.catalog.has(path));
      },
    },
    start() {
      finished = (async () => {
        try {
          rec = await openRecording(o.out, { live });
          const server = serveViewer(rec, {
            port: view.port,
            host: view.host,
            signal,
            version: denoJson.version,
            live: true,
            manageMemory: false, // the collector's loop does it (collector/gc.ts)
          });
          console.error(`fgm collect: viewer on ${server.url}`);
          await server.finished;
        } catch (error) {
          failure = error;
          abort();
        } finally {
          rec?.close();
        }
      })();
    },
    async stop() {
      await finished;
      if (failure !== null) throw failure;
    },
  };
}
