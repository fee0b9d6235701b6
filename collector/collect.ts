/**
 * The collector loop: one sweep per tick on whole wall-clock multiples of the interval, rows
 * appended to in-memory column buffers, a complete Parquet segment per table written every
 * `flushMs` (so a SIGKILL loses at most that much), small files compacted between ticks,
 * retention applied after each flush. Failures (disk full, unwritable directory, garbage in a
 * cgroup file) are reported on stderr and counted in the `host` table; collection goes on.
 *
 * Reaches: the disk (the output directory: segments, `session.json`), /proc and cgroup files
 * (through the reader), the network (the Kubernetes API, through `kubernetes.ts`).
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };
import type { Roots } from "../reader/fs.ts";
import {
  collectSweep,
  createReaderContext,
  PROCESS_CGROUP_RECHECK_SWEEPS,
  type Snapshot,
  sweep,
  type SweepPlan,
} from "../reader/sweep.ts";
import { COLLECT_WALK_INTERVAL_MS } from "../reader/sweep_plan.ts";
import type { OptionalCgroupStat } from "../reader/cgroup_stats.ts";
import { parseSmapsRollup } from "../reader/parse/proc_pid_smaps_rollup.ts";
import { parsePidStat } from "../reader/parse/proc_pid_stat.ts";
import { type ColumnData, writeTableFile } from "./parquet/write.ts";
import { tmpPathFor } from "./parquet/atomic.ts";
import { recoverCompactions } from "./parquet/compact.ts";
import { createMaintainer } from "./maintenance.ts";
import { failureChanges, type FailureState } from "./error_log.ts";
import { isCompleteParquet } from "./parquet/read.ts";
import { createPodDirectory } from "./kubernetes.ts";
import { enrichSnapshot, podLabelsOf } from "./enrich.ts";
import { advance, cadenceDue, flushDue, nextTick, sleepUntil } from "./schedule.ts";
import { lockOutDir } from "./out_lock.ts";
// File times are sample times: windows and the maintainer compare them on the samples' clock, so
// that a wall clock stepped back holds no window in memory, nor a step forward expires every file.
import { sampleClockMs } from "../reader/clock.ts";
import { appendSweep, CONTAINERS, HOST, PROCESSES, type TableBuffers } from "./tables.ts";
import {
  bufferColumns,
  columnValues,
  newBuffer,
  retainRows,
  selectRows,
  type TableBuffer,
} from "./table_buffer.ts";
import { contractMetadata } from "./columns.ts";
import { entitiesMetadata, entitiesOf } from "./entities.ts";
import {
  dayOf,
  ensurePartitionDir,
  foreignEntries,
  hasContract1Files,
  listDataFiles,
  listPartitions,
  parseFileName,
  partitionDir,
  segmentName,
} from "./files.ts";
import { createFirstTier, type FirstTier } from "./windows.ts";
import { nextWriteOutage, type WriteOutage } from "./write_outage.ts";
import { createGarbageCollector, limitHeapGrowth, releaseFreedMemory } from "./gc.ts";
import { createColdPageReleaser } from "./cold_pages.ts";
import { collectorFigures, RunTally, type SelfSample } from "./tally.ts";

/** Settings of one collector run. */
export interface CollectOptions {
  out: string;
  node: string;
  intervalMs: number;
  /** PSS (smaps_rollup) cadence; 0 turns PSS off. */
  pssIntervalMs: number;
  /** Most time between a sample and its file on disk. */
  flushMs: number;
  compactMinAgeMs: number;
  compactSpanMs: number;
  retentionMs: number | null;
  maxDiskBytes: number | null;
  /** Also record processes outside containers. */
  hostProcesses: boolean;
  /** Kubernetes service account directory (token, ca.crt); default the in-cluster mount. */
  serviceAccountDir?: string;
  roots: Partial<Roots>;
  /** Stop after this long (tests, timed captures); `null` runs until a signal. */
  durationMs: number | null;
}

/** What a run did, for the final log line and tests. */
export interface CollectSummary {
  runId: string;
  ticks: number;
  missedTicks: number;
  filesWritten: number;
  /** First-tier files written from the rows in memory (REQ-COL-027). */
  windowsCompacted: number;
  /** Merges run by child processes (`fgm _compact`). */
  merges: number;
  errors: number;
}

/** The run's description written to `<out>/session.json`. */
export interface Session {
  runId: string;
  node: string;
  startedAt: string;
  version: string;
  pid: number;
  config: Omit<CollectOptions, "roots"> & { roots: Partial<Roots> };
  previousRuns: { runId: string; startedAt: string }[];
}

