/**
 * Fake docker containers for the benchmarks: N cgroups `/docker/<64 hex>` in the `cpu`,
 * `cpuacct`, `memory`, `blkio` and `pids` hierarchies and the cgroup2 mirror (whichever are
 * mounted under `/sys/fs/cgroup`), each with a CPU quota (50 000 µs per period) and a memory
 * limit (256 MiB), holding `sleep 3600` (or, with `workload: "active"`, a loop that wakes 5 times
 * a second) children of the calling process moved in through
 * `cgroup.procs` of every hierarchy. fgm's reader classifies them as `docker` containers (no
 * runtime store knows them, so their metadata stays unknown).
 *
 * `/docker` itself is claimed through the test harness' cross-process claims
 * (`tests/support/cgroups.ts`), so it is removed only when it did not exist before and no
 * concurrent test still uses it. Needs root.
 *
 * ```ts
 * const load = setUpFakeContainers({ containers: 50, processes: 250 });
 * try {
 *   // measure
 * } finally {
 *   await tearDownFakeContainers(load);
 *   releaseDockerClaim();
 * }
 * ```
 *
 * @module
 */

import {
  type CgroupClaim,
  claimCgroupPath,
  unifiedDir,
  v1ControllerDir,
} from "../tests/support/cgroups.ts";
import { isAlive } from "../tests/support/processes.ts";

/** CPU quota written to every fake container's `cpu.cfs_quota_us`. */
export const CPU_QUOTA_US = 50_000;
/** Memory limit written to every fake container's `memory.limit_in_bytes`. */
export const MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;
const V1_CONTROLLERS = ["cpu", "cpuacct", "memory", "blkio", "pids"];

/** How many fake containers and processes to create. */
export interface FakeLoadSpec {
  /** Containers to create. */
  containers: number;
  /** Processes in all, spread evenly (`processes / containers` per container). */
  processes: number;
  /**
   * What the processes do: `idle` (default) `sleep 3600`; `active` wake 5 times a second (a
   * `bash` loop of `read -t 0.2` on a pipe nobody writes to: no fork, a few µs of CPU a wake), so
   * that every container uses some CPU every second, as on a busy node.
   */
  workload?: "idle" | "active";
}

/** The command line of a fake container's process for `workload`. */
export function workloadCommand(workload: FakeLoadSpec["workload"] = "idle"): string[] {
  // `exec 3<> <(:)` opens a pipe read-write: `read` never sees end-of-file, even after the
  // bench dies (teardown kills the processes by PID), so it only ever times out.
  return workload === "active"
    ? ["bash", "-c", "exec 3<> <(:); while :; do read -t 0.2 -u 3; done"]
    : ["sleep", "3600"];
}

