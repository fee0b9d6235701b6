/**
 * Finds the cgroup hierarchies among the mounts of /proc/<pid>/mountinfo: the cgroup2 mount (at
 * /sys/fs/cgroup on a pure v2 host, /sys/fs/cgroup/unified on a systemd "hybrid" host) and every
 * cgroup v1 hierarchy, keyed by controller. See cgroups(7).
 *
 * @module
 */

import type { MountinfoEntry } from "./mountinfo.ts";

/** Where one cgroup hierarchy is mounted. */
export interface CgroupMount {
  /** Absolute mount point, e.g. `/sys/fs/cgroup/cpu,cpuacct`. */
  mountPoint: string;
  /**
   * The cgroup of the hierarchy that sits at the mount point: `/` on a host, `/docker/<id>` in a
   * container that sees its own cgroup as the root (no cgroup namespace). A cgroup path as found in
   * /proc/<pid>/cgroup is reached under the mount point only if it lies under this root.
   */
  root: string;
}

/** The cgroup hierarchies of a mount namespace. */
export interface CgroupMounts {
  /**
   * Mount point of the cgroup2 (unified) hierarchy, or `null` when none is mounted. Which
   * controllers it carries is not visible in mountinfo: read `<v2>/cgroup.controllers`.
   */
  v2: string | null;
  /** Root (see {@linkcode CgroupMount.root}) of the cgroup2 mount; `null` when `v2` is `null`. */
  v2Root: string | null;
  /**
   * Cgroup v1 hierarchies by controller name (`cpu`, `cpuacct`, `memory`, `blkio`, `pids`, …) and
   * by `name=<x>` for named hierarchies (`name=systemd`). Co-mounted controllers (`cpu,cpuacct`)
   * map every one of their names to the same mount.
   */
  v1: Record<string, CgroupMount>;
}

/** Controllers a cgroup v1 hierarchy can carry (kernel `cgroup_subsys` names). */
export const V1_CONTROLLERS: readonly string[] = [
  "cpuset",
  "cpu",
  "cpuacct",
  "io",
  "blkio",
  "memory",
  "devices",
  "freezer",
  "net_cls",
  "perf_event",
  "net_prio",
  "hugetlb",
  "pids",
  "rdma",
  "misc",
  "debug",
];

/**
 * The controller names in a v1 cgroup mount's super options: the known controllers and
 * `name=<x>`; mount flags such as `rw`, `xattr`, `noprefix`, `clone_children` or
 * `release_agent=…` are dropped.
 */
export function cgroupV1Controllers(superOptions: readonly string[]): string[] {
  return superOptions.filter((option) =>
    V1_CONTROLLERS.includes(option) || option.startsWith("name=")
  );
}

/**
 * Collect the cgroup hierarchies from parsed mountinfo entries.
 *
 * When a hierarchy (or controller) is mounted more than once, the first mount wins, except that a
 * later mount whose root is `/` replaces an earlier one with a narrower root: a full view of the
 * hierarchy reaches every cgroup.
 *
 * @param entries Output of `parseMountinfo()`.
 * @returns The cgroup2 mount (or `null`) and the v1 mounts keyed by controller.
 */
export function findCgroupMounts(entries: readonly MountinfoEntry[]): CgroupMounts {
  let v2: CgroupMount | null = null;
  const v1: Record<string, CgroupMount> = {};
  const better = (old: CgroupMount | null | undefined, entry: MountinfoEntry) =>
    old === null || old === undefined || (old.root !== "/" && entry.root === "/");
  for (const entry of entries) {
    const mount = { mountPoint: entry.mountPoint, root: entry.root };
    if (entry.fsType === "cgroup2") {
      if (better(v2, entry)) v2 = mount;
    } else if (entry.fsType === "cgroup") {
      for (const controller of cgroupV1Controllers(entry.superOptions)) {
        if (better(v1[controller], entry)) v1[controller] = mount;
      }
    }
  }
  return { v2: v2?.mountPoint ?? null, v2Root: v2?.root ?? null, v1 };
}
