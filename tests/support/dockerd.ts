/**
 * Starts a private Docker daemon for an integration test: its own data root, exec root, pid file,
 * socket and CLI config, all under one temporary directory, never the system's
 * `/var/run/docker.sock`. dockerd spawns its own containerd (state under the exec root); each
 * container gets a containerd-shim-runc-v2 that runc puts in the cgroup `/docker/<id>`.
 *
 * ```ts
 * const daemon = await startDockerd();
 * try {
 *   const id = await daemon.run({ cpus: 0.2, memory: "256m" });
 *   // /sys/fs/cgroup/cpu/docker/<id>/cpu.cfs_quota_us is 20000
 * } finally {
 *   await daemon.stop();
 * }
 * ```
 *
 * @module
 */

import { lockMachine } from "./machine_lock.ts";
import { runtimeBinary } from "./available.ts";
import { claimCgroupPath, killCgroupProcs, removeCgroupDirs } from "./cgroups.ts";
import { type CommandResult, runCommand } from "./command.ts";
import { BUSY_LOOP_CMD, type ContainerSpec, parseMemory } from "./container_spec.ts";
import { claimHostPaths, DOCKERD_HOST_PATHS } from "./host_paths.ts";
import { removeTempDir } from "./mounts.ts";
import { processesReferencing, terminateProcess, waitFor } from "./processes.ts";
import { busyboxRootfs } from "./rootfs.ts";

/** The name the busybox image gets in a private dockerd. */
export const DOCKER_IMAGE = "fgm-busybox:latest";