function log(message: string): void {
  console.error(`fgm collect: ${message}`);
}

/**
 * Writes `<out>/session.json` atomically, keeping the ids of earlier runs into `out`. A
 * `session.json` that is not fgm's (not JSON with a `runId` and a `version`) is left as it is:
 * the session is then not written, and `null` returned.
 */
export function writeSession(out: string, session: Omit<Session, "previousRuns">): Session | null {
  const path = `${out}/session.json`;
  let previousRuns: Session["previousRuns"] = [];
  let text: string | null = null;
  try {
    text = Deno.readTextFileSync(path);
  } catch { /* first run into this directory */ }
  if (text !== null) {
    let old: Partial<Session> | null = null;
    try {
      old = JSON.parse(text);
    } catch { /* not ours */ }
    if (typeof old?.runId !== "string" || typeof old?.version !== "string") return null;
    previousRuns = [
      ...(Array.isArray(old.previousRuns) ? old.previousRuns : []),
      { runId: old.runId, startedAt: String(old.startedAt) },
    ].slice(-100);
  }
  const full = { ...session, previousRuns };
  const tmp = tmpPathFor(path);
  Deno.writeTextFileSync(tmp, JSON.stringify(full, null, 2) + "\n");
  Deno.renameSync(tmp, path);
  return full;
}

/**
 * Runs the collector until `signal` aborts or `durationMs` passes, then writes everything sampled
 * and returns. `started` is called once the output directory is ours (REQ-COL-036).
 *
 * @throws {Error} `OutDirInUseError` (out_lock.ts) when another collector runs on `o.out`.
 */
export async function collect(
  o: CollectOptions,
  signal: AbortSignal,
  started: () => void = () => {},
  observer: CollectObserver = {},
): Promise<CollectSummary> {
  Deno.mkdirSync(o.out, { recursive: true });
  // Before recovery, which would delete another running collector's temporary files.
  const lock = lockOutDir(o.out);
  started();
  try {
    return await collectLocked(o, signal, observer);
  } finally {
    lock.release();
  }
}

/**
 * Who else looks at the rows as they are collected (`collect --view`): told of the buffers once,
 * of each segment as it is written (its rows: copy them, the buffer reuses its arrays), and after
 * each flush.
 */
export interface CollectObserver {
  buffers?(buffers: TableBuffers): void;
  written?(table: string, path: string, columns: ColumnData, rows: number): void;
  flushed?(): Promise<void> | void;
}

/**
 * Start-up in an output directory that is ours: settles what a previous run left (interrupted
 * compactions, temporary files, files cut short by a crash), says what is not fgm's, and writes
 * this run's `session.json`. Returns the run's id.
 */
async function startRun(o: CollectOptions): Promise<string> {
  const recovered = await recoverCompactions(listPartitions(o.out).map((d) => d.path), {
    owns: (name) => parseFileName(name) !== null,
  });
  const fixed = recovered.finished.length + recovered.rolledBack.length;
  if (fixed > 0 || recovered.deletedTmp.length > 0) {
    log(
      `recovered a previous run: ${fixed} interrupted compactions, ${recovered.deletedTmp.length} temporary files removed`,
    );
  }
  for (const p of recovered.problems) log(`cannot recover "${p.path}": ${p.reason}`);
  for (const f of listDataFiles(o.out)) {
    if (!isCompleteParquet(f.path)) {
      log(`removing "${f.path}": not a complete Parquet file (cut short by a crash)`);
      Deno.removeSync(f.path);
    }
  }
  const foreign = foreignEntries(o.out);
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((f) => `"${f}"`).join(", ");
    log(
      `"${o.out}" also holds ${foreign.length} file(s) that are not fgm's (${shown}${
        foreign.length > 3 ? ", …" : ""
      }): fgm never deletes, renames or rewrites them`,
    );
  }
  if (hasContract1Files(o.out)) {
    log(
      `"${o.out}" holds files of fgm's first layout (dt=…/identifier=… for every table): they are left as they are, neither compacted nor deleted by retention; new files go to ${o.out}/<table>/`,
    );
  }
  const runId = crypto.randomUUID();
  const written = writeSession(o.out, {
    runId,
    node: o.node,
    startedAt: new Date().toISOString(),
    version: denoJson.version,
    pid: Deno.pid,
    config: o,
  });
  if (written === null) {
    log(`"${o.out}/session.json" is not fgm's: it is left as it is, and this run's is not written`);
  }
  return runId;
}

