/**
 * The sweep benchmark: one full {@linkcode sweep} of this node with N fake docker containers and
 * M `sleep` processes in them, next to the cost of reading the very same files with a bare
 * open-read-close and through kept handles (no parsing).
 *
 * Run as root on a host with cgroup v1 controllers (or a cgroup2 hierarchy) mounted under
 * `/sys/fs/cgroup`:
 *
 * ```sh
 * npx deno bench -A bench/sweep_bench.ts
 * ```
 *
 * Each (N, M) scenario is set up lazily by the first bench of its group and torn down when the
 * next group starts; the last one is torn down in the `unload` handler (also on SIGINT/SIGTERM),
 * so nothing leaks when a bench throws. A container is a cgroup `/docker/<64 hex>` in the `cpu`,
 * `cpuacct`, `memory`, `blkio` and `pids` hierarchies and the unified one, with a CPU quota and a
 * memory limit; its processes are `sleep 3600` children of this process, moved into it through
 * `cgroup.procs` of every hierarchy. `/docker` itself is claimed through the test harness'
 * cross-process claims (`tests/support/cgroups.ts`), so it is removed only when it did not exist
 * before and no test still uses it.
 *
 * After the benches a table (medians of the timed iterations) is printed: files per sweep, sweep
 * ms, and µs per file for the sweep, a bare open-read-close, `Deno.readTextFileSync` and kept
 * handles. Files are counted by wrapping the reader's {@linkcode HandleFs} in a counting proxy.
 *
 * @module
 */

import { createReaderContext, type ReaderContext, sweep } from "../reader/sweep.ts";
import { createHandleFs, type HandleFs } from "../reader/handle_fs.ts";
import { median } from "./stats.ts";
import { createMetadataCache } from "../reader/discovery/metadata.ts";
import {
  dockerExistedBefore,
  type FakeLoad,
  releaseDockerClaim,
  setUpFakeContainers,
  tearDownFakeContainers,
  tearDownFakeContainersSync,
} from "./fake_containers.ts";
import { markdownTable } from "./table.ts";

/** One load to measure: `containers` cgroups holding `processes` sleeps in all. */
interface Scenario {
  containers: number;
  processes: number;
  /** Timed iterations per bench. */
  n: number;
}

const SCENARIOS: Scenario[] = [
  { containers: 10, processes: 50, n: 60 },
  { containers: 50, processes: 250, n: 40 },
  { containers: 200, processes: 1000, n: 25 },
];
const WARMUP = 3;

// ---------------------------------------------------------------------------------------------
// Counting proxy over the reader's HandleFs.

/** Calls made through a {@linkcode CountingFs}. */
interface Counts {
  readText: number;
  /** `readText` calls that returned `null` (missing or unreadable file). */
  readFailed: number;
  listDir: number;
  readLink: number;
}

/** A {@linkcode HandleFs} that counts its calls and can record the paths read. */
interface CountingFs extends HandleFs {
  counts: Counts;
  /** When an array, every `readText` path is pushed to it. */
  recording: string[] | null;
}

function countingFs(inner: HandleFs): CountingFs {
  const fs: CountingFs = {
    counts: { readText: 0, readFailed: 0, listDir: 0, readLink: 0 },
    recording: null,
    get lastFailure() {
      return inner.lastFailure;
    },
    set lastFailure(value) {
      inner.lastFailure = value;
    },
    get openHandles() {
      return inner.openHandles;
    },
    io: inner.io,
    readText(path) {
      fs.counts.readText++;
      fs.recording?.push(path);
      const text = inner.readText(path);
      if (text === null) fs.counts.readFailed++;
      return text;
    },
    listDir(path) {
      fs.counts.listDir++;
      return inner.listDir(path);
    },
    readLink(path) {
      fs.counts.readLink++;
      return inner.readLink(path);
    },
    endSweep: () => inner.endSweep(),
    close: () => inner.close(),
  };
  return fs;
}

function snapshotCounts(c: Counts): Counts {
  return { ...c };
}

function diffCounts(after: Counts, before: Counts): Counts {
  return {
    readText: after.readText - before.readText,
    readFailed: after.readFailed - before.readFailed,
    listDir: after.listDir - before.listDir,
    readLink: after.readLink - before.readLink,
  };
}

// ---------------------------------------------------------------------------------------------
// Per-scenario state and measurements.

type Kind = "sweep-flat" | "sweep-walk" | "bare" | "readTextFileSync" | "kept";

