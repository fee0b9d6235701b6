/**
 * What one sweep reads, resolved once from {@linkcode SweepOptions} into a checked
 * {@linkcode SweepPlan}: options that only mean something together are either switched on
 * together or refused, so that `sweep()` reads plain flags. Two named presets cover the callers:
 * {@linkcode monitorSweep} (two sweeps an interval apart, every file read) and
 * {@linkcode collectSweep} (a 1 Hz loop with every cache on). Pure: no I/O.
 *
 * @module
 */

import type { ProcessParts } from "./process.ts";
import type { OptionalCgroupStat } from "./cgroup_stats.ts";

/** Options of `sweep()`; see each field. Resolve them with {@linkcode planSweep}. */
export interface SweepOptions {
  /** Parts read for every process (stat is always read). */
  processParts?: ProcessParts;
  /** Extra parts for some PIDs (`monitor process <pid>`). */
  detail?: { pids: ReadonlySet<number>; parts: ProcessParts };
  /**
   * Extra parts for the processes of containers, read after the containers' cgroup statistics
   * (parts already read through `processParts` or `detail` are not read twice). Default none.
   */
  containerProcessParts?: ProcessParts;
  /**
   * With {@linkcode containerProcessParts}, a process's `io` and `fds` are carried over from the
   * previous sweep instead of read when its container used no CPU in between (the cgroup's CPU
   * usage counter — ns on v1, µs on v2 — did not move) and it is the same process (PID, start
   * time) in the same container (`carry.ts`, REQ-RDR-226). Default `false`.
   */
  carryIdle?: boolean;
  /**
   * With {@linkcode cacheProcessCgroups}, a process remembered in a container has its stat read
   * after its container's cgroup statistics, and its whole sample carried over when the container
   * neither ran nor gained or lost memory (`carry.ts`, REQ-RDR-227). Off whatever this says when
   * `processParts` asks for more than `io` and `fds` (PSS, sockets and the rest can change without
   * the process running). Default `false`.
   */
  carryIdleStats?: boolean;
  /** Walk the cgroup trees for containers without processes (costs a directory walk). */
  walkCgroups?: boolean;
  /**
   * With `walkCgroups`, walk at most once per this many milliseconds and in between reuse the
   * last walk (REQ-DSC-051). 0 (default) walks every sweep.
   */
  walkIntervalMs?: number;
  /**
   * Keep each process's container across sweeps and re-read its `/proc/<pid>/cgroup` only when
   * the PID is new, its start time or comm changed, or once every `PROCESS_CGROUP_RECHECK_SWEEPS`
   * sweeps (REQ-DSC-050). Default `false`.
   */
  cacheProcessCgroups?: boolean;
  /**
   * Read processes outside containers (default `true`). With `false` (needs
   * {@linkcode cacheProcessCgroups}), a process known to be outside containers is read only at
   * its staggered re-check and is missing from the snapshot's processes.
   */
  uncontainedProcesses?: boolean;
  /**
   * A container's limits and network namespace are read once every this many sweeps and carried
   * over in between (REQ-RDR-225). Default 1: read every sweep.
   */
  staticEverySweeps?: number;
  /** Cgroup statistics not to read (their fields stay `null`); default none. */
  cgroupSkip?: ReadonlySet<OptionalCgroupStat>;
  host?: boolean;
  containers?: boolean;
  /** Find the host-side veth of container interfaces (needs `host`). */
  vethPeers?: boolean;
}

