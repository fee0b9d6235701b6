/**
 * What a test asks of a container, shared by every runtime helper, and the conversions from
 * docker-style limits (`--cpus 0.2`, `--memory 256m`) to the values runtimes write into cgroups.
 *
 * @module
 */

/** A container a test wants. Every field has a default. */
export interface ContainerSpec {
  /** Container name (runtimes that need one get a random `fgm-test-<hex>` otherwise). */
  name?: string;
  /** CPU limit in CPUs, e.g. `0.2` → `cpu.cfs_quota_us` 20000 with a 100000 µs period. */
  cpus?: number;
  /** Memory limit: bytes, or a docker-style size such as `"256m"`. */
  memory?: number | string;
  /** Command and arguments; default {@linkcode BUSY_LOOP_CMD}. */
  cmd?: string[];
  /** Labels (docker, podman) or extra annotations (containerd, runc). */
  labels?: Record<string, string>;
}

/**
 * A shell that spins one CPU in the background and stays alive for an hour. The trailing `true`
 * keeps busybox `sh -c` from exec'ing the last command, so the shell stays the container's
 * init and the busy loop its child.
 */
export const BUSY_LOOP_CMD = ["sh", "-c", "while :; do :; done & sleep 3600; true"];

/** A container that only sleeps. */
export const IDLE_CMD = ["sh", "-c", "sleep 3600; true"];

/** The CFS period every helper uses, in microseconds (the kernel's and docker's default). */
export const CFS_PERIOD_US = 100_000;

/**
 * Bytes from a number of bytes or a docker-style size (`512`, `64k`, `256m`, `1g`; binary units,
 * case-insensitive, optional trailing `b`).
 *
 * @throws {Error} for anything else.
 */
export function parseMemory(value: number | string): number {
  if (typeof value === "number") return value;
  const match = value.trim().toLowerCase().match(/^(\d+)([kmgt]?)b?$/);
  if (match === null) throw new Error(`Cannot parse memory size "${value}"`);
  const exponent = { "": 0, k: 1, m: 2, g: 3, t: 4 }[match[2] as "" | "k" | "m" | "g" | "t"];
  return Number(match[1]) * 1024 ** exponent;
}

/** `cpu.cfs_quota_us` for a limit of `cpus` CPUs over {@linkcode CFS_PERIOD_US}. */
export function cpuQuotaUs(cpus: number): number {
  return Math.round(cpus * CFS_PERIOD_US);
}

/** 64 random lowercase hex digits, the shape of a container ID. */
export function randomContainerId(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(32)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/** A random pod UID (a v4 UUID, as Kubernetes uses). */
export function randomPodUid(): string {
  return crypto.randomUUID();
}
