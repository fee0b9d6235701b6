/**
 * Where each cgroup controller lives on this machine, and how a cgroup path as printed in
 * /proc/<pid>/cgroup maps to a directory under a mount point.
 *
 * Three layouts exist in the wild:
 * - `v1`: every controller on its own (or a co-mounted `cpu,cpuacct`) v1 hierarchy, no cgroup2;
 * - `v1+v2-mirror`: systemd's "hybrid" mode: v1 controllers plus a cgroup2 hierarchy (usually at
 *   /sys/fs/cgroup/unified) that carries few or no controllers but mirrors the cgroup tree and
 *   provides the core files: `cpu.stat` usage lines and, with PSI, `*.pressure`;
 * - `v2`: one unified hierarchy with every controller (named `name=` v1 hierarchies such as
 *   `name=systemd` may still be mounted alongside; they carry no resource controller).
 *
 * @module
 */

import { boundedMemo } from "./memo.ts";
import type { Fs } from "./fs.ts";
import { type CgroupMount, type CgroupMounts, findCgroupMounts } from "./parse/cgroup_mounts.ts";
import { parseCgroupControllers } from "./parse/cgroup_v2.ts";
import { parseMountinfo } from "./parse/mountinfo.ts";

/** Which cgroup layout a machine (mount namespace) has; see the module documentation. */
export type CgroupVersion = "v1" | "v2" | "v1+v2-mirror";

/** Where each controller lives. Build it with {@linkcode buildCgroupLayout}. */
export interface CgroupLayout {
  /** The layout. */
  version: CgroupVersion;
  /** The cgroup2 mount (full v2 hierarchy or the hybrid mirror), or `null`. */
  v2: CgroupMount | null;
  /** Controllers available on the cgroup2 hierarchy (its root's `cgroup.controllers`). */
  v2Controllers: string[];
  /** The v1 hierarchies by controller name, as found by `findCgroupMounts()`. */
  v1: Record<string, CgroupMount>;
}

/** The v1 controllers whose presence makes a layout `v1` or `v1+v2-mirror`. */
export const RESOURCE_CONTROLLERS_V1: readonly string[] = [
  "cpu",
  "cpuacct",
  "memory",
  "blkio",
  "pids",
];

/** The name {@linkcode cgroupDir} takes for "the cgroup2 hierarchy, whatever the controller". */
export const V2_HIERARCHY = "";

/**
 * Combine the cgroup mounts with the controllers of the cgroup2 root into a layout.
 *
 * @param mounts Output of `findCgroupMounts()`.
 * @param v2Controllers Parsed `cgroup.controllers` of the cgroup2 mount point (`[]` when there is
 *   no cgroup2 mount or it carries no controller).
 * @throws {Error} when there is neither a cgroup2 mount nor a v1 resource controller mount.
 */
export function buildCgroupLayout(
  mounts: CgroupMounts,
  v2Controllers: readonly string[],
): CgroupLayout {
  const v2 = mounts.v2 === null ? null : { mountPoint: mounts.v2, root: mounts.v2Root ?? "/" };
  const hasV1 = RESOURCE_CONTROLLERS_V1.some((c) => mounts.v1[c] !== undefined);
  if (v2 === null && !hasV1) {
    throw new Error("Cannot find cgroups: no cgroup2 mount and no cgroup v1 controller mount");
  }
  const version: CgroupVersion = !hasV1 ? "v2" : v2 === null ? "v1" : "v1+v2-mirror";
  return {
    version,
    v2,
    v2Controllers: v2 === null ? [] : [...v2Controllers],
    v1: { ...mounts.v1 },
  };
}

/** Options of {@linkcode detectCgroupLayout}. */
export interface DetectCgroupLayoutOptions {
  /** The mountinfo to read; default `/proc/self/mountinfo` (the reader's mount namespace). */
  mountinfoPath?: string;
}