async function collectLocked(
  o: CollectOptions,
  signal: AbortSignal,
  observer: CollectObserver,
): Promise<CollectSummary> {
  const runId = await startRun(o);
  const ctx = createReaderContext({
    roots: o.roots,
    handleIdleSweeps: PROCESS_CGROUP_RECHECK_SWEEPS + 1,
  });
  const buffers: TableBuffers = {
    containers: newBuffer(CONTAINERS),
    processes: newBuffer(PROCESSES),
    host: newBuffer(HOST),
  };
  observer.buffers?.(buffers);
  const summary: CollectSummary = {
    runId,
    ticks: 0,
    missedTicks: 0,
    filesWritten: 0,
    windowsCompacted: 0,
    merges: 0,
    errors: 0,
  };
  // Errors, failed writes and missed ticks: for the summary and the next host row (tally.ts).
  const tally = new RunTally();
  // Failed file writes and the outage they belong to (write_outage.ts).
  let writeOutage: WriteOutage | null = null;
  const unstorableLog = { unlogged: 0, loggedAt: -Infinity };
  let before: Snapshot | null = null;
  let selfBefore: SelfSample | null = null;
  // Flushes are counted in scheduled tick time, so `--flush 1s` flushes at every 1 s tick.
  let lastFlush = 0;
  let nextPss = 0;
  // Files failing at the last tick: logged when they start failing and when they read again.
  let failing: FailureState = new Map();
  // Pod names and labels from the API server when in a cluster (NODE_NAME + service account).
  const pods = createPodDirectory({ serviceAccountDir: o.serviceAccountDir });
  if (pods !== null) log("enriching pods from the Kubernetes API (this node's pods)");
  // --duration in monotonic time: a wall clock stepped back must not lengthen the run.
  const endMono = o.durationMs === null ? Infinity : performance.now() + o.durationMs;
  /** Whether the tick at wall time `tick` comes before the end of the run. */
  const beforeEnd = (tick: number) => performance.now() + Math.max(0, tick - Date.now()) <= endMono;

  // The old generation collected at 20 % above what is live, instead of up to 4× (gc.ts).
  limitHeapGrowth();
  const garbage = createGarbageCollector();
  // First-tier compaction of this run's segments, from the rows still in memory.
  const firstTier = createFirstTier(o);
  // The executable's pages that only start-up touched, given back (cold_pages.ts).
  const coldPages = createColdPageReleaser();
  const maintainer = createMaintainer(o, { log, error: () => tally.error() });
  // The collect preset, resolved once (reader/sweep_plan.ts).
  const sweepPlan = collectorSweepOptions(o.hostProcesses);

  /** Sweep: the node, PSS when due, pod names; the errors it met counted and logged. */
  const takeSweep = (): { snap: Snapshot; pssMs: number | null } => {
    const pssDue = o.pssIntervalMs > 0 && cadenceDue(Date.now(), nextPss, o.pssIntervalMs);
    const snap = sweep(ctx, sweepPlan);
    let pssMs: number | null = null;
    if (pssDue) {
      pssMs = readPss(ctx.fs, ctx.roots.proc, snap);
      nextPss = nextTick(Date.now(), o.pssIntervalMs);
    }
    enrichSnapshot(pods, snap);
    const apiErrors = pods?.takeErrors();
    if (apiErrors && apiErrors.count > 0) {
      tally.error(apiErrors.count);
      log(`Kubernetes API: ${apiErrors.last} (using node-local sources)`);
    }
    const fileErrors: string[] = [];
    for (const c of snap.containers.values()) fileErrors.push(...c.stats.errors);
    tally.error(fileErrors.length);
    const changes = failureChanges(failing, fileErrors);
    failing = changes.state;
    for (const line of changes.lines) log(line);
    return { snap, pssMs };
  };

  /** Append: one row per entity, and the host row with the collector's own figures. */
  const append = ({ snap, pssMs }: { snap: Snapshot; pssMs: number | null }) => {
    const self = readSelf(ctx.fs, ctx.roots.proc);
    const figures = collectorFigures(
      { before: selfBefore, now: self },
      { rssBytes: Deno.memoryUsage().rss, sweepMs: snap.durationMs, pssMs },
      tally.takeRow(),
    );
    selfBefore = self;
    appendSweep(buffers, before, snap, o.node, figures, {
      hostProcesses: o.hostProcesses,
      podLabels: podLabelsOf(pods),
    });
    // Values a column's type cannot hold went in as null (tables.ts): counted in the next host
    // row, logged at most once a minute.
    const unstorable = takeUnstorable(buffers);
    if (unstorable.count > 0) {
      tally.error(unstorable.count);
      unstorableLog.unlogged += unstorable.count;
      if (performance.now() - unstorableLog.loggedAt >= 60_000) {
        log(
          `${unstorableLog.unlogged} value(s) out of their column's range written as null (last: ${unstorable.column})`,
        );
        unstorableLog.loggedAt = performance.now();
        unstorableLog.unlogged = 0;
      }
    }
    before = snap;
    summary.ticks++;
    coldPages.afterTick(performance.now());
  };

  /** Flush: segments to disk, first-tier windows committed, the observer told. */
  const flush = async (final = false) => {
    const written = await flushBuffers(o, Object.values(buffers), firstTier, observer);
    summary.filesWritten += written.files;
    const outage = nextWriteOutage(writeOutage, performance.now(), {
      failed: written.writeFailures,
      error: written.firstError,
      written: written.files,
      rowsWaiting: Object.values(buffers).reduce((n, b) => n + b.rows, 0),
    });
    writeOutage = outage.state;
    for (const line of outage.lines) log(line);
    tally.writeFailed(written.writeFailures);
    const windows = await firstTier.commitDue(sampleClockMs(), { final });
    summary.windowsCompacted += windows.committed.length;
    for (const line of windows.failures) log(`${line} (its segments are merged from disk)`);
    tally.error(written.errors + windows.failures.length);
    await observer.flushed?.();
  };

  /** After a flush, the quietest moment of the loop: merges, retention, memory given back. */
  const maintain = () => {
    maintainer.run(sampleClockMs(), firstTier.reserved());
    // A full collection if V8 let the old generation grow well past what is live, and what
    // encoding and compressing freed on the native side back to the kernel (gc.ts).
    garbage.maybeCollect();
    releaseFreedMemory();
    coldPages.afterFlush(performance.now(), summary.windowsCompacted);
  };

  /** Schedule: the next tick after `scheduled`, counting missed ticks and clock steps. */
  const schedule = (scheduled: number): number => {
    const { next, missed, steppedBackMs } = advance(scheduled, Date.now(), o.intervalMs);
    tally.missed(missed);
    if (steppedBackMs > 0) {
      log(
        `the wall clock went back by ${
          (steppedBackMs / 1000).toFixed(1)
        } s: ticks follow it from now`,
      );
    }
    return next;
  };

  let scheduled = nextTick(Date.now(), o.intervalMs);
  try {
    while (!signal.aborted && beforeEnd(scheduled)) {
      await sleepUntil(scheduled, signal, { slackMs: o.intervalMs });
      if (signal.aborted) break;
      append(takeSweep());
      if (lastFlush === 0) lastFlush = scheduled;
      if (flushDue(scheduled, lastFlush, o.flushMs)) {
        lastFlush = scheduled;
        await flush();
        maintain();
      }
      scheduled = schedule(scheduled);
    }
  } finally {
    await flush(true);
    // A merge still running gets a moment; if killed, its journal is settled at the next start.
    await maintainer.stop(STOP_GRACE_MS);
    summary.merges = maintainer.merges;
    summary.errors = tally.errors;
    summary.missedTicks = tally.missedTicks;
    ctx.fs.close();
    pods?.close();
  }
  return summary;
}

