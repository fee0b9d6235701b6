/**
 * Decides whether a test that needs a real container runtime can run here. On a developer's
 * machine without the runtime the test is skipped with a printed reason; in CI (`CI=true`) the
 * runtime is required, so a missing part fails the test run instead of silently skipping.
 *
 * ```ts
 * Deno.test({
 *   name: "REQ-XYZ-001: discovers docker containers",
 *   ignore: !requireRuntime("docker"),
 *   fn: async () => { ... },
 * });
 * ```
 *
 * @module
 */

import { findExecutable } from "./command.ts";
import { cgroupHierarchies } from "./cgroups.ts";

/** The runtimes the harness can start. */
export type RuntimeName = "docker" | "containerd" | "runc" | "podman";

/** Binaries each runtime needs (resolved on `PATH` plus the sbin directories). */
export const RUNTIME_BINARIES: Record<RuntimeName, string[]> = {
  docker: ["dockerd", "docker", "containerd", "containerd-shim-runc-v2", "runc"],
  containerd: ["containerd", "ctr", "containerd-shim-runc-v2", "runc"],
  runc: ["runc"],
  podman: ["podman", "conmon", "runc"],
};

const SBIN_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/**
 * The absolute path of one binary a runtime needs, or `null`. `docker` prefers `/usr/bin/docker`
 * (the CLI shipped next to Debian's dockerd) over others on `PATH`.
 */
export function runtimeBinary(name: string): string | null {
  if (name === "docker" && findExecutable("/usr/bin/docker") !== null) return "/usr/bin/docker";
  return findExecutable(name, SBIN_DIRS);
}

/** Why `runtime` cannot run here, or `null` when everything it needs is present. */
export function missingForRuntime(runtime: RuntimeName): string | null {
  const missing = RUNTIME_BINARIES[runtime].filter((b) => runtimeBinary(b) === null);
  if (missing.length > 0) {
    return `${runtime} needs ${missing.join(", ")} (run .ci/install_system_packages.sh)`;
  }
  if (findExecutable("/bin/busybox") === null) {
    return `${runtime} tests need /bin/busybox (package busybox-static)`;
  }
  if (Deno.uid() !== 0) return `${runtime} tests must run as root`;
  if (!cgroupHierarchies().some((h) => h.controllers.includes("cpu") || h.version === 2)) {
    return `${runtime} tests need a mounted cgroup hierarchy under /sys/fs/cgroup`;
  }
  return null;
}

/**
 * True when `runtime` can be started here. Otherwise prints `skipped: <why>` and returns false,
 * unless `CI=true`, where a missing part throws so that the test run fails.
 *
 * @throws {Error} in CI when the runtime cannot run.
 */
export function requireRuntime(runtime: RuntimeName): boolean {
  return decideAvailability(missingForRuntime(runtime), Deno.env.get("CI") === "true");
}

/**
 * The decision behind {@linkcode requireRuntime}: true when nothing is missing (`why` is
 * `null`); otherwise throws when `ci`, else prints `skipped: <why>` and returns false.
 *
 * @throws {Error} when something is missing in CI.
 */
export function decideAvailability(why: string | null, ci: boolean): boolean {
  if (why === null) return true;
  if (ci) throw new Error(`Runtime unavailable in CI: ${why}`);
  console.log(`skipped: ${why}`);
  return false;
}