/** {@linkcode SweepOptions} resolved and checked by {@linkcode planSweep}. */
export interface SweepPlan {
  readonly resolved: true;
  readonly processParts: ProcessParts;
  readonly detail: SweepOptions["detail"] | undefined;
  /** `processParts` plus the detail parts, for detail PIDs. */
  readonly detailParts: ProcessParts;
  /** Container process parts left after `processParts` and `detail`, or `null` for none. */
  readonly containerParts: ContainerPartsPlan | null;
  readonly host: boolean;
  readonly containers: boolean;
  readonly vethPeers: boolean;
  readonly walkCgroups: boolean;
  readonly walkIntervalMs: number;
  readonly cacheProcessCgroups: boolean;
  /** Settled processes outside containers are skipped (`uncontainedProcesses: false`). */
  readonly skipSettledOutside: boolean;
  /** Whole samples of still containers' processes carried (REQ-RDR-227). */
  readonly carryStats: boolean;
  readonly staticEverySweeps: number;
  readonly cgroupSkip: ReadonlySet<OptionalCgroupStat> | undefined;
}

/** The parts one process of a container still needs, worked out once. */
export interface PartsToRead {
  parts: ProcessParts;
  /** Whether `io` or `fds` is among them: values read after the usage counter can be carried. */
  carries: boolean;
  /** `parts` without `io` and `fds`, or `null` when nothing else is left. */
  rest: ProcessParts | null;
}

/** What the sweep reads for containers' processes, plain and `detail` PIDs. */
export interface ContainerPartsPlan {
  plain: PartsToRead;
  /** For `detail` PIDs, whose detail parts were read already. */
  detail: PartsToRead;
  detailPids: ReadonlySet<number> | null;
  /** `io` and `fds` of containers that did not run are carried (REQ-RDR-226). */
  carryIdle: boolean;
}

const NO_PARTS: ProcessParts = {};

/**
 * Resolves `options` into a plan.
 *
 * @throws {TypeError} for options that mean nothing as given: `carryIdle` without
 *   `containerProcessParts` to carry, `carryIdleStats` or `uncontainedProcesses: false` without
 *   `cacheProcessCgroups`, `walkIntervalMs` without `walkCgroups`, `vethPeers` without `host`, a
 *   `staticEverySweeps` or `walkIntervalMs` that is not a whole number ≥ 1 (≥ 0 for the interval).
 */
export function planSweep(options: SweepOptions | SweepPlan = {}): SweepPlan {
  if (isPlan(options)) return options;
  const {
    processParts = {},
    detail,
    containerProcessParts = NO_PARTS,
    carryIdle = false,
    carryIdleStats = false,
    walkCgroups = true,
    walkIntervalMs = 0,
    cacheProcessCgroups = false,
    uncontainedProcesses = true,
    staticEverySweeps = 1,
    cgroupSkip,
    host = true,
    containers = true,
    vethPeers = false,
  } = options;
  const refuse = (why: string) => {
    throw new TypeError(`Cannot plan a sweep: ${why}`);
  };
  if (carryIdle && !containerProcessParts.io && !containerProcessParts.fds) {
    refuse("carryIdle carries containerProcessParts io and fds, and none is asked for");
  }
  if (carryIdleStats && !cacheProcessCgroups) {
    refuse("carryIdleStats needs cacheProcessCgroups (it defers processes it remembers)");
  }
  if (!uncontainedProcesses && !cacheProcessCgroups) {
    refuse("uncontainedProcesses: false needs cacheProcessCgroups (to know who is outside)");
  }
  if (walkIntervalMs !== 0 && !walkCgroups) refuse("walkIntervalMs needs walkCgroups");
  if (vethPeers && !host) refuse("vethPeers needs host (the host's interfaces)");
  if (!(Number.isInteger(staticEverySweeps) && staticEverySweeps >= 1)) {
    refuse(`staticEverySweeps must be a whole number >= 1, not ${staticEverySweeps}`);
  }
  if (!(walkIntervalMs >= 0)) refuse(`walkIntervalMs must be >= 0, not ${walkIntervalMs}`);
  return {
    resolved: true,
    processParts,
    detail,
    detailParts: detail ? { ...processParts, ...detail.parts } : processParts,
    containerParts: planContainerParts(containerProcessParts, processParts, detail, carryIdle),
    host,
    containers,
    vethPeers,
    walkCgroups,
    walkIntervalMs,
    cacheProcessCgroups,
    skipSettledOutside: !uncontainedProcesses && cacheProcessCgroups && containers,
    carryStats: carryIdleStats && cacheProcessCgroups && containers &&
      onlyCarriableParts(processParts),
    staticEverySweeps,
    cgroupSkip,
  };
}