/**
 * How often the collector walks the cgroup trees for containers without processes; containers
 * with processes are found every tick through their processes.
 */
export const WALK_INTERVAL_MS = COLLECT_WALK_INTERVAL_MS;

/** Cgroup statistics no column of the tables uses: their files are not read. */
export const UNUSED_CGROUP_STATS: ReadonlySet<OptionalCgroupStat> = new Set<OptionalCgroupStat>([
  "cpu.shares",
  "cpu.weight",
  "memory.high",
  "memory.kernel",
  "memory.swapLimit",
  "memory.maxUsage",
  "io.ops",
]);

/** How long a stopping collector waits for a running merge before killing it. */
export const STOP_GRACE_MS = 1000;

/**
 * The sweep plan of every collector tick (the `collect` preset, `reader/sweep_plan.ts`), resolved
 * once; `hostProcesses` (`--host-processes`) also records processes outside containers, with their
 * io and fd counts.
 */
export function collectorSweepOptions(hostProcesses: boolean): SweepPlan {
  return collectSweep({ hostProcesses, cgroupSkip: UNUSED_CGROUP_STATS });
}

/** Reads PSS of every containerised process into the snapshot; returns the time it took. */
function readPss(
  fs: { readText(path: string): string | null },
  proc: string,
  snap: Snapshot,
): number {
  const start = performance.now();
  for (const pid of snap.processContainer.keys()) {
    const p = snap.processes.get(pid);
    if (!p || p.stat.vsizeBytes === 0) continue;
    const text = fs.readText(`${proc}/${pid}/smaps_rollup`);
    if (text === null) continue;
    try {
      p.smaps = parseSmapsRollup(text);
    } catch { /* exited mid-read */ }
  }
  return performance.now() - start;
}

