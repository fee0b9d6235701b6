/**
 * Container discovery: which containers exist on this node, which processes run in each, and
 * where each container's cgroup is in every hierarchy (each cgroup v1 controller and the
 * v2/unified one).
 *
 * Two sources are combined:
 * - `/proc/<pid>/cgroup` of every process (one small file per PID): groups processes by
 *   container. {@linkcode groupProcesses} takes texts that were already read, so a collector that
 *   reads these files anyway pays nothing twice.
 * - a walk of the cgroup hierarchies found in `/proc/self/mountinfo`: finds containers that have
 *   no process yet (created, or between restarts) and the hierarchies their processes' files
 *   would not show.
 *
 * Threads are not looked at: a cgroup v1 thread moved to another cgroup than its thread group
 * leader still counts for the leader's container.
 *
 * Reaches: /proc (`<pid>/cgroup`, `mountinfo`) and the cgroup trees (listings, `cgroup.procs`),
 * through an `Fs`.
 *
 * @module
 */

import type { Fs, Roots } from "../fs.ts";
import { type CgroupPathMemo, DIRECT_CGROUP_PATHS } from "../cgroup_layout.ts";
import { parseMountinfo } from "../parse/mountinfo.ts";
import { type CgroupMounts, findCgroupMounts } from "../parse/cgroup_mounts.ts";
import { parsePidCgroup, type PidCgroupEntry } from "../parse/proc_pid_cgroup.ts";
import {
  type CgroupIdentity,
  cgroupPathElements,
  classifyCgroupPath,
  type ContainerRuntime,
  DEFAULT_CONTAINERD_NAMESPACES,
  type QosClass,
} from "./classify.ts";
import type { ContainerMetadata, MetadataCache } from "./metadata.ts";

/**
 * A cgroup's location in every hierarchy: `unified` for cgroup v2, `v1` keyed by controller
 * (`cpu`, `cpuacct`, `memory`, …, and `name=systemd` for a named hierarchy; co-mounted
 * controllers each have their key).
 */
export interface CgroupPaths {
  /** In the cgroup v2 (unified) hierarchy, or `null` when it is not known or not mounted. */
  unified: string | null;
  /** In each cgroup v1 hierarchy, keyed by controller. */
  v1: Record<string, string>;
}

/** A container and its processes, as grouped from `/proc/<pid>/cgroup` and the cgroup walk. */
export interface ContainerGroup {
  /** Container id. */
  id: string;
  /** Runtime from the cgroup path; `null` when the path does not say. */
  runtime: ContainerRuntime | null;
  /** Kubernetes pod UID from the cgroup path. */
  podUid: string | null;
  /** Kubernetes QoS class from the cgroup path. */
  qosClass: QosClass | null;
  /**
   * Cgroup paths of the container itself (not of its sub-cgroups), as `/proc/<pid>/cgroup`
   * prints them.
   */
  cgroupPaths: CgroupPaths;
  /** PIDs (thread group ids) in the container or its sub-cgroups, ascending. */
  pids: number[];
}

/** A discovered container with its cgroup directories and metadata. */
export interface DiscoveredContainer extends ContainerGroup {
  /**
   * The cgroup directories on disk (mount point + path), for the hierarchies whose mount reaches
   * the container's cgroup.
   */
  cgroupDirs: CgroupPaths;
  /** Runtime's name for the container (see `ContainerMetadata.name`), or `null`. */
  name: string | null;
  /** Kubernetes pod name (metadata, else `/var/log/pods`), or `null`. */
  podName: string | null;
  /** Kubernetes namespace (metadata, else `/var/log/pods`), or `null`. */
  podNamespace: string | null;
  /** Kubernetes container name, `"POD"` for a sandbox, or `null`. */
  containerName: string | null;
  /** True for a pod sandbox (pause) container; `false` also when metadata is unknown. */
  sandbox: boolean;
  /** Everything the metadata stores know, or `null` when no store knows the id. */
  metadata: ContainerMetadata | null;
}

/** Options shared by the grouping functions. */
export interface GroupOptions {
  /** containerd namespaces for plain containerd paths (see `classifyCgroupPath`). */
  containerdNamespaces?: readonly string[];
  /**
   * Memo of classifications by path, kept by the caller across sweeps to skip re-classifying the
   * same paths every second. Unbounded: clear it when it grows past what the node can hold, and
   * when `containerdNamespaces` change (classifications depend on them).
   */
  memo?: Map<string, CgroupIdentity | null>;
}