/**
 * Read mountinfo and the cgroup2 root's `cgroup.controllers` through `fs` and build the layout.
 *
 * @throws {Error} when mountinfo cannot be read or shows no cgroup hierarchy.
 * @throws {SyntaxError} when mountinfo is malformed.
 */
export function detectCgroupLayout(
  fs: Fs,
  { mountinfoPath = "/proc/self/mountinfo" }: DetectCgroupLayoutOptions = {},
): CgroupLayout {
  const text = fs.readText(mountinfoPath);
  if (text === null) {
    throw new Error(`Cannot read "${mountinfoPath}": ${fs.lastFailure ?? "error"}`);
  }
  return layoutFromMounts(fs, findCgroupMounts(parseMountinfo(text)));
}

/**
 * The layout of cgroup mounts already found (and possibly moved under another root): reads the
 * cgroup2 root's `cgroup.controllers` through `fs`.
 *
 * @throws {Error} when there is neither a cgroup2 mount nor a v1 controller mount.
 */
export function layoutFromMounts(fs: Fs, mounts: CgroupMounts): CgroupLayout {
  const controllers = mounts.v2 === null
    ? null
    : fs.readText(`${mounts.v2 === "/" ? "" : mounts.v2}/cgroup.controllers`);
  return buildCgroupLayout(mounts, controllers === null ? [] : parseCgroupControllers(controllers));
}

/**
 * The directory of a cgroup under one mount: the mount point joined with the cgroup path made
 * relative to the mount's root.
 *
 * @param mount Where the hierarchy is mounted and which cgroup sits at the mount point.
 * @param relPath Cgroup path as in /proc/<pid>/cgroup, e.g. `/docker/<id>`.
 * @returns The directory, or `null` when the path is not absolute, contains a `..` segment (a
 *   cgroup outside the reader's cgroup namespace) or lies outside the mount's root (a container
 *   that only sees its own subtree).
 */
export function cgroupDirUnder(mount: CgroupMount, relPath: string): string | null {
  // Every container's directories are looked up every sweep: remember the answers.
  return dirMemo(mount.mountPoint, mount.root, relPath);
}

const dirMemo = boundedMemo<string | null>(20_000, computeCgroupDirUnder);

function computeCgroupDirUnder(
  mountPoint: string,
  mountRoot: string,
  relPath: string,
): string | null {
  if (!relPath.startsWith("/") || relPath.split("/").includes("..")) return null;
  const path = relPath.replace(/\/+$/, "");
  const root = mountRoot.replace(/\/+$/, "");
  let rest: string;
  if (root === "") rest = path;
  else if (path === root) rest = "";
  else if (path.startsWith(`${root}/`)) rest = path.slice(root.length);
  else return null;
  const base = mountPoint.replace(/\/+$/, "");
  return base + rest === "" ? "/" : base + rest;
}

/**
 * The directory of a cgroup for one controller: on its v1 hierarchy when mounted there, else on
 * the cgroup2 hierarchy.
 *
 * @param layout The machine's layout.
 * @param controller A v1 controller or hierarchy name (`cpu`, `cpuacct`, `memory`, `blkio`,
 *   `pids`, `name=systemd`, …), a v2 controller (`cpu`, `memory`, `io`, `pids`), or
 *   {@linkcode V2_HIERARCHY} (`""`) for the cgroup2 hierarchy itself (core files such as
 *   `cgroup.procs`, `*.pressure`).
 * @param relPath Cgroup path as in /proc/<pid>/cgroup.
 * @returns The directory, or `null` when the controller is mounted nowhere or the path is not
 *   reachable (see {@linkcode cgroupDirUnder}).
 */
export function cgroupDir(
  layout: CgroupLayout,
  controller: string,
  relPath: string,
): string | null {
  const v1 = controller === V2_HIERARCHY ? undefined : layout.v1[controller];
  if (v1 !== undefined) return cgroupDirUnder(v1, relPath);
  if (layout.v2 === null) return null;
  return cgroupDirUnder(layout.v2, relPath);
}
