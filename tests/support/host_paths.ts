/**
 * Host paths that container runtimes create outside the private directories a test gives them,
 * whatever flags they get (measured on Debian 12: docker.io 20.10, containerd 1.6, podman 4.3):
 *
 * - dockerd: `/run/docker/plugins`; its managed containerd: `/opt/containerd/{bin,lib}`;
 * - every containerd-shim-runc-v2 (docker's and a private containerd's): its socket in
 *   `/run/containerd/s/<sha256>` (removed when the shim exits; the directory stays);
 * - podman (cgroupfs, rootful): `/run/runc/<id>` (runc's default state root; the entry is
 *   removed with the container), `/var/lib/containers/cache/blob-info-cache-v1.boltdb` (image
 *   import).
 *
 * A test claims these before it starts a runtime; on release, the ones that did not exist at
 * the first claim are removed, so a machine looks after a test run as it did before.
 *
 * @module
 */

import { claimPath } from "./claims.ts";

/** Host paths claimed by a test; see {@linkcode claimHostPaths}. */
export interface HostPathClaim {
  /**
   * Drops the claims. A path whose last claim (across all test processes) this was, and which
   * did not exist before the first claim, is removed recursively. Returns the paths that could
   * not be removed.
   */
  release(): string[];
}

/**
 * Records which of `paths` exist now, before a runtime may create them. Claims are shared by
 * every test process (see `claims.ts`), so concurrent tests leave a path to the last one.
 */
export function claimHostPaths(paths: string[]): HostPathClaim {
  const held = paths.map((path) => claimPath(`host:${path}`, () => exists(path)));
  let released = false;
  return {
    release(): string[] {
      if (released) return [];
      released = true;
      const left: string[] = [];
      const order = held.map((claim, i) => ({ claim, path: paths[i] }))
        .sort((a, b) => b.path.length - a.path.length);
      for (const { claim, path } of order) {
        const failed = claim.release(() => {
          try {
            Deno.removeSync(path, { recursive: true });
            return false;
          } catch (e) {
            return !(e instanceof Deno.errors.NotFound);
          }
        });
        if (failed === true) left.push(path);
      }
      return left;
    },
  };
}

/** The paths dockerd (with its managed containerd and shims) creates outside its own roots. */
export const DOCKERD_HOST_PATHS = [
  "/run/docker",
  "/opt/containerd",
  "/run/containerd",
  "/run/containerd/s",
];

/** The paths a private containerd's shims create outside its own root and state. */
export const CONTAINERD_HOST_PATHS = ["/run/containerd", "/run/containerd/s"];

/** The paths rootful podman (cgroupfs manager, private root/runroot/tmpdir) creates. */
export const PODMAN_HOST_PATHS = [
  "/run/runc",
  "/var/lib/containers",
  "/var/lib/containers/cache",
];

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