/** A process's container and the container's paths in the hierarchies the process showed. */
export interface ProcessContainer {
  /** The container's classification. */
  identity: CgroupIdentity;
  /** The container's own cgroup paths (sub-cgroups stripped) in each hierarchy. */
  cgroupPaths: CgroupPaths;
}

/** Hierarchies in order of preference when a process's hierarchies disagree. */
const PREFERENCE = ["unified", "memory", "cpu", "pids", "cpuacct", "blkio", "cpuset"];

function rank(key: string): number {
  const i = PREFERENCE.indexOf(key);
  return i < 0 ? (key.startsWith("name=") ? PREFERENCE.length + 1 : PREFERENCE.length) : i;
}

function classifyMemo(path: string, options: GroupOptions): CgroupIdentity | null {
  const memo = options.memo;
  if (memo?.has(path)) return memo.get(path)!;
  const found = classifyCgroupPath(path, {
    containerdNamespaces: options.containerdNamespaces ?? DEFAULT_CONTAINERD_NAMESPACES,
  });
  memo?.set(path, found);
  return found;
}

function hierarchyKeys(entry: PidCgroupEntry): string[] {
  return entry.hierarchyId === 0 ? ["unified"] : entry.controllers;
}

/**
 * The container a process belongs to, from its parsed `/proc/<pid>/cgroup`, with the
 * container's path in each hierarchy. When hierarchies disagree (a process moved in some v1
 * hierarchies only), the container named by most hierarchies wins, ties going to the unified
 * hierarchy, then memory, cpu, pids. Processes of conmon, pods, services and slices have none.
 *
 * @returns The container, or `null` when the process is in none.
 */
export function identifyProcess(
  entries: readonly PidCgroupEntry[],
  options: GroupOptions = {},
): ProcessContainer | null {
  const votes = new Map<string, { identity: CgroupIdentity; count: number; best: number }>();
  for (const entry of entries) {
    const identity = classifyMemo(entry.path, options);
    if (identity === null || identity.kind !== "container" || identity.id === null) continue;
    const best = Math.min(...hierarchyKeys(entry).map(rank));
    const vote = votes.get(identity.id);
    if (vote === undefined) votes.set(identity.id, { identity, count: 1, best });
    else {
      vote.count++;
      if (best < vote.best) {
        vote.best = best;
        vote.identity = identity;
      }
    }
  }
  let winner: { identity: CgroupIdentity; count: number; best: number } | null = null;
  for (const vote of votes.values()) {
    if (
      winner === null || vote.count > winner.count ||
      (vote.count === winner.count && vote.best < winner.best)
    ) winner = vote;
  }
  if (winner === null) return null;
  const cgroupPaths: CgroupPaths = { unified: null, v1: {} };
  for (const entry of entries) {
    const identity = classifyMemo(entry.path, options);
    if (identity?.kind !== "container" || identity.id !== winner.identity.id) continue;
    for (const key of hierarchyKeys(entry)) {
      if (key === "unified") cgroupPaths.unified = identity.path;
      else cgroupPaths.v1[key] = identity.path;
    }
  }
  return { identity: winner.identity, cgroupPaths };
}

/**
 * The id of the container a process belongs to (see {@linkcode identifyProcess}), or `null`.
 *
 * @param entries The process's `/proc/<pid>/cgroup`, parsed by `parsePidCgroup`.
 */
export function mapProcessToContainer(
  entries: readonly PidCgroupEntry[],
  options: GroupOptions = {},
): string | null {
  return identifyProcess(entries, options)?.identity.id ?? null;
}

function newGroup(identity: CgroupIdentity): ContainerGroup {
  return {
    id: identity.id!,
    runtime: identity.runtime,
    podUid: identity.podUid,
    qosClass: identity.qosClass,
    cgroupPaths: { unified: null, v1: {} },
    pids: [],
  };
}

function mergePaths(into: CgroupPaths, from: CgroupPaths): void {
  into.unified ??= from.unified;
  for (const key in from.v1) into.v1[key] ??= from.v1[key];
}

/**
 * Groups processes by container from `/proc/<pid>/cgroup` texts that were already read.
 * Unparsable texts (a process that exited mid-read) are skipped.
 *
 * @param cgroupTexts `[pid, text of /proc/<pid>/cgroup]` pairs.
 * @returns Containers by id, each with its PIDs ascending.
 */
