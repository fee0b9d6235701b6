/**
 * A per-process memo of {@linkcode identifyProcess} for 1 Hz sweeps: `/proc/<pid>/cgroup` is read,
 * parsed and classified when a PID is new, when its start time or command name changed since the
 * previous read (a reused PID, or an `exec` — runtimes move a process into the container's cgroup
 * between fork and exec: `runc init` becomes the container's command), and otherwise only once
 * every `recheckSweeps` sweeps (staggered by PID, so that the re-reads spread evenly over the
 * sweeps), which bounds how long a process moved between cgroups without an exec is seen in its
 * old cgroup.
 *
 * @module
 */

import { parsePidCgroup } from "../parse/proc_pid_cgroup.ts";
import { type GroupOptions, identifyProcess, type ProcessContainer } from "./containers.ts";

/** What identifies one process incarnation, from `/proc/<pid>/stat`. */
export interface ProcessKey {
  /** Start time after boot in clock ticks (`starttime`, field 22). */
  startTimeTicks: number;
  /** Command name (`comm`, field 2). */
  comm: string;
}

/** Options of {@linkcode createProcessIdentityCache}. */
export interface ProcessIdentityCacheOptions {
  /**
   * A process whose start time and comm are unchanged has its cgroup file re-read once every
   * this many sweeps; 1 re-reads it every sweep (no caching).
   */
  recheckSweeps?: number;
}

/** The memo; one per reader context. */
export interface ProcessIdentityCache {
  /**
   * The container of process `pid`, or `null` when it is in none or its cgroup file cannot be
   * read or parsed (then nothing is cached and the next sweep reads it again).
   *
   * @param pid The process.
   * @param key Its start time and comm from the stat read in this sweep.
   * @param readCgroup Reads `/proc/<pid>/cgroup` (called only when the memo cannot answer).
   * @param options Classification options; a change of `containerdNamespaces` empties the memo.
   */
  identify(
    pid: number,
    key: ProcessKey,
    readCgroup: () => string | null,
    options: GroupOptions,
  ): ProcessContainer | null;
  /**
   * Whether `pid` is a settled process outside containers: remembered as in no container for at
   * least `recheckSweeps` sweeps and not due for its staggered re-check in this sweep. A sweep
   * that does not record such processes may then skip reading them at all; the answer counts as
   * seeing the PID (it is not forgotten at {@linkcode endSweep}). New processes never settle
   * before a full re-check period, so a process that a runtime moves into a container between
   * fork and exec is read every sweep until then.
   */
  settledOutside(pid: number): boolean;
  /**
   * The container `pid` is remembered in, without this sweep's stat of it, or `null`: for a sweep
   * that carries over the whole sample of a process whose container did not run (see
   * `SweepOptions.carryIdleStats`). Answers only for a process remembered in a container and not
   * due for its staggered re-check in this sweep, so such a process is still read, and its cgroup
   * file re-read, once every `recheckSweeps` sweeps. An answer counts as seeing the PID. On
   * `null`, read the process's stat and call `identify`. A change of `options.containerdNamespaces`
   * empties the memo, as in `identify`.
   */
  remembered(pid: number, options: GroupOptions): ProcessContainer | null;
  /** Ends a sweep: forgets the PIDs not passed to `identify` since the previous call. */
  endSweep(): void;
  /** PIDs remembered. */
  readonly size: number;
  /** `/proc/<pid>/cgroup` reads so far (for tests and benchmarks). */
  readonly reads: number;
}

interface Entry {
  startTimeTicks: number;
  comm: string;
  identity: ProcessContainer | null;
  seen: number;
  /** Sweep of the first read of this incarnation. */
  since: number;
}

/** Creates an empty {@linkcode ProcessIdentityCache}. */
export function createProcessIdentityCache(
  { recheckSweeps = 10 }: ProcessIdentityCacheOptions = {},
): ProcessIdentityCache {
  const entries = new Map<number, Entry>();
  const period = Math.max(1, Math.floor(recheckSweeps));
  let sweep = 0;
  let reads = 0;
  let namespacesKey: string | null = null;
  let namespacesSeen: readonly string[] | undefined | null = null;

  /** A change of the containerd namespaces empties the memo. */
  function checkNamespaces(options: GroupOptions): void {
    // A sweep passes one array to every call: join it only when it is another array.
    if (options.containerdNamespaces === namespacesSeen) return;
    namespacesSeen = options.containerdNamespaces;
    const nsKey = (options.containerdNamespaces ?? []).join(",");
    if (nsKey !== namespacesKey) {
      entries.clear();
      namespacesKey = nsKey;
    }
  }

  return {
    identify(pid, key, readCgroup, options) {
      checkNamespaces(options);
      const entry = entries.get(pid);
      if (
        entry !== undefined && entry.startTimeTicks === key.startTimeTicks &&
        entry.comm === key.comm && (pid + sweep) % period !== 0
      ) {
        entry.seen = sweep;
        return entry.identity;
      }
      reads++;
      const text = readCgroup();
      let identity: ProcessContainer | null;
      try {
        if (text === null) throw new Error("unreadable");
        identity = identifyProcess(parsePidCgroup(text), options);
      } catch {
        entries.delete(pid); // exited, or torn: read again next sweep
        return null;
      }
      const same = entry !== undefined && entry.startTimeTicks === key.startTimeTicks;
      entries.set(pid, {
        startTimeTicks: key.startTimeTicks,
        comm: key.comm,
        identity,
        seen: sweep,
        since: same && entry.identity === null && identity === null ? entry.since : sweep,
      });
      return identity;
    },
    settledOutside(pid) {
      const entry = entries.get(pid);
      if (
        entry === undefined || entry.identity !== null || sweep - entry.since < period ||
        (pid + sweep) % period === 0
      ) return false;
      entry.seen = sweep;
      return true;
    },
    remembered(pid, options) {
      checkNamespaces(options);
      const entry = entries.get(pid);
      if (entry === undefined || entry.identity === null || (pid + sweep) % period === 0) {
        return null;
      }
      entry.seen = sweep;
      return entry.identity;
    },
    endSweep() {
      // forEach, not for-of: no [key, value] array per process every second.
      entries.forEach((entry, pid) => {
        if (entry.seen !== sweep) entries.delete(pid);
      });
      sweep++;
    },
    get size() {
      return entries.size;
    },
    get reads() {
      return reads;
    },
  };
}