/** A running private dockerd. */
export interface DockerDaemon {
  /** The temporary directory holding everything below. */
  dir: string;
  /** The daemon's API socket (`unix://` + this is its `-H`). */
  socket: string;
  /** `--data-root`: containers' metadata is in `<dataRoot>/containers/<id>/config.v2.json`. */
  dataRoot: string;
  /** `--exec-root`: runtime state, containerd's socket and state. */
  execRoot: string;
  /** dockerd's PID. */
  pid: number;
  /** PID of the containerd that dockerd spawned (from `<execRoot>/containerd/containerd.pid`). */
  containerdPid: number;
  /** Milliseconds from spawning dockerd until its API answered and the image was imported. */
  startMs: number;
  /** Runs the docker CLI against this daemon (killed after `timeoutMs`, default 60 s). */
  docker(args: string[], options?: { check?: boolean; timeoutMs?: number }): Promise<CommandResult>;
  /** Starts a detached container (network `none`) from the busybox image; returns its 64-hex ID. */
  run(spec?: ContainerSpec): Promise<string>;
  /** The host PID of a container's init process. */
  containerPid(id: string): Promise<number>;
  /** A container's cgroup path, relative to each hierarchy root: `/docker/<id>`. */
  cgroupPath(id: string): string;
  /** Path of a container's `config.v2.json`. */
  configPath(id: string): string;
  /** Removes one container (`docker rm -f`) and makes sure its cgroup is gone. */
  remove(id: string): Promise<void>;
  /**
   * Removes every container, stops dockerd and its containerd by their PIDs, kills any shim or
   * container process left behind, unmounts and deletes the temporary directory, and removes the
   * cgroup and host directories that this daemon caused to be created. Idempotent.
   */
  stop(): Promise<void>;
  /** Same as {@linkcode DockerDaemon.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options for {@linkcode startDockerd}. */
export interface StartDockerdOptions {
  /** How long to wait for the API to answer. */
  timeoutMs?: number;
  /** Import the busybox image as {@linkcode DOCKER_IMAGE} (default true). */
  importImage?: boolean;
}

/**
 * Starts a private dockerd (`--iptables=false --ip6tables=false --bridge=none`) and waits until
 * its API answers `/_ping`; then imports the busybox image.
 *
 * @throws {Error} when a binary is missing or the daemon does not come up; nothing is left behind.
 */
export async function startDockerd(
  { timeoutMs = 30_000, importImage = true }: StartDockerdOptions = {},
): Promise<DockerDaemon> {
  const dockerd = runtimeBinary("dockerd");
  const dockerCli = runtimeBinary("docker");
  if (dockerd === null || dockerCli === null) {
    throw new Error("Cannot start dockerd: not installed");
  }
  const rootfs = importImage ? await busyboxRootfs() : null;

  // Shared with other tests' containers; a test that needs the machine alone holds it exclusive.
  const machine = await lockMachine("shared");
  const started = performance.now();
  const hostClaim = claimHostPaths(DOCKERD_HOST_PATHS);
  const cgroupClaim = claimCgroupPath("/docker");
  const dir = await Deno.makeTempDir({ prefix: "fgm-dockerd-" });
  const paths = {
    socket: `${dir}/docker.sock`,
    dataRoot: `${dir}/data`,
    execRoot: `${dir}/exec`,
    pidFile: `${dir}/dockerd.pid`,
    log: `${dir}/dockerd.log`,
    config: `${dir}/daemon.json`,
    cliConfig: `${dir}/cli`,
  };
  await Deno.mkdir(paths.cliConfig);
  // The trust key would otherwise go to /etc/docker/key.json.
  await Deno.writeTextFile(
    paths.config,
    JSON.stringify({ "deprecated-key-path": `${dir}/key.json` }),
  );
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      'exec "$0" "$@" >>"$FGM_LOG" 2>&1',
      dockerd,
      "--config-file",
      paths.config,
      "--data-root",
      paths.dataRoot,
      "--exec-root",
      paths.execRoot,
      "--pidfile",
      paths.pidFile,
      "-H",
      `unix://${paths.socket}`,
      "--iptables=false",
      "--ip6tables=false",
      "--bridge=none",
    ],
    env: { FGM_LOG: paths.log },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const containers = new Set<string>();
  let containerdPid = 0;
  const cli = (
    args: string[],
    { check = true, timeoutMs = 60_000 }: { check?: boolean; timeoutMs?: number } = {},
  ) =>
    runCommand(dockerCli, ["-H", `unix://${paths.socket}`, ...args], {
      check,
      timeoutMs,
      env: { DOCKER_CONFIG: paths.cliConfig },
    });

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        const errors: string[] = [];
        if (!exited) {
          const ids = (await cli(["ps", "-aq", "--no-trunc"], { check: false, timeoutMs: 15_000 }))
            .stdout
            .split("\n").filter((l) => l);
          for (const id of new Set([...ids, ...containers])) {
            await cli(["rm", "-f", id], { check: false, timeoutMs: 15_000 });
          }
        }
        const pid = readPidFile(paths.pidFile) ?? child.pid;
        if (pid !== child.pid) errors.push(`pid file says ${pid}, spawned ${child.pid}`);
        // dockerd alone takes ~1 s to exit on SIGTERM (its containerd supervisor polls); with no
        // containers left, stopping its containerd first lets both exit in ~25 ms.
        if (containerdPid > 0) await terminateProcess(containerdPid, { expectInCmdline: dir });
        await terminateProcess(child.pid, { graceMs: 10_000 });
        await status;
        // A containerd that dockerd restarted meanwhile (its pid file names it).
        const respawned = readPidFile(`${paths.execRoot}/containerd/containerd.pid`);
        if (respawned !== null) await terminateProcess(respawned, { expectInCmdline: dir });
        // Shims (reparented to init) and container processes that outlived the daemon.
        for (const p of processesReferencing(dir)) {
          await terminateProcess(p.pid, { expectInCmdline: dir, graceMs: 2_000 });
        }
        for (const id of containers) {
          const procs = await killCgroupProcs(`/docker/${id}`);
          if (procs.length > 0) errors.push(`processes left in /docker/${id}: ${procs}`);
          const left = removeCgroupDirs(`/docker/${id}`);
          if (left.length > 0) errors.push(`cgroup dirs left: ${left.join(", ")}`);
        }
        await removeTempDir(dir);
        errors.push(...cgroupClaim.release().map((d) => `cgroup dir left: ${d}`));
        errors.push(...hostClaim.release().map((p) => `host path left: ${p}`));
        if (errors.length > 0) throw new Error(`dockerd cleanup incomplete: ${errors.join("; ")}`);
      } finally {
        machine.release();
      }
    })();
    return stopped;
  };

  try {
    const ready = await waitFor(async () => exited || await ping(paths.socket), {
      timeoutMs,
      intervalMs: 25,
    });
    if (exited || !ready) {
      throw new Error(`dockerd did not come up${exited ? " (it exited)" : ""}: ${tail(paths.log)}`);
    }
    containerdPid = readPidFile(`${paths.execRoot}/containerd/containerd.pid`) ?? 0;
    if (rootfs !== null) await cli(["import", rootfs.rootfsTar, DOCKER_IMAGE]);
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  const startMs = performance.now() - started;

  const daemon: DockerDaemon = {
    dir,
    socket: paths.socket,
    dataRoot: paths.dataRoot,
    execRoot: paths.execRoot,
    pid: child.pid,
    containerdPid,
    startMs,
    docker: cli,
    async run({ name, cpus, memory, cmd = BUSY_LOOP_CMD, labels = {} }: ContainerSpec = {}) {
      const args = ["run", "-d", "--network", "none"];
      if (name !== undefined) args.push("--name", name);
      if (cpus !== undefined) args.push("--cpus", String(cpus));
      if (memory !== undefined) args.push("--memory", String(parseMemory(memory)));
      for (const [key, value] of Object.entries(labels)) args.push("--label", `${key}=${value}`);
      const { stdout } = await cli([...args, DOCKER_IMAGE, ...cmd]);
      const id = stdout.trim();
      containers.add(id);
      return id;
    },
    async containerPid(id: string) {
      return Number((await cli(["inspect", "-f", "{{.State.Pid}}", id])).stdout.trim());
    },
    cgroupPath: (id: string) => `/docker/${id}`,
    configPath: (id: string) => `${paths.dataRoot}/containers/${id}/config.v2.json`,
    async remove(id: string) {
      await cli(["rm", "-f", id]);
      const left = removeCgroupDirs(`/docker/${id}`);
      if (left.length > 0) throw new Error(`Cannot remove cgroup of ${id}: ${left.join(", ")}`);
      containers.delete(id);
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
  return daemon;
}

/** True when the Docker API on `socket` answers `GET /_ping` with 200. */
async function ping(socket: string): Promise<boolean> {
  let conn: Deno.UnixConn | null = null;
  try {
    conn = await Deno.connect({ transport: "unix", path: socket });
    await conn.write(new TextEncoder().encode("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
    const buf = new Uint8Array(256);
    const n = await conn.read(buf);
    return n !== null && /^HTTP\/1\.[01] 200/.test(new TextDecoder().decode(buf.subarray(0, n)));
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}

function readPidFile(path: string): number | null {
  try {
    const pid = Number(Deno.readTextFileSync(path).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function tail(path: string): string {
  try {
    return Deno.readTextFileSync(path).split("\n").slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}
