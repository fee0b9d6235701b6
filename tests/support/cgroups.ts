/**
 * Cgroup helpers for the runtime test harness: where each hierarchy is mounted (this machine has
 * cgroup v1 controllers mounted separately under `/sys/fs/cgroup/<controller>` plus a cgroup2
 * mirror at `/sys/fs/cgroup/unified`), which directories exist for a container's cgroup path, and
 * removing only the cgroup directories a test created.
 *
 * A cgroup path here is the path relative to every hierarchy's root, as runtimes use it and as
 * `/proc/<pid>/cgroup` prints it, e.g. `/docker/<id>`.
 *
 * @module
 */

import { claimPath } from "./claims.ts";
import { parseMountInfo } from "./mounts.ts";

/** One mounted cgroup hierarchy. */
export interface CgroupHierarchy {
  /** Where it is mounted, e.g. `/sys/fs/cgroup/cpu` or `/sys/fs/cgroup/unified`. */
  mountPoint: string;
  /** 1 for a cgroup v1 hierarchy, 2 for the unified (cgroup2) one. */
  version: 1 | 2;
  /** v1 controllers bound to it (`cpu`, `memory`, …; `name=systemd` for a named one); `[]` for v2. */
  controllers: string[];
}

const NON_CONTROLLER_OPTIONS = new Set([
  "rw",
  "ro",
  "nosuid",
  "nodev",
  "noexec",
  "relatime",
  "noatime",
  "nsdelegate",
  "memory_recursiveprot",
  "xattr",
  "clone_children",
  "noprefix",
  "favordynmods",
]);

/** Every cgroup hierarchy mounted at or below `root` (default `/sys/fs/cgroup`). */
export function cgroupHierarchies(root = "/sys/fs/cgroup"): CgroupHierarchy[] {
  const found = new Map<string, CgroupHierarchy>();
  for (const m of parseMountInfo(Deno.readTextFileSync("/proc/self/mountinfo"))) {
    if (m.fsType !== "cgroup" && m.fsType !== "cgroup2") continue;
    if (m.mountPoint !== root && !m.mountPoint.startsWith(`${root}/`)) continue;
    found.set(m.mountPoint, {
      mountPoint: m.mountPoint,
      version: m.fsType === "cgroup2" ? 2 : 1,
      controllers: m.fsType === "cgroup2"
        ? []
        : m.superOptions.filter((o) =>
          !NON_CONTROLLER_OPTIONS.has(o) && !o.startsWith("release_agent=")
        ),
    });
  }
  return [...found.values()];
}

/** The directory of `cgroupPath` in the v1 hierarchy that has `controller`, or `null`. */
export function v1ControllerDir(controller: string, cgroupPath: string): string | null {
  const h = cgroupHierarchies().find((h) => h.version === 1 && h.controllers.includes(controller));
  return h === undefined ? null : join(h.mountPoint, cgroupPath);
}

/** The directory of `cgroupPath` in the unified (v2) hierarchy, or `null` when none is mounted. */
export function unifiedDir(cgroupPath: string): string | null {
  const h = cgroupHierarchies().find((h) => h.version === 2);
  return h === undefined ? null : join(h.mountPoint, cgroupPath);
}

/** The directories of `cgroupPath` that exist, one per hierarchy that has it. */
export function existingCgroupDirs(cgroupPath: string): string[] {
  return cgroupHierarchies()
    .map((h) => join(h.mountPoint, cgroupPath))
    .filter((dir) => isDir(dir));
}

/** PIDs in `cgroup.procs` of `cgroupPath` (read from the pids, else the unified hierarchy). */
export function cgroupProcs(cgroupPath: string): number[] {
  const dirs = [v1ControllerDir("pids", cgroupPath), unifiedDir(cgroupPath)];
  for (const dir of dirs) {
    if (dir === null) continue;
    try {
      return Deno.readTextFileSync(`${dir}/cgroup.procs`).split("\n").filter((l) => l)
        .map(Number);
    } catch {
      // try the next hierarchy
    }
  }
  return [];
}

/**
 * Sends SIGKILL to every process in `cgroupPath` (a cgroup the test created, so every process
 * in it is the test's own) and waits up to `timeoutMs` for the cgroup to empty. Returns the PIDs
 * still there after that.
 */
export async function killCgroupProcs(cgroupPath: string, timeoutMs = 5_000): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    const pids = cgroupProcs(cgroupPath);
    if (pids.length === 0 || performance.now() >= deadline) return pids;
    for (const pid of pids) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Removes `cgroupPath`'s directory in every hierarchy (an empty cgroup only: the kernel refuses
 * to remove one with processes or children). Use it only for a path the test itself made.
 * Returns the directories that could not be removed.
 */
export function removeCgroupDirs(cgroupPath: string): string[] {
  const left: string[] = [];
  for (const dir of existingCgroupDirs(cgroupPath)) {
    try {
      Deno.removeSync(dir);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) left.push(dir);
    }
  }
  return left;
}

/** Cgroup directories a test is about to have created; see {@linkcode claimCgroupPath}. */
export interface CgroupClaim {
  /**
   * Removes, deepest first, every directory of the claimed path and its ancestors that did not
   * exist before the first claim on it, once the last claim (across all test processes) is
   * released. Returns the directories that the tests created but that could not be removed.
   */
  release(): string[];
}

/**
 * Records, before a runtime creates `cgroupPath` (e.g. `/kubepods/burstable/pod<uid>`), which
 * of its directories and their ancestors already exist in each hierarchy, so that the tests
 * remove exactly the ones they caused to be made. Claims are shared by every test process (see
 * `claims.ts`), so two tests sharing a parent (e.g. `/docker`) leave it to the last one.
 */
export function claimCgroupPath(cgroupPath: string): CgroupClaim {
  const parts = cgroupPath.split("/").filter((p) => p);
  const dirs: string[] = [];
  for (const h of cgroupHierarchies()) {
    for (let i = 1; i <= parts.length; i++) {
      dirs.push(join(h.mountPoint, `/${parts.slice(0, i).join("/")}`));
    }
  }
  const held = dirs.map((dir) => ({ dir, claim: claimPath(`cgroup:${dir}`, () => isDir(dir)) }));
  let released = false;
  return {
    release(): string[] {
      if (released) return [];
      released = true;
      const left: string[] = [];
      for (const { dir, claim } of held.sort((a, b) => b.dir.length - a.dir.length)) {
        const failed = claim.release(() => {
          try {
            Deno.removeSync(dir);
            return false;
          } catch (e) {
            return !(e instanceof Deno.errors.NotFound);
          }
        });
        if (failed === true) left.push(dir);
      }
      return left;
    },
  };
}

function join(mountPoint: string, cgroupPath: string): string {
  return cgroupPath === "/" ? mountPoint : `${mountPoint}/${cgroupPath.replace(/^\/+/, "")}`;
}

function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
