/**
 * Mount helpers for the runtime test harness: container runtimes leave overlay, nsfs, shm and
 * bind mounts under their data directories, and a temporary directory must be free of mounts
 * before it is removed (a recursive delete would otherwise walk into a live container rootfs).
 *
 * @module
 */

import { runCommand } from "./command.ts";

/** One line of `/proc/self/mountinfo`. */
export interface MountInfo {
  /** Mount point, with the kernel's octal escapes (`\040` …) decoded. */
  mountPoint: string;
  /** File system type, e.g. `overlay`, `cgroup`, `cgroup2`, `nsfs`. */
  fsType: string;
  /** Mount source. */
  source: string;
  /** Per-superblock options, e.g. `rw,cpu` for the v1 cpu hierarchy. */
  superOptions: string[];
}

/** Parses `/proc/<pid>/mountinfo` text (see proc(5)). */
export function parseMountInfo(text: string): MountInfo[] {
  const mounts: MountInfo[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const sep = line.indexOf(" - ");
    if (sep < 0) throw new Error(`Cannot parse "mountinfo": no separator in line: ${line}`);
    const left = line.slice(0, sep).split(" ");
    const right = line.slice(sep + 3).split(" ");
    mounts.push({
      mountPoint: unescapeOctal(left[4]),
      fsType: right[0],
      source: unescapeOctal(right[1]),
      superOptions: (right[2] ?? "").split(","),
    });
  }
  return mounts;
}

function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, oct) => String.fromCharCode(parseInt(oct, 8)));
}

/** Mount points at or below `dir` in this process's mount namespace, deepest first. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.replace(/\/+$/, "");
  const points = parseMountInfo(Deno.readTextFileSync("/proc/self/mountinfo"))
    .map((m) => m.mountPoint)
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * Unmounts everything at or below `dir`, deepest first (lazily when a plain unmount fails).
 *
 * @throws {Error} when something is still mounted there afterwards.
 */
export async function unmountAllUnder(dir: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return;
    for (const point of points) {
      const plain = await runCommand("umount", [point], { check: false });
      if (plain.code !== 0) await runCommand("umount", ["-l", point], { check: false });
    }
  }
  const left = mountsUnder(dir);
  if (left.length > 0) throw new Error(`Cannot unmount under "${dir}": ${left.join(", ")}`);
}

/**
 * Removes a temporary directory the harness made: unmounts what is mounted below it, then
 * deletes it recursively. Does nothing when it is already gone.
 */
export async function removeTempDir(dir: string): Promise<void> {
  await unmountAllUnder(dir);
  await Deno.remove(dir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}
