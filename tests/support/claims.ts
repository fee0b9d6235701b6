/**
 * Shared claims on host paths that several tests may cause to exist at once (`/docker` cgroups,
 * `/run/containerd/s`, …), counted across every test process on the machine (`deno test
 * --parallel` runs test files in separate processes).
 *
 * The first claimer records whether the path existed (the baseline); the last one to release
 * learns that baseline, so that exactly the paths the tests made get removed, and never while
 * another test still uses them. State lives in `<cache root>/claims/` under an `flock`.
 *
 * @module
 */

import { defaultCacheRoot } from "./rootfs.ts";
import { isAlive } from "./processes.ts";

/** One test's claim on a path. */
export interface Claim {
  /** The claimed path. */
  path: string;
  /**
   * Drops this claim. When it was the last live one, calls `cleanup` under the lock, only if
   * the path did not exist before the first claim, and returns what `cleanup` returned.
   */
  release<T>(cleanup: () => T): T | null;
}

let counter = 0;

/**
 * Claims `path`; `exists` tells whether it exists now (called only by the first claimer).
 * Claims of processes that died are ignored.
 */
export function claimPath(
  path: string,
  exists: () => boolean,
  { root = `${defaultCacheRoot()}/claims` }: { root?: string } = {},
): Claim {
  const dir = `${root}/${encodeURIComponent(path)}`;
  // Test modules run with --parallel share one process (and PID): a random part keeps holders apart.
  const holder = `${dir}/holder-${Deno.pid}-${++counter}-${crypto.randomUUID()}`;
  withLock(root, () => {
    Deno.mkdirSync(dir, { recursive: true });
    if (liveHolders(dir).length === 0) {
      Deno.writeTextFileSync(`${dir}/baseline`, exists() ? "existed" : "absent");
    }
    Deno.writeTextFileSync(holder, `${Deno.pid}`);
  });
  let released = false;
  return {
    path,
    release<T>(cleanup: () => T): T | null {
      if (released) return null;
      released = true;
      return withLock(root, () => {
        removeQuietly(holder);
        if (liveHolders(dir).length > 0) return null;
        let baseline = "existed";
        try {
          baseline = Deno.readTextFileSync(`${dir}/baseline`);
        } catch {
          // no baseline: treat as pre-existing, never remove
        }
        removeQuietly(`${dir}/baseline`);
        removeQuietly(dir);
        return baseline === "absent" ? cleanup() : null;
      });
    },
  };
}

/** True while some live process (this one included) holds a claim on `path`. */
export function hasLiveClaims(
  path: string,
  { root = `${defaultCacheRoot()}/claims` }: { root?: string } = {},
): boolean {
  const dir = `${root}/${encodeURIComponent(path)}`;
  return withLock(root, () => {
    try {
      return liveHolders(dir).length > 0;
    } catch {
      return false;
    }
  });
}

/**
 * Whether `path` existed before the tests touched it: while some live process holds a claim on
 * it, the baseline its first claimer recorded (a path a concurrent test made reads as absent,
 * whether or not it is there now); otherwise whether it exists now (`exists`).
 */
export function existedBeforeClaims(
  path: string,
  exists: () => boolean,
  { root = `${defaultCacheRoot()}/claims` }: { root?: string } = {},
): boolean {
  const dir = `${root}/${encodeURIComponent(path)}`;
  return withLock(root, () => {
    let live: string[] = [];
    try {
      live = liveHolders(dir);
    } catch { /* unreadable claims: go by the path itself */ }
    if (live.length === 0) return exists();
    try {
      return Deno.readTextFileSync(`${dir}/baseline`) !== "absent";
    } catch {
      return true; // no baseline: treated as pre-existing, as release() does
    }
  });
}

function liveHolders(dir: string): string[] {
  const live: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return live;
    throw error;
  }
  for (const entry of entries) {
    const match = entry.name.match(/^holder-(\d+)-/);
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid === Deno.pid || isAlive(pid)) live.push(entry.name);
    else removeQuietly(`${dir}/${entry.name}`);
  }
  return live;
}

function withLock<T>(root: string, fn: () => T): T {
  Deno.mkdirSync(root, { recursive: true });
  const file = Deno.openSync(`${root}/.lock`, { create: true, write: true });
  try {
    file.lockSync(true);
    return fn();
  } finally {
    file.close();
  }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // already gone
  }
}
