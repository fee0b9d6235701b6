/**
 * Binds the viewer's handler to a socket with `Deno.serve`, keeps a live recording's file list
 * fresh (walked again every 2 s while the server runs), and stops on `signal`.
 *
 * @module
 */

import type { Recording } from "../recording/recording.ts";
import { createHandler } from "./server.ts";
import { ASSETS } from "./assets.ts";
import { defaultView } from "./ui/defaults.ts";
import { createGarbageCollector, limitHeapGrowth, releaseFreedMemory } from "../collector/gc.ts";

/** Options of {@linkcode serveViewer}. */
export interface ServeOptions {
  port: number;
  host: string;
  signal: AbortSignal;
  version?: string;
  /** Walk the recording again every `refreshMs` (a directory still being written). */
  live?: boolean;
  refreshMs?: number;
  /** Read what the first view asks for while the browser starts (default true). */
  warm?: boolean;
  /**
   * Keep memory near what is live (default true; `collect --view` leaves it to the collector): V8's
   * heap growing factor limited, and after an answer, a full collection when the old generation is
   * 16 MiB above its least (a day's query leaves tens of MiB of garbage that V8 would keep), then
   * the C library's free memory given back. Peak RSS of a day's session: 313 → 234 MiB.
   */
  manageMemory?: boolean;
}

/** A running viewer. */
export interface RunningViewer {
  url: string;
  port: number;
  finished: Promise<void>;
}

/**
 * Serves the viewer over `rec`.
 *
 * @throws {Error} `Cannot listen on <host>:<port>: …` when the address is taken or not ours.
 */
export function serveViewer(rec: Recording, o: ServeOptions): RunningViewer {
  let port = o.port;
  // Bound to an address other than loopback (0.0.0.0 in a pod) on purpose: any host name.
  const anyHost = !["127.0.0.1", "localhost", "::1"].includes(o.host);
  let handler: (r: Request) => Promise<Response> = () =>
    Promise.resolve(new Response(null, { status: 503 }));
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      port,
      hostname: o.host,
      signal: o.signal,
      onListen: () => {},
    }, (request) => handler(request));
  } catch (error) {
    const why = error instanceof Deno.errors.AddrInUse
      ? "the port is in use (choose another with --port)"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new Error(`Cannot listen on ${o.host}:${port}: ${why}`);
  }
  port = (server.addr as Deno.NetAddr).port;
  const answer = createHandler(
    rec,
    { anyHost, assets: ASSETS, version: o.version, live: o.live },
    port,
  );
  if (o.manageMemory !== false) {
    limitHeapGrowth();
    const collector = createGarbageCollector({ collectFirst: false });
    handler = (request) =>
      answer(request).finally(() => {
        if (collector.maybeCollect()) releaseFreedMemory();
      });
  } else handler = answer;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (o.live) {
    let busy = false;
    timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        await rec.refresh();
      } catch {
        /* the next walk tries again */
      } finally {
        busy = false;
      }
    }, o.refreshMs ?? 2000);
  }
  if (o.warm !== false) void warmUp(rec);
  const shown = o.host.includes(":") ? `[${o.host}]` : o.host === "0.0.0.0" ? "127.0.0.1" : o.host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    finished: server.finished.finally(() => clearInterval(timer)),
  };
}

/**
 * Reads, right after the server listens, what a fresh view asks for first — the footers and
 * entities of the default table and its first default metric over the whole recording — so that
 * the time the browser takes to start and load the page is not lost. Queries run one at a time in
 * order, so a request that comes meanwhile waits for at most this much work, which it needs anyway.
 */
async function warmUp(rec: Recording): Promise<void> {
  try {
    const range = await rec.range();
    if (range === null) return;
    const view = defaultView(rec.tables(), await rec.metrics());
    if (view === null) return;
    const q = { table: view.table, fromMs: range.startMs, toMs: range.endMs + 1 };
    await rec.entities(q);
    await rec.series({ ...q, metric: view.metrics[0], points: 1 });
  } catch { /* only a head start: the request that needs it says what is wrong */ }
}
