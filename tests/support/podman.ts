/**
 * Sets up a private rootful podman for an integration test: its own `--root`, `--runroot`,
 * `--tmpdir`, network config dir, file locks and `containers.conf` (`CONTAINERS_CONF`), the
 * cgroupfs cgroup manager and no events log. podman has no daemon: each container is watched by
 * a `conmon` in the cgroup `/libpod_parent/conmon`, the container itself is in
 * `/libpod_parent/libpod-<id>`.
 *
 * podman on this kernel needs explicit `--ulimit nofile=1024:1024 --ulimit nproc=1024:1024`
 * (its defaults are above what runc may set here); {@linkcode PodmanEngine.run} passes them.
 *
 * @module
 */

import { lockMachine } from "./machine_lock.ts";
import { runtimeBinary } from "./available.ts";
import { claimCgroupPath, killCgroupProcs, removeCgroupDirs } from "./cgroups.ts";
import { type CommandResult, runCommand } from "./command.ts";
import { BUSY_LOOP_CMD, type ContainerSpec, parseMemory } from "./container_spec.ts";
import { claimHostPaths, PODMAN_HOST_PATHS } from "./host_paths.ts";
import { removeTempDir } from "./mounts.ts";
import { processesReferencing, terminateProcess } from "./processes.ts";
import { busyboxRootfs } from "./rootfs.ts";

/** The name the busybox image gets in podman (`podman import` prefixes `localhost/`). */
export const PODMAN_IMAGE = "localhost/fgm-busybox:latest";