function isPlan(o: SweepOptions | SweepPlan): o is SweepPlan {
  return (o as SweepPlan).resolved === true;
}

/** The parts of `parts` that `done` does not have. */
function without(parts: ProcessParts, done: ProcessParts): ProcessParts {
  const out: ProcessParts = {};
  for (const key of Object.keys(parts) as (keyof ProcessParts)[]) {
    if (parts[key] && !done[key]) out[key] = true;
  }
  return out;
}

function partsToRead(parts: ProcessParts): PartsToRead {
  const rest = without(parts, { io: true, fds: true });
  return {
    parts,
    carries: parts.io === true || parts.fds === true,
    rest: Object.keys(rest).length > 0 ? rest : null,
  };
}

function planContainerParts(
  containerParts: ProcessParts,
  processParts: ProcessParts,
  detail: SweepOptions["detail"],
  carryIdle: boolean,
): ContainerPartsPlan | null {
  const parts = without(containerParts, processParts);
  if (Object.keys(parts).length === 0) return null;
  return {
    plain: partsToRead(parts),
    detail: partsToRead(detail ? without(parts, detail.parts) : parts),
    detailPids: detail?.pids ?? null,
    carryIdle,
  };
}

/** Whether every part in `parts` is one a process that did not run cannot change (io, fds). */
function onlyCarriableParts(parts: ProcessParts): boolean {
  for (const key of Object.keys(parts) as (keyof ProcessParts)[]) {
    if (parts[key] && key !== "io" && key !== "fds") return false;
  }
  return true;
}

/**
 * The `fgm monitor` preset: every file read at every sweep (two sweeps an interval apart, no
 * cache to trust), `detail` parts for the PIDs a view shows, veth peers when asked.
 */
export function monitorSweep(
  o: {
    processParts?: ProcessParts;
    detail?: SweepOptions["detail"];
    vethPeers?: boolean;
  } = {},
): SweepPlan {
  return planSweep({ processParts: o.processParts, detail: o.detail, vethPeers: o.vethPeers });
}

/** How often the collector walks the cgroup trees for containers without processes. */
export const COLLECT_WALK_INTERVAL_MS = 10_000;

/** Sweeps between reads of a container's limits and network namespace in the collector. */
export const COLLECT_STATIC_EVERY_SWEEPS = 10;

/**
 * The `fgm collect` preset: a 1 Hz loop with every cache on (process cgroups, the walk every
 * {@linkcode COLLECT_WALK_INTERVAL_MS}, limits every {@linkcode COLLECT_STATIC_EVERY_SWEEPS}
 * sweeps, idle processes carried), the containers' processes' `io` and `fds`, and the cgroup
 * statistics no column uses (`cgroupSkip`) left out. `hostProcesses` (`--host-processes`) also
 * records processes outside containers, with their `io` and `fds`.
 */
export function collectSweep(
  o: { hostProcesses: boolean; cgroupSkip?: ReadonlySet<OptionalCgroupStat> },
): SweepPlan {
  return planSweep({
    walkCgroups: true,
    walkIntervalMs: COLLECT_WALK_INTERVAL_MS,
    cacheProcessCgroups: true,
    cgroupSkip: o.cgroupSkip,
    staticEverySweeps: COLLECT_STATIC_EVERY_SWEEPS,
    vethPeers: false,
    uncontainedProcesses: o.hostProcesses,
    processParts: o.hostProcesses ? { io: true, fds: true } : {},
    containerProcessParts: { io: true, fds: true },
    carryIdle: true,
    carryIdleStats: true,
  });
}