/** What {@linkcode setUpFakeContainers} created; teardown removes exactly this. */
export interface FakeLoad {
  /** The load asked for. */
  spec: FakeLoadSpec;
  /** Every hierarchy's mount point the cgroups were created in. */
  mounts: string[];
  /** `<mount>/docker/<id>` directories created, in creation order. */
  cgroupDirs: string[];
  /** The processes. */
  children: Deno.ChildProcess[];
  /** Container ids (64 hex digits), in creation order. */
  ids: string[];
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function hierarchyMounts(): string[] {
  const mounts: string[] = [];
  for (const controller of V1_CONTROLLERS) {
    const dir = v1ControllerDir(controller, "/");
    if (dir !== null && !mounts.includes(dir)) mounts.push(dir);
  }
  const unified = unifiedDir("/");
  if (unified !== null) mounts.push(unified);
  if (mounts.length === 0) {
    throw new Error("Cannot set up fake containers: no cgroup mount found under /sys/fs/cgroup");
  }
  return mounts;
}

function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

let claim: CgroupClaim | null = null;
let dockerExisted: boolean | null = null;

/**
 * Whether `/docker` existed in some hierarchy before the first {@linkcode setUpFakeContainers}
 * call of this process (`null` before that call).
 */
export function dockerExistedBefore(): boolean | null {
  return dockerExisted;
}

/**
 * Creates the containers' cgroups and processes. On failure removes what it made, then throws.
 * The first call claims `/docker` (see {@linkcode releaseDockerClaim}).
 */
export function setUpFakeContainers(spec: FakeLoadSpec): FakeLoad {
  const mounts = hierarchyMounts();
  if (claim === null) {
    dockerExisted = mounts.some((m) => isDir(`${m}/docker`));
    claim = claimCgroupPath("/docker");
  }
  const cpuMount = v1ControllerDir("cpu", "/");
  const memoryMount = v1ControllerDir("memory", "/");
  const load: FakeLoad = { spec, mounts, cgroupDirs: [], children: [], ids: [] };
  try {
    for (const m of mounts) Deno.mkdirSync(`${m}/docker`, { recursive: true });
    const perContainer = spec.processes / spec.containers;
    for (let c = 0; c < spec.containers; c++) {
      const id = randomId();
      load.ids.push(id);
      const dirs = mounts.map((m) => `${m}/docker/${id}`);
      for (const dir of dirs) {
        Deno.mkdirSync(dir); // throws if it exists: then it is not ours
        load.cgroupDirs.push(dir);
      }
      if (cpuMount !== null) {
        Deno.writeTextFileSync(`${cpuMount}/docker/${id}/cpu.cfs_quota_us`, `${CPU_QUOTA_US}`);
      }
      if (memoryMount !== null) {
        Deno.writeTextFileSync(
          `${memoryMount}/docker/${id}/memory.limit_in_bytes`,
          `${MEMORY_LIMIT_BYTES}`,
        );
      }
      const [command, ...args] = workloadCommand(spec.workload);
      for (let p = 0; p < perContainer; p++) {
        const child = new Deno.Command(command, {
          args,
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).spawn();
        child.unref(); // never keep the caller's event loop waiting for a sleep
        load.children.push(child);
        for (const dir of dirs) Deno.writeTextFileSync(`${dir}/cgroup.procs`, `${child.pid}\n`);
      }
    }
  } catch (error) {
    tearDownFakeContainersSync(load);
    throw error;
  }
  return load;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function killAll(load: FakeLoad): void {
  for (const child of load.children) {
    try {
      Deno.kill(child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Removes the cgroups of `load`, leaf first (a zombie does not keep a cgroup busy). */
function removeCgroups(load: FakeLoad): string[] {
  const left: string[] = [];
  for (const dir of [...load.cgroupDirs].reverse()) {
    let removed = false;
    for (let attempt = 0; attempt < 50 && !removed; attempt++) {
      try {
        Deno.removeSync(dir);
        removed = true;
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) removed = true;
        else sleepSync(20);
      }
    }
    if (!removed) left.push(dir);
  }
  load.cgroupDirs = left;
  return left;
}

/**
 * Kills the processes by PID, waits (synchronously, up to 5 s) for them to die and removes the
 * cgroups. For `unload` and signal handlers, where nothing can be awaited; leaves zombies until
 * the caller exits.
 */
export function tearDownFakeContainersSync(load: FakeLoad): void {
  killAll(load);
  const deadline = performance.now() + 5_000;
  while (load.children.some((c) => isAlive(c.pid)) && performance.now() < deadline) sleepSync(10);
  const left = removeCgroups(load);
  load.children = [];
  if (left.length > 0) console.error(`fake containers: could not remove ${left.join(", ")}`);
}

/** As {@linkcode tearDownFakeContainersSync}, but reaps the children (no zombies left behind). */
export async function tearDownFakeContainers(load: FakeLoad): Promise<void> {
  killAll(load);
  // Unref'd children do not keep the event loop alive: awaiting them would end the run with
  // "Promise resolution is still pending but the event loop has already resolved".
  for (const child of load.children) child.ref();
  await Promise.all(load.children.map((c) => c.status.catch(() => null)));
  tearDownFakeContainersSync(load);
}

/** Releases the claim on `/docker` taken by the first setup (removing it if it was ours). */
export function releaseDockerClaim(): void {
  if (claim === null) return;
  const left = claim.release();
  claim = null;
  if (left.length > 0) console.error(`fake containers: could not remove ${left.join(", ")}`);
}

/** The workloads of a comma-separated `--workload` value (`idle`, `active`). */
export function parseWorkloads(list: string): NonNullable<FakeLoadSpec["workload"]>[] {
  return list.split(",").map((w) => {
    if (w !== "idle" && w !== "active") throw new TypeError(`Unknown workload "${w}"`);
    return w;
  });
}

/** Options of {@linkcode forEachFakeLoad}. */
export interface FakeLoadsOptions {
  /** Container counts, in order. */
  counts: readonly number[];
  /** Workloads, for each count. */
  workloads: readonly NonNullable<FakeLoadSpec["workload"]>[];
  /** Processes per container. */
  perContainer: number;
  /** Called first on SIGINT or SIGTERM (stop what the bench started), before the teardown. */
  onInterrupt?: () => void | Promise<void>;
}

/**
 * Runs `each` once per container count and workload, with that many fake containers set up before
 * and torn down after (also when `each` throws). On SIGINT or SIGTERM it awaits `onInterrupt`,
 * tears down the load that stands and exits 130. Releases the `/docker` claim at the end.
 */
export async function forEachFakeLoad(
  { counts, workloads, perContainer, onInterrupt = () => {} }: FakeLoadsOptions,
  each: (load: FakeLoad) => Promise<void>,
): Promise<void> {
  let load: FakeLoad | null = null;
  const stop = async () => {
    await onInterrupt();
    if (load !== null) tearDownFakeContainersSync(load);
    releaseDockerClaim();
    Deno.exit(130);
  };
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const s of signals) Deno.addSignalListener(s, stop);
  try {
    for (const n of counts) {
      for (const workload of workloads) {
        load = setUpFakeContainers({ containers: n, processes: n * perContainer, workload });
        try {
          await each(load);
        } finally {
          await tearDownFakeContainers(load);
          load = null;
        }
      }
    }
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, stop);
    releaseDockerClaim();
  }
}