function readSelf(
  fs: { readText(path: string): string | null },
  proc: string,
): SelfSample | null {
  const text = fs.readText(`${proc}/self/stat`);
  if (text === null) return null;
  const s = parsePidStat(text);
  return { ticks: s.utimeTicks + s.stimeTicks, ms: performance.now() };
}

/**
 * Writes each buffer's rows as one segment per `dt=` day and empties it. A buffer whose write
 * fails keeps its rows for the next flush (up to a cap, past which the oldest are dropped and
 * counted), so a full disk loses nothing that a later flush can still write.
 */
async function flushBuffers(
  o: CollectOptions,
  buffers: TableBuffer<unknown>[],
  firstTier: FirstTier,
  observer: CollectObserver,
): Promise<{ files: number; errors: number; writeFailures: number; firstError?: string }> {
  let files = 0;
  let errors = 0;
  let writeFailures = 0;
  let firstError: string | undefined;
  for (const buffer of buffers) {
    if (buffer.rows === 0) continue;
    const times = columnValues(buffer, "time") as number[];
    // Split at day boundaries: a file never spans two dt= partitions.
    const days = new Map<string, number[]>();
    // Rows of one tick share their time: the day is worked out once per distinct time.
    let lastTime = NaN;
    let list: number[] = [];
    times.forEach((t, i) => {
      if (t !== lastTime) {
        lastTime = t;
        const d = dayOf(t);
        list = days.get(d) ?? [];
        days.set(d, list);
      }
      list.push(i);
    });
    const keep: number[] = [];
    for (const [day, rows] of days) {
      const dir = partitionDir(o.out, buffer.table.name, day, o.node);
      // Two flushes starting in the same second (a sub-second --flush, or rows kept through an
      // outage): the later one is named to the millisecond, never written over the earlier.
      let path = `${dir}/${segmentName(buffer.table.name, times[rows[0]])}`;
      if (exists(path)) {
        path = `${dir}/${segmentName(buffer.table.name, times[rows[0]], { millis: true })}`;
      }
      // One day (the usual case): the buffer's columns as they are, no copy.
      const columns = days.size > 1 ? selectRows(buffer, rows) : bufferColumns(buffer);
      try {
        ensurePartitionDir(o.out, buffer.table.name, day, o.node);
        await writeTableFile(path, buffer.table, columns, rows.length, {
          statistics: SEGMENT_STATISTICS,
          metadata: {
            ...contractMetadata(),
            ...entitiesMetadata(entitiesOf(buffer.table, columns, rows.length)),
          },
        });
        files++;
      } catch (error) {
        // Said by the write outage's lines (write_outage.ts), not once per file per flush.
        writeFailures++;
        firstError ??= `"${path}": ${error instanceof Error ? error.message : error}`;
        keep.push(...rows);
        continue;
      }
      observer.written?.(buffer.table.name, path, columns, rows.length);
      try {
        firstTier.written(buffer.table, path, times[rows[0]], columns, rows.length);
      } catch (error) {
        // The segment is on disk: the maintainer merges it from there.
        errors++;
        log(
          `cannot keep "${path}" for compaction: ${error instanceof Error ? error.message : error}`,
        );
      }
    }
    retainRows(buffer, keep.slice(-MAX_KEPT_ROWS));
  }
  return { files, errors, writeFailures, firstError };
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Values stored as null because their column's type cannot hold them, over all buffers, since the
 * previous call (the buffers' counts are reset), with the last such column.
 */
export function takeUnstorable(
  buffers: Readonly<Record<string, TableBuffer<unknown>>> | TableBuffers,
): { count: number; column: string | null } {
  let count = 0;
  let column: string | null = null;
  for (const buffer of Object.values(buffers)) {
    count += buffer.unstorable;
    if (buffer.unstorableColumn !== null) {
      column = `${buffer.table.name}.${buffer.unstorableColumn}`;
    }
    buffer.unstorable = 0;
    buffer.unstorableColumn = null;
  }
  return { count, column };
}

/** Columns with statistics in a segment (REQ-STO-011); merged files have them on every column. */
const SEGMENT_STATISTICS = ["time"];

/** Rows kept in memory per table while files cannot be written. */
const MAX_KEPT_ROWS = 500_000;