/** A private podman set up for one test. */
export interface PodmanEngine {
  /** The temporary directory holding everything below. */
  dir: string;
  /** `--root` (images, containers; `overlay-containers/<id>/userdata/config.json`). */
  root: string;
  /** `--runroot` (`overlay-containers/<id>/userdata/{pidfile,conmon.pid}`). */
  runroot: string;
  /** The generated `containers.conf`. */
  confPath: string;
  /** Milliseconds to set up and import the image. */
  startMs: number;
  /** Runs podman with this engine's flags and environment (killed after `timeoutMs`, default 60 s). */
  podman(args: string[], options?: { check?: boolean; timeoutMs?: number }): Promise<CommandResult>;
  /** Starts a detached container (network `none`) from the busybox image; returns its 64-hex ID. */
  run(spec?: ContainerSpec): Promise<string>;
  /** The host PID of a container's init process. */
  containerPid(id: string): Promise<number>;
  /** A container's cgroup path: `/libpod_parent/libpod-<id>`. */
  cgroupPath(id: string): string;
  /** The OCI `config.json` podman generated for a container. */
  configPath(id: string): string;
  /** Removes one container (`podman rm -f -t 0`) and makes sure its cgroup is gone. */
  remove(id: string): Promise<void>;
  /**
   * Removes every container, kills any conmon or container process left, unmounts and deletes
   * the temporary directory, removes the cgroup and host directories it caused. Idempotent.
   */
  stop(): Promise<void>;
  /** Same as {@linkcode PodmanEngine.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Creates the private podman directories and imports the busybox rootfs as
 * {@linkcode PODMAN_IMAGE}.
 *
 * @throws {Error} when podman fails; nothing is left behind.
 */
export async function startPodman(): Promise<PodmanEngine> {
  const podmanBin = runtimeBinary("podman");
  if (podmanBin === null) throw new Error("Cannot start podman: not installed");
  const rootfs = await busyboxRootfs();

  // Shared with other tests' containers; a test that needs the machine alone holds it exclusive.
  const machine = await lockMachine("shared");
  const started = performance.now();
  const hostClaim = claimHostPaths(PODMAN_HOST_PATHS);
  const cgroupClaim = claimCgroupPath("/libpod_parent/conmon");
  const dir = await Deno.makeTempDir({ prefix: "fgm-podman-" });
  const paths = {
    root: `${dir}/root`,
    runroot: `${dir}/runroot`,
    tmp: `${dir}/tmp`,
    conf: `${dir}/containers.conf`,
  };
  await Deno.mkdir(paths.tmp);
  await Deno.writeTextFile(
    paths.conf,
    [
      "[engine]",
      'cgroup_manager = "cgroupfs"',
      'events_logger = "none"',
      'lock_type = "file"',
      `tmp_dir = ${JSON.stringify(paths.tmp)}`,
      `volume_path = ${JSON.stringify(`${dir}/volumes`)}`,
      `image_copy_tmp_dir = ${JSON.stringify(paths.tmp)}`,
      "[network]",
      `network_config_dir = ${JSON.stringify(`${dir}/net`)}`,
      "",
    ].join("\n"),
  );
  const podman = (
    args: string[],
    { check = true, timeoutMs = 60_000 }: { check?: boolean; timeoutMs?: number } = {},
  ) =>
    runCommand(
      podmanBin,
      ["--root", paths.root, "--runroot", paths.runroot, "--storage-driver", "overlay", ...args],
      { check, timeoutMs, env: { CONTAINERS_CONF: paths.conf, TMPDIR: paths.tmp } },
    );
  const containers = new Set<string>();
  const cgroupOf = (id: string) => `/libpod_parent/libpod-${id}`;

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        const errors: string[] = [];
        const ids = (await podman(["ps", "-aq", "--no-trunc"], { check: false, timeoutMs: 15_000 }))
          .stdout
          .split("\n").filter((l) => l);
        for (const id of new Set([...ids, ...containers])) {
          await podman(["rm", "-f", "-t", "0", id], { check: false, timeoutMs: 15_000 });
        }
        for (const p of processesReferencing(dir)) {
          await terminateProcess(p.pid, { expectInCmdline: dir, graceMs: 2_000 });
        }
        for (const id of containers) {
          const left = await killCgroupProcs(cgroupOf(id));
          if (left.length > 0) errors.push(`processes left in ${cgroupOf(id)}: ${left}`);
          errors.push(...removeCgroupDirs(cgroupOf(id)).map((d) => `cgroup dir left: ${d}`));
        }
        await removeTempDir(dir);
        errors.push(...cgroupClaim.release().map((d) => `cgroup dir left: ${d}`));
        errors.push(...hostClaim.release().map((p) => `host path left: ${p}`));
        if (errors.length > 0) throw new Error(`podman cleanup incomplete: ${errors.join("; ")}`);
      } finally {
        machine.release();
      }
    })();
    return stopped;
  };

  try {
    await podman(["import", "--quiet", rootfs.rootfsTar, PODMAN_IMAGE]);
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  const startMs = performance.now() - started;

  return {
    dir,
    root: paths.root,
    runroot: paths.runroot,
    confPath: paths.conf,
    startMs,
    podman,
    async run({ name, cpus, memory, cmd = BUSY_LOOP_CMD, labels = {} }: ContainerSpec = {}) {
      const args = ["run", "-d", "--network", "none"];
      args.push("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");
      if (name !== undefined) args.push("--name", name);
      if (cpus !== undefined) args.push("--cpus", String(cpus));
      if (memory !== undefined) args.push("--memory", String(parseMemory(memory)));
      for (const [key, value] of Object.entries(labels)) args.push("--label", `${key}=${value}`);
      const { stdout } = await podman([...args, PODMAN_IMAGE, ...cmd]);
      const id = stdout.trim().split("\n").at(-1)!;
      containers.add(id);
      return id;
    },
    async containerPid(id: string) {
      return Number((await podman(["inspect", "-f", "{{.State.Pid}}", id])).stdout.trim());
    },
    cgroupPath: cgroupOf,
    configPath: (id: string) => `${paths.root}/overlay-containers/${id}/userdata/config.json`,
    async remove(id: string) {
      await podman(["rm", "-f", "-t", "0", id]);
      const left = removeCgroupDirs(cgroupOf(id));
      if (left.length > 0) throw new Error(`Cannot remove cgroup of ${id}: ${left.join(", ")}`);
      containers.delete(id);
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