export function groupProcesses(
  cgroupTexts: Iterable<readonly [number, string]>,
  options: GroupOptions = {},
): Map<string, ContainerGroup> {
  const identified: [number, ProcessContainer][] = [];
  for (const [pid, text] of cgroupTexts) {
    let entries: PidCgroupEntry[];
    try {
      entries = parsePidCgroup(text);
    } catch {
      continue;
    }
    const found = identifyProcess(entries, options);
    if (found !== null) identified.push([pid, found]);
  }
  return groupIdentified(identified);
}

/**
 * Groups processes by container from their {@linkcode identifyProcess} results (e.g. kept across
 * sweeps by a `ProcessIdentityCache`), as {@linkcode groupProcesses} does from texts.
 *
 * @param identified `[pid, container of pid]` pairs.
 * @returns Containers by id, each with its PIDs ascending.
 */
export function groupIdentified(
  identified: Iterable<readonly [number, ProcessContainer]>,
): Map<string, ContainerGroup> {
  const groups = new Map<string, ContainerGroup>();
  for (const [pid, found] of identified) {
    let group = groups.get(found.identity.id!);
    if (group === undefined) {
      group = newGroup(found.identity);
      groups.set(group.id, group);
    }
    mergePaths(group.cgroupPaths, found.cgroupPaths);
    group.pids.push(pid);
  }
  for (const group of groups.values()) group.pids.sort((a, b) => a - b);
  return groups;
}

/**
 * Reads `/proc/<pid>/cgroup` of every process under `roots.proc`. Processes that exit during the
 * scan are left out.
 *
 * @returns `[pid, text]` pairs in directory order.
 */
export function readProcessCgroups(fs: Fs, roots: Roots): [number, string][] {
  const out: [number, string][] = [];
  for (const entry of fs.listDir(roots.proc)) {
    if (!/^[0-9]+$/.test(entry.name)) continue;
    const text = fs.readText(`${roots.proc}/${entry.name}/cgroup`);
    if (text !== null) out.push([Number(entry.name), text]);
  }
  return out;
}

/** One mounted hierarchy to walk: its mount point, root and the keys it stands for. */
interface Hierarchy {
  mountPoint: string;
  root: string;
  keys: string[];
}

/** The distinct hierarchies of a {@linkcode CgroupMounts}. */
function hierarchiesOf(mounts: CgroupMounts): Hierarchy[] {
  const byMount = new Map<string, Hierarchy>();
  if (mounts.v2 !== null) {
    byMount.set(mounts.v2, {
      mountPoint: mounts.v2,
      root: mounts.v2Root ?? "/",
      keys: ["unified"],
    });
  }
  for (const [key, mount] of Object.entries(mounts.v1)) {
    const h = byMount.get(mount.mountPoint);
    if (h) h.keys.push(key);
    else {byMount.set(mount.mountPoint, {
        mountPoint: mount.mountPoint,
        root: mount.root,
        keys: [key],
      });}
  }
  return [...byMount.values()];
}

/**
 * The cgroup mounts from `<roots.proc>/self/mountinfo`, with mount points under `/sys/fs/cgroup`
 * moved to `roots.cgroup` (a fixture tree, or the host's cgroupfs mounted elsewhere). `null`
 * when mountinfo cannot be read.
 */
export function readCgroupMounts(fs: Fs, roots: Roots): CgroupMounts | null {
  const text = fs.readText(`${roots.proc}/self/mountinfo`);
  if (text === null) return null;
  let mounts: CgroupMounts;
  try {
    mounts = findCgroupMounts(parseMountinfo(text));
  } catch {
    return null;
  }
  const move = (mountPoint: string) =>
    roots.cgroup !== "/sys/fs/cgroup" &&
      (mountPoint === "/sys/fs/cgroup" || mountPoint.startsWith("/sys/fs/cgroup/"))
      ? roots.cgroup + mountPoint.slice("/sys/fs/cgroup".length)
      : mountPoint;
  const v1: CgroupMounts["v1"] = {};
  for (const [key, m] of Object.entries(mounts.v1)) {
    v1[key] = { ...m, mountPoint: move(m.mountPoint) };
  }
  return { v2: mounts.v2 === null ? null : move(mounts.v2), v2Root: mounts.v2Root, v1 };
}