/** What one scenario's recording sweeps saw. */
interface Recorded {
  processesSeen: number;
  containersSeen: number;
  /** Counts of one steady-state sweep, by `walkCgroups`. */
  perSweep: { flat: Counts; walk: Counts };
  /** The `readText` paths of one steady-state sweep with `walkCgroups: true`. */
  paths: string[];
  /** Whether the flat and walking sweeps read the same file list. */
  samePaths: boolean;
  /** Paths read more than once in that sweep, with their count. */
  repeated: [string, number][];
  /** A sweep in which the metadata cache re-probes containers it does not know (every 5 s). */
  reprobe: { counts: Counts; ms: number };
}

/** One scenario's fake containers (see `fake_containers.ts`). */
interface Load {
  scenario: Scenario;
  fake: FakeLoad;
}

function setUpLoad(scenario: Scenario): Load {
  return { scenario, fake: setUpFakeContainers(scenario) };
}

function tearDownLoad(load: Load): Promise<void> {
  return tearDownFakeContainers(load.fake);
}

function tearDownLoadSync(load: Load): void {
  tearDownFakeContainersSync(load.fake);
}

interface State {
  load: Load;
  ctx: ReaderContext & { fs: CountingFs };
  /** Offset added to the metadata cache's clock, to make its 5-s re-probe happen on demand. */
  clockSkewMs: { value: number };
  kept: HandleFs;
  recorded: Recorded;
  times: Map<Kind, number[]>;
  counts: Map<Kind, Counts[]>;
}

let state: State | null = null;
/** Set once the final teardown ran: no scenario may be set up after it. */
let finished = false;
const results: {
  scenario: Scenario;
  recorded: Recorded;
  times: Map<Kind, number[]>;
  counts: Map<Kind, Counts[]>;
}[] = [];

function createContext(clockSkewMs: { value: number }): ReaderContext & { fs: CountingFs } {
  const base = createReaderContext();
  const fs = countingFs(base.fs);
  return {
    ...base,
    fs,
    metadata: createMetadataCache(fs, base.roots, { now: () => Date.now() + clockSkewMs.value }),
  };
}

const COLLECTOR_PARTS = { processParts: {}, containers: true, host: true } as const;

function recordSweep(
  ctx: ReaderContext & { fs: CountingFs },
  walkCgroups: boolean,
): { counts: Counts; paths: string[]; ms: number; snapshot: ReturnType<typeof sweep> } {
  const before = snapshotCounts(ctx.fs.counts);
  const paths: string[] = [];
  ctx.fs.recording = paths;
  try {
    const snapshot = sweep(ctx, { ...COLLECTOR_PARTS, walkCgroups });
    return { counts: diffCounts(ctx.fs.counts, before), paths, ms: snapshot.durationMs, snapshot };
  } finally {
    ctx.fs.recording = null;
  }
}

/** Setups that failed, so that the other benches of the group fail fast with the same error. */
const setupErrors = new Map<Scenario, unknown>();

async function ensureScenario(scenario: Scenario): Promise<State> {
  if (state !== null && state.load.scenario === scenario) return state;
  if (finished) throw new Error("sweep bench: torn down already (interrupted)");
  if (setupErrors.has(scenario)) throw setupErrors.get(scenario);
  await finishScenario();
  let load: Load;
  try {
    load = setUpLoad(scenario);
  } catch (error) {
    setupErrors.set(scenario, error);
    throw error;
  }
  let ctx: (ReaderContext & { fs: CountingFs }) | null = null;
  try {
    const clockSkewMs = { value: 0 };
    const c = createContext(clockSkewMs);
    ctx = c;
    // Prime: open the handles, fill the classification memo and the metadata cache.
    sweep(c, { ...COLLECTOR_PARTS, walkCgroups: true });
    sweep(c, { ...COLLECTOR_PARTS, walkCgroups: false });
    const flat = recordSweep(c, false);
    const walk = recordSweep(c, true);
    checkDiscovered(load, walk.snapshot);
    const reprobes = [1, 2, 3].map(() => {
      clockSkewMs.value += 6_000;
      return recordSweep(c, false);
    });
    reprobes.sort((a, b) => a.ms - b.ms);
    recordSweep(c, false); // back to steady state
    const recorded: Recorded = {
      processesSeen: walk.snapshot.processes.size,
      containersSeen: walk.snapshot.containers.size,
      perSweep: { flat: flat.counts, walk: walk.counts },
      paths: walk.paths,
      samePaths: flat.paths.length === walk.paths.length &&
        flat.paths.every((p, i) => p === walk.paths[i]),
      repeated: repeatedPaths(walk.paths).concat(repeatedPaths(flat.paths)),
      reprobe: { counts: reprobes[1].counts, ms: reprobes[1].ms },
    };
    state = {
      load,
      ctx: c,
      clockSkewMs,
      kept: createHandleFs({ maxHandles: 1 << 20 }),
      recorded,
      times: new Map(),
      counts: new Map(),
    };
    results.push({ scenario, recorded, times: state.times, counts: state.counts });
    return state;
  } catch (error) {
    setupErrors.set(scenario, error);
    ctx?.fs.close();
    await tearDownLoad(load);
    throw error;
  }
}

