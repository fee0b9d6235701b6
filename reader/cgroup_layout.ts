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
 * Reaches: /proc (`mountinfo`) and cgroup files (`cgroup.controllers`), through an `Fs`; the path
 * rule is pure.
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
 * relative to the mount's root. The one rule for cgroup directories (discovery and statistics both
 * use it); pure, no memo: a caller that looks the same directories up every sweep keeps a
 * {@linkcode createCgroupPathMemo} of its own.
 *
 * @param mount Where the hierarchy is mounted and which cgroup sits at the mount point.
 * @param relPath Cgroup path as in /proc/<pid>/cgroup, e.g. `/docker/<id>`.
 * @returns The directory, or `null` when the path is not absolute, contains a `..` segment (a
 *   cgroup outside the reader's cgroup namespace) or lies outside the mount's root (a container
 *   that only sees its own subtree).
 */
export function cgroupDirUnder(mount: CgroupMount, relPath: string): string | null {
  return computeCgroupDirUnder(mount.mountPoint, mount.root, relPath);
}

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

/** `<dir>/<file>`, with the root directory `/` giving `/<file>`. */
export function cgroupFileIn(dir: string, file: string): string {
  return `${dir === "/" ? "" : dir}/${file}`;
}

/**
 * Cgroup directories and file paths as {@linkcode cgroupDirUnder} and {@linkcode cgroupFileIn}
 * give them, remembered: a 1 Hz reader looks up every container's directories and files every
 * sweep, and gets the same string objects back each time (the handle cache looks paths up by
 * value, and a path built anew is copied flat for every lookup, REQ-RDR-025). Owned by its caller
 * (one per reader context); {@linkcode DIRECT_CGROUP_PATHS} remembers nothing.
 */
export interface CgroupPathMemo {
  /** {@linkcode cgroupDirUnder} of the mount at `mountPoint` whose root is `root`. */
  dir(mountPoint: string, root: string, relPath: string): string | null;
  /** {@linkcode cgroupFileIn}. */
  file(dir: string, file: string): string;
}

/** A {@linkcode CgroupPathMemo} that computes every answer (one-off reads, tests). */
export const DIRECT_CGROUP_PATHS: CgroupPathMemo = Object.freeze({
  dir: computeCgroupDirUnder,
  file: cgroupFileIn,
});

/** A new {@linkcode CgroupPathMemo} holding at most `max` answers of each kind. */
export function createCgroupPathMemo(max = 20_000): CgroupPathMemo {
  const dirs = boundedMemo<string | null>(max, computeCgroupDirUnder);
  const files = boundedMemo<string>(max, cgroupFileIn);
  return { dir: (mountPoint, root, relPath) => dirs(mountPoint, root, relPath), file: files };
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
 * @param memo Where to remember the answer (see {@linkcode CgroupPathMemo}); default none.
 * @returns The directory, or `null` when the controller is mounted nowhere or the path is not
 *   reachable (see {@linkcode cgroupDirUnder}).
 */
export function cgroupDir(
  layout: CgroupLayout,
  controller: string,
  relPath: string,
  memo: CgroupPathMemo = DIRECT_CGROUP_PATHS,
): string | null {
  const v1 = controller === V2_HIERARCHY ? undefined : layout.v1[controller];
  if (v1 !== undefined) return memo.dir(v1.mountPoint, v1.root, relPath);
  if (layout.v2 === null) return null;
  return memo.dir(layout.v2.mountPoint, layout.v2.root, relPath);
}