/** Which hierarchies {@linkcode walkCgroupContainers} walks. */
export type WalkHierarchies =
  /**
   * One: a v1 resource hierarchy (memory, else cpu, else pids) when there is one, else the
   * cgroup2 hierarchy. About 1/10 of the cost of `all` on a v1 node with ten hierarchies.
   */
  | "primary"
  /** Every mounted hierarchy. */
  | "all";

/** Options of {@linkcode walkCgroupContainers}. */
export interface WalkOptions extends GroupOptions {
  /** Directory levels below the mount point to descend. */
  maxDepth?: number;
  /** Which hierarchies to walk. */
  hierarchies?: WalkHierarchies;
  /** When the walk is taken (the caller's clock), kept in {@linkcode CgroupWalk.atMs}; default 0. */
  atMs?: number;
}

/**
 * The containers one cgroup walk found, kept by its caller across sweeps (the reader context holds
 * the last one) and handed to {@linkcode discoverContainers} instead of walking again. It is the
 * cache of everything learnt about those containers since the walk, and changes only through its
 * own methods: a container whose cgroup is gone is forgotten, and the paths of a container found in
 * one hierarchy are completed in the others once. Nothing else in discovery keeps state.
 */
export class CgroupWalk implements Iterable<[string, ContainerGroup]> {
  /** When the walk was taken (the caller's clock). */
  atMs: number;
  readonly #groups: Map<string, ContainerGroup>;
  /** Paths completed in every hierarchy (see {@linkcode completeCgroupPaths}), by id. */
  readonly #completed = new Map<string, CgroupPaths>();

  /** The walk's containers by id. */
  constructor(groups: Map<string, ContainerGroup>, atMs = 0) {
    this.#groups = groups;
    this.atMs = atMs;
  }

  /** Whether the walk (still) holds container `id`. */
  has(id: string): boolean {
    return this.#groups.has(id);
  }

  /** Containers held. */
  get size(): number {
    return this.#groups.size;
  }

  /** The containers held, by id. */
  [Symbol.iterator](): IterableIterator<[string, ContainerGroup]> {
    return this.#groups.entries();
  }

  /** Forgets container `id` (its cgroup is gone). */
  forget(id: string): void {
    this.#groups.delete(id);
    this.#completed.delete(id);
  }

  /** The paths of container `group` in every hierarchy, completed once and then remembered. */
  completedPaths(fs: Fs, mounts: CgroupMounts, group: ContainerGroup): CgroupPaths {
    let paths = this.#completed.get(group.id);
    if (paths === undefined) {
      paths = completeCgroupPaths(fs, mounts, group.cgroupPaths);
      this.#completed.set(group.id, paths);
    }
    return paths;
  }
}

/** The hierarchy a `primary` walk takes. */
function primaryHierarchy(all: Hierarchy[]): Hierarchy[] {
  for (const key of ["memory", "cpu", "pids"]) {
    const h = all.find((x) => x.keys.includes(key));
    if (h) return [h];
  }
  const v2 = all.find((x) => x.keys.includes("unified"));
  return v2 ? [v2] : all.slice(0, 1);
}

/**
 * Walks the hierarchies below their mount points and returns the containers whose own cgroup
 * directory exists, with their paths in the walked hierarchies (no PIDs). Every directory of the
 * walked hierarchies is listed once: the cost grows with the number of cgroups times the number of
 * hierarchies walked: 400 cgroup directories of 30 files each took 11–15 ms per hierarchy on
 * the 2-core test machine (`all` over ten hierarchies: 115–160 ms).
 */
export function walkCgroupContainers(
  fs: Fs,
  mounts: CgroupMounts,
  { maxDepth = 32, hierarchies = "all", atMs = 0, ...options }: WalkOptions = {},
): CgroupWalk {
  const groups = new Map<string, ContainerGroup>();
  const all = hierarchiesOf(mounts);
  for (const h of hierarchies === "all" ? all : primaryHierarchy(all)) {
    const visit = (path: string) => {
      const identity = classifyMemo(path, options);
      if (identity?.kind !== "container" || identity.id === null || identity.path !== path) return;
      let group = groups.get(identity.id);
      if (group === undefined) {
        group = newGroup(identity);
        groups.set(group.id, group);
      }
      for (const key of h.keys) {
        if (key === "unified") group.cgroupPaths.unified ??= path;
        else group.cgroupPaths.v1[key] ??= path;
      }
    };
    const walk = (dir: string, path: string, depth: number) => {
      if (depth > maxDepth) return;
      for (const entry of fs.listDir(dir)) {
        if (!entry.isDirectory) continue;
        const childPath = path === "/" ? `/${entry.name}` : `${path}/${entry.name}`;
        visit(childPath);
        walk(`${dir}/${entry.name}`, childPath, depth + 1);
      }
    };
    // The mount's root is a container itself when a container mounts its own cgroup.
    const base = "/" + cgroupPathElements(h.root).join("/");
    if (base !== "/") visit(base);
    walk(h.mountPoint, base, 1);
  }
  return new CgroupWalk(groups, atMs);
}