function repeatedPaths(paths: readonly string[]): [string, number][] {
  const seen = new Map<string, number>();
  for (const path of paths) seen.set(path, (seen.get(path) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1);
}

/** Every fake container must be found with all its processes, or the figures mean nothing. */
function checkDiscovered(load: Load, snapshot: ReturnType<typeof sweep>): void {
  const perContainer = load.scenario.processes / load.scenario.containers;
  for (const id of load.fake.ids) {
    const found = snapshot.containers.get(id);
    if (found === undefined) throw new Error(`sweep bench: container ${id} was not discovered`);
    if (found.container.pids.length !== perContainer) {
      throw new Error(
        `sweep bench: container ${id} has ${found.container.pids.length} processes, expected ${perContainer}`,
      );
    }
    if (found.container.runtime !== "docker") {
      throw new Error(`sweep bench: container ${id} classified as ${found.container.runtime}`);
    }
  }
}

async function finishScenario(): Promise<void> {
  if (state === null) return;
  const s = state;
  state = null;
  s.ctx.fs.close();
  s.kept.close();
  await tearDownLoad(s.load);
}

function finishAllSync(): void {
  if (state !== null) {
    const s = state;
    state = null;
    s.ctx.fs.close();
    s.kept.close();
    tearDownLoadSync(s.load);
  }
  releaseDockerClaim();
}

// ---------------------------------------------------------------------------------------------
// The reads compared with the sweep.

const decoder = new TextDecoder();
let buffer = new Uint8Array(64 * 1024);

/** Open, read to the end into a shared buffer, decode, close: what HandleFs does minus the cache. */
function bareOpenReadClose(paths: readonly string[]): number {
  let chars = 0;
  for (const path of paths) {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { read: true });
    } catch {
      continue;
    }
    try {
      let length = 0;
      while (true) {
        if (length === buffer.length) {
          const bigger = new Uint8Array(buffer.length * 2);
          bigger.set(buffer);
          buffer = bigger;
        }
        const n = file.readSync(buffer.subarray(length));
        if (n === null || n === 0) break;
        length += n;
        if (length < buffer.length) break;
      }
      chars += decoder.decode(buffer.subarray(0, length)).length;
    } catch {
      // a process that exited between open and read
    } finally {
      file.close();
    }
  }
  return chars;
}

function readTextFileSyncAll(paths: readonly string[]): number {
  let chars = 0;
  for (const path of paths) {
    try {
      chars += Deno.readTextFileSync(path).length;
    } catch {
      // missing, like the sweep's failed reads
    }
  }
  return chars;
}

function keptHandles(fs: HandleFs, paths: readonly string[]): number {
  let chars = 0;
  for (const path of paths) chars += fs.readText(path)?.length ?? 0;
  fs.endSweep();
  return chars;
}

/** Only one of the two handle caches is open at a time, to stay well inside RLIMIT_NOFILE. */
function useHandles(s: State, which: "ctx" | "kept"): void {
  if (which === "ctx" && s.kept.openHandles > 0) s.kept.close();
  if (which === "kept" && s.ctx.fs.openHandles > 0) s.ctx.fs.close();
}

function push<T>(map: Map<Kind, T[]>, kind: Kind, value: T): void {
  const list = map.get(kind) ?? [];
  list.push(value);
  map.set(kind, list);
}

function register(scenario: Scenario): void {
  const group = `sweep N=${scenario.containers} M=${scenario.processes}`;
  const tag = `[${scenario.containers}/${scenario.processes}]`;
  const bench = (name: string, kind: Kind, baseline: boolean, run: (s: State) => void) =>
    Deno.bench({
      name: `${name} ${tag}`,
      group,
      baseline,
      n: scenario.n,
      warmup: WARMUP,
      async fn(b) {
        // A macrotask turn per call (outside the timed span): without it the runner only awaits
        // microtasks, the event loop never polls, and a SIGINT/SIGTERM listener never runs.
        await new Promise((resolve) => setTimeout(resolve, 0));
        const s = await ensureScenario(scenario);
        useHandles(s, kind === "kept" ? "kept" : "ctx");
        const before = snapshotCounts(s.ctx.fs.counts);
        b.start();
        const t0 = performance.now();
        run(s);
        const ms = performance.now() - t0;
        b.end();
        push(s.times, kind, ms);
        if (kind.startsWith("sweep")) push(s.counts, kind, diffCounts(s.ctx.fs.counts, before));
      },
    });
  bench("bare open-read-close", "bare", true, (s) => bareOpenReadClose(s.recorded.paths));
  bench(
    "Deno.readTextFileSync",
    "readTextFileSync",
    false,
    (s) => readTextFileSyncAll(s.recorded.paths),
  );
  bench("kept handles, no parsing", "kept", false, (s) => keptHandles(s.kept, s.recorded.paths));
  bench(
    "sweep() walkCgroups=false",
    "sweep-flat",
    false,
    (s) => sweep(s.ctx, { ...COLLECTOR_PARTS, walkCgroups: false }),
  );
  bench(
    "sweep() walkCgroups=true",
    "sweep-walk",
    false,
    (s) => sweep(s.ctx, { ...COLLECTOR_PARTS, walkCgroups: true }),
  );
}