/**
 * `paths` with the hierarchies it lacks filled in by looking for the cgroup at the same path in
 * each (runtimes use one relative path in every hierarchy): one `cgroup.procs` read per missing
 * hierarchy. `paths` itself is left as it is.
 */
export function completeCgroupPaths(
  fs: Fs,
  mounts: CgroupMounts,
  paths: CgroupPaths,
  memo: CgroupPathMemo = DIRECT_CGROUP_PATHS,
): CgroupPaths {
  const out: CgroupPaths = { unified: paths.unified, v1: { ...paths.v1 } };
  const known = paths.unified ?? Object.values(paths.v1)[0];
  if (known === undefined) return out;
  for (const h of hierarchiesOf(mounts)) {
    const missing = h.keys.filter((k) => (k === "unified" ? out.unified : out.v1[k]) == null);
    if (missing.length === 0) continue;
    const dir = memo.dir(h.mountPoint, h.root, known);
    if (dir === null || fs.readText(`${dir}/cgroup.procs`) === null) continue;
    for (const key of missing) {
      if (key === "unified") out.unified = known;
      else out.v1[key] = known;
    }
  }
  return out;
}

/** Whether a walked container's cgroup still exists (its `cgroup.procs` can be read). */
function cgroupExists(
  fs: Fs,
  mounts: CgroupMounts,
  paths: CgroupPaths,
  memo: CgroupPathMemo,
): boolean {
  const dirs = dirsOf(paths, mounts, memo);
  const dir = dirs.unified ?? Object.values(dirs.v1)[0];
  return dir !== undefined && fs.readText(`${dir}/cgroup.procs`) !== null;
}

/**
 * The containerd namespaces {@linkcode discoverContainers} classifies with by default: the
 * well-known ones and those the metadata cache saw.
 */
export function discoveryNamespaces(metadata?: MetadataCache | null): string[] {
  return [
    ...new Set([...DEFAULT_CONTAINERD_NAMESPACES, ...(metadata?.containerdNamespaces() ?? [])]),
  ];
}

/** Options of {@linkcode discoverContainers}. */
export interface DiscoverOptions extends GroupOptions {
  /** Metadata source; without it, name, pod name/namespace and sandbox stay unknown. */
  metadata?: MetadataCache | null;
  /** Walk the cgroup hierarchies too (finds containers without processes). */
  walkCgroups?: boolean;
  /**
   * Which hierarchies the walk lists. With `primary` (default), the paths of a container that
   * has no process in the other hierarchies are found by {@linkcode completeCgroupPaths}; a
   * container with processes has them from `/proc/<pid>/cgroup`.
   */
  walkHierarchies?: WalkHierarchies;
  /** Levels the walk descends below each mount point. */
  maxDepth?: number;
  /** Cgroup mounts to use instead of reading `<roots.proc>/self/mountinfo`. */
  mounts?: CgroupMounts | null;
  /** `/proc/<pid>/cgroup` texts already read this sweep, instead of reading them again. */
  cgroupTexts?: Iterable<readonly [number, string]>;
  /**
   * The containers of the processes, already identified (see `ProcessIdentityCache`): used
   * instead of `cgroupTexts` and of reading `/proc/<pid>/cgroup`.
   */
  identified?: Iterable<readonly [number, ProcessContainer]>;
  /**
   * With `walkCgroups`, the containers of an earlier walk ({@linkcode walkCgroupContainers}
   * with this call's `maxDepth` and `walkHierarchies`), kept by the caller, to use instead of
   * walking now. Those that have no process this time are checked to still exist (one
   * `cgroup.procs` read each) and forgotten by the walk when gone; their missing hierarchies are
   * filled in once (see {@linkcode CgroupWalk}).
   */
  walked?: CgroupWalk;
  /** Where cgroup directories are remembered across calls (the caller's); default none. */
  paths?: CgroupPathMemo;
  /** Keep containers that have no process (created, stopped between restarts). */
  includeEmpty?: boolean;
}