for (const scenario of SCENARIOS) register(scenario);

// ---------------------------------------------------------------------------------------------
// Summary.

/** Median of the timed calls: the first WARMUP are Deno's warmup (the first re-opens handles). */
function timedMedian(values: readonly number[] | undefined): number | null {
  if (values === undefined) return null;
  return median(values.length > WARMUP ? values.slice(WARMUP) : values);
}

function fmt(value: number | null, digits: number): string {
  return value === null ? "–" : value.toFixed(digits);
}

function summary(): string {
  const rows: string[][] = [[
    "N",
    "M",
    "procs",
    "walk",
    "files/sweep",
    "failed",
    "dirs listed",
    "links",
    "sweep ms",
    "µs/file sweep",
    "µs/file bare",
    "µs/file readTextFileSync",
    "µs/file kept",
  ]];
  const notes: string[] = [];
  for (const { scenario, recorded, times, counts } of results) {
    const files = recorded.paths.length;
    const perFile = (kind: Kind) => {
      const ms = timedMedian(times.get(kind));
      return ms === null ? null : (ms * 1000) / files;
    };
    for (const walk of [false, true]) {
      const kind: Kind = walk ? "sweep-walk" : "sweep-flat";
      const counts = walk ? recorded.perSweep.walk : recorded.perSweep.flat;
      const ms = timedMedian(times.get(kind));
      rows.push([
        `${scenario.containers}`,
        `${scenario.processes}`,
        `${recorded.processesSeen}`,
        walk ? "yes" : "no",
        `${counts.readText}`,
        `${counts.readFailed}`,
        `${counts.listDir}`,
        `${counts.readLink}`,
        fmt(ms, 2),
        fmt(ms === null ? null : (ms * 1000) / counts.readText, 2),
        fmt(perFile("bare"), 2),
        fmt(perFile("readTextFileSync"), 2),
        fmt(perFile("kept"), 2),
      ]);
    }
    const r = recorded.reprobe;
    const label = `N=${scenario.containers} M=${scenario.processes}:`;
    const range = (kind: Kind) => {
      const files = (counts.get(kind) ?? []).map((c) => c.readText);
      return files.length === 0 ? "–" : `${Math.min(...files)}…${Math.max(...files)}`;
    };
    notes.push(
      `${label} ${recorded.containersSeen} containers discovered; flat and walking sweeps read ` +
        `${recorded.samePaths ? "the same" : "DIFFERENT"} files; files read twice in one sweep: ` +
        `${recorded.repeated.length === 0 ? "none" : JSON.stringify(recorded.repeated)}`,
      `${label} files per timed sweep ${range("sweep-flat")} (flat), ${range("sweep-walk")} ` +
        `(walk); timed calls per bench ${
          [...times].map(([k, v]) => `${k} ${v.length}`).join(", ")
        }`,
      `${label} a sweep in which the metadata cache re-probes the containers it does not know ` +
        `(every 5 s): ${r.counts.readText} files (${r.counts.readFailed} failed), ` +
        `${r.counts.listDir} dirs listed, ${r.ms.toFixed(2)} ms`,
    );
  }
  return [
    "",
    "Sweep summary (medians of the timed iterations; per-file columns divide by the walking " +
    "sweep's file list, which the bare / readTextFileSync / kept benches read)",
    markdownTable(rows),
    ...notes,
    `/docker existed before the bench: ${dockerExistedBefore()}`,
    "",
  ].join("\n");
}

function finish(): void {
  if (finished) return;
  finished = true;
  try {
    finishAllSync();
  } finally {
    if (results.length > 0) console.log(summary());
  }
}

globalThis.addEventListener("unload", finish);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    console.error(`sweep bench: ${signal}, tearing down`);
    finish();
    // Inside a bench run Deno turns this into "Bench attempted to exit", which ends the run too.
    Deno.exit(130);
  });
}