function dirsOf(
  paths: CgroupPaths,
  mounts: CgroupMounts | null,
  memo: CgroupPathMemo,
): CgroupPaths {
  const dirs: CgroupPaths = { unified: null, v1: {} };
  if (mounts === null) return dirs;
  if (paths.unified !== null && mounts.v2 !== null) {
    dirs.unified = memo.dir(mounts.v2, mounts.v2Root ?? "/", paths.unified);
  }
  for (const key in paths.v1) {
    const mount = mounts.v1[key];
    if (mount === undefined) continue;
    const dir = memo.dir(mount.mountPoint, mount.root, paths.v1[key]);
    if (dir !== null) dirs.v1[key] = dir;
  }
  return dirs;
}

/**
 * Discovers the containers of this node: groups every process by container from
 * `/proc/<pid>/cgroup`, adds containers found by walking the cgroup hierarchies, and attaches
 * metadata (name, pod, namespace, sandbox) from `options.metadata`. Runtime, pod UID and QoS
 * come from the cgroup path, else from the metadata.
 *
 * @param fs File access.
 * @param roots Where /proc and the cgroup mounts are.
 * @returns Containers sorted by id.
 */
export function discoverContainers(
  fs: Fs,
  roots: Roots,
  {
    metadata = null,
    walkCgroups = true,
    maxDepth = 32,
    walkHierarchies = "primary",
    mounts,
    cgroupTexts,
    identified,
    walked: earlierWalk,
    includeEmpty = true,
    memo = new Map(),
    containerdNamespaces,
    paths: pathMemo = DIRECT_CGROUP_PATHS,
  }: DiscoverOptions = {},
): DiscoveredContainer[] {
  const namespaces = containerdNamespaces ?? discoveryNamespaces(metadata);
  const options: GroupOptions = { containerdNamespaces: namespaces, memo };
  const cgroupMounts = mounts === undefined ? readCgroupMounts(fs, roots) : mounts;
  const groups = identified !== undefined
    ? groupIdentified(identified)
    : groupProcesses(cgroupTexts ?? readProcessCgroups(fs, roots), options);
  if (walkCgroups && cgroupMounts !== null) {
    const walkedGroups = earlierWalk ?? walkCgroupContainers(fs, cgroupMounts, {
      ...options,
      maxDepth,
      hierarchies: walkHierarchies,
    });
    for (const [id, walked] of walkedGroups) {
      const group = groups.get(id);
      if (group !== undefined) mergePaths(group.cgroupPaths, walked.cgroupPaths);
      else {
        if (
          earlierWalk !== undefined &&
          !cgroupExists(fs, cgroupMounts, walked.cgroupPaths, pathMemo)
        ) {
          earlierWalk.forget(id);
          continue;
        }
        const paths = walkHierarchies !== "primary"
          ? walked.cgroupPaths
          : earlierWalk !== undefined
          ? earlierWalk.completedPaths(fs, cgroupMounts, walked)
          : completeCgroupPaths(fs, cgroupMounts, walked.cgroupPaths, pathMemo);
        // A copy: the walk may be kept for later sweeps, the output is the caller's.
        groups.set(id, {
          ...walked,
          cgroupPaths: { unified: paths.unified, v1: { ...paths.v1 } },
          pids: [],
        });
      }
    }
  }
  const out: DiscoveredContainer[] = [];
  for (const group of groups.values()) {
    if (!includeEmpty && group.pids.length === 0) continue;
    const meta = metadata?.get(group.id, group.runtime) ?? null;
    const podUid = group.podUid ?? meta?.podUid ?? null;
    const pod = podUid !== null && (meta?.podName == null || meta?.podNamespace == null)
      ? metadata?.pod(podUid) ?? null
      : null;
    out.push({
      ...group,
      runtime: group.runtime ?? meta?.runtime ?? null,
      podUid,
      qosClass: group.qosClass ?? meta?.qosClass ?? null,
      cgroupDirs: dirsOf(group.cgroupPaths, cgroupMounts, pathMemo),
      name: meta?.name ?? null,
      podName: meta?.podName ?? pod?.name ?? null,
      podNamespace: meta?.podNamespace ?? pod?.namespace ?? null,
      containerName: meta?.containerName ?? null,
      sandbox: meta?.sandbox ?? false,
      metadata: meta,
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
