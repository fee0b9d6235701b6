/**
 * Runs a plain runc container for an integration test: an OCI bundle whose `config.json` comes
 * from `runc spec` and is edited for the command, CFS quota, memory limit and `cgroupsPath`;
 * the shared busybox rootfs is mounted read-only; runc's state goes to a private `--root`.
 *
 * Layout under the temporary directory `fgm-runc-XXXX/`: `bundle/config.json`, `state/<id>/
 * state.json` (runc's own state), `init.pid`, `container.log` (the container's stdout/stderr).
 *
 * @module
 */

import { lockMachine } from "./machine_lock.ts";
import { runtimeBinary } from "./available.ts";
import { claimCgroupPath, killCgroupProcs, removeCgroupDirs } from "./cgroups.ts";
import { type CommandResult, runCommand } from "./command.ts";
import {
  BUSY_LOOP_CMD,
  CFS_PERIOD_US,
  type ContainerSpec,
  cpuQuotaUs,
  parseMemory,
  randomContainerId,
} from "./container_spec.ts";
import { removeTempDir } from "./mounts.ts";
import { processesReferencing, terminateProcess } from "./processes.ts";
import { busyboxRootfs } from "./rootfs.ts";

/** The cgroup parent plain runc containers get unless the test names a `cgroupsPath`. */
export const RUNC_CGROUP_PARENT = "/fgm-runc";

/** A runc container a test wants. */
export interface RuncContainerSpec extends ContainerSpec {
  /** Container ID (default: 64 random hex digits). */
  id?: string;
  /** `linux.cgroupsPath` (default `/fgm-runc/<id>`); an absolute cgroupfs path. */
  cgroupsPath?: string;
}

/** A running runc container. */
export interface RuncContainer {
  /** Container ID. */
  id: string;
  /** The temporary directory holding everything below. */
  dir: string;
  /** The OCI bundle directory. */
  bundleDir: string;
  /** The bundle's `config.json` (annotations = the spec's labels). */
  configPath: string;
  /** runc's `--root` (state in `<stateRoot>/<id>/state.json`). */
  stateRoot: string;
  /** The container's cgroup path, relative to each hierarchy root. */
  cgroupPath: string;
  /** Host PID of the container's init process. */
  pid: number;
  /** Milliseconds from `runc spec` until the container ran. */
  startMs: number;
  /** Runs `runc --root <stateRoot> …` (killed after `timeoutMs`, default 30 s). */
  runc(args: string[], options?: { check?: boolean; timeoutMs?: number }): Promise<CommandResult>;
  /**
   * Kills and deletes the container, kills anything left in its cgroup, removes the cgroup
   * directories it caused and the temporary directory. Idempotent.
   */
  stop(): Promise<void>;
  /** Same as {@linkcode RuncContainer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Creates a bundle and starts it with `runc run -d`.
 *
 * @throws {Error} when runc fails; nothing is left behind.
 */
export async function startRuncContainer(
  {
    id = randomContainerId(),
    name,
    cgroupsPath = `${RUNC_CGROUP_PARENT}/${id}`,
    cpus,
    memory,
    cmd = BUSY_LOOP_CMD,
    labels = {},
  }: RuncContainerSpec = {},
): Promise<RuncContainer> {
  const runcBin = runtimeBinary("runc");
  if (runcBin === null) throw new Error("Cannot start runc container: runc not installed");
  const rootfs = await busyboxRootfs();

  // Shared with other tests' containers; a test that needs the machine alone holds it exclusive.
  const machine = await lockMachine("shared");
  const started = performance.now();
  const parent = cgroupsPath.split("/").slice(0, -1).join("/") || "/";
  const claim = claimCgroupPath(parent);
  const dir = await Deno.makeTempDir({ prefix: "fgm-runc-" });
  const bundleDir = `${dir}/bundle`;
  const stateRoot = `${dir}/state`;
  const configPath = `${bundleDir}/config.json`;
  const pidFile = `${dir}/init.pid`;
  const runc = (
    args: string[],
    { check = true, timeoutMs = 30_000 }: { check?: boolean; timeoutMs?: number } = {},
  ) => runCommand(runcBin, ["--root", stateRoot, ...args], { check, timeoutMs });

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        const errors: string[] = [];
        await runc(["kill", id, "KILL"], { check: false });
        const left = await killCgroupProcs(cgroupsPath);
        if (left.length > 0) errors.push(`processes left in ${cgroupsPath}: ${left}`);
        await runc(["delete", "--force", id], { check: false });
        for (const p of processesReferencing(dir)) {
          await terminateProcess(p.pid, { expectInCmdline: dir, graceMs: 2_000 });
        }
        errors.push(...removeCgroupDirs(cgroupsPath).map((d) => `cgroup dir left: ${d}`));
        errors.push(...claim.release().map((d) => `cgroup dir left: ${d}`));
        await removeTempDir(dir);
        if (errors.length > 0) throw new Error(`runc cleanup incomplete: ${errors.join("; ")}`);
      } finally {
        machine.release();
      }
    })();
    return stopped;
  };

  try {
    await Deno.mkdir(bundleDir);
    await runCommand(runcBin, ["spec", "--bundle", bundleDir]);
    // deno-lint-ignore no-explicit-any
    const config: any = JSON.parse(await Deno.readTextFile(configPath));
    config.root = { path: rootfs.rootfsDir, readonly: true };
    config.hostname = name ?? `fgm-${id.slice(0, 12)}`;
    config.process.terminal = false;
    config.process.args = cmd;
    config.annotations = { ...labels };
    config.linux.cgroupsPath = cgroupsPath;
    config.linux.resources ??= {};
    if (cpus !== undefined) {
      config.linux.resources.cpu = { quota: cpuQuotaUs(cpus), period: CFS_PERIOD_US };
    }
    if (memory !== undefined) config.linux.resources.memory = { limit: parseMemory(memory) };
    await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));
    // runc hands its stdio to the container: point it at a file, not at our pipes.
    await runCommand("sh", [
      "-c",
      'exec "$0" "$@" >"$FGM_LOG" 2>&1 </dev/null',
      runcBin,
      "--root",
      stateRoot,
      "run",
      "-d",
      "--bundle",
      bundleDir,
      "--pid-file",
      pidFile,
      id,
    ], { env: { FGM_LOG: `${dir}/container.log` } }).catch(async (e) => {
      const log = await Deno.readTextFile(`${dir}/container.log`).catch(() => "");
      throw new Error(`runc run failed: ${log.trim() || e.message}`);
    });
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  const pid = Number((await Deno.readTextFile(pidFile)).trim());
  return {
    id,
    dir,
    bundleDir,
    configPath,
    stateRoot,
    cgroupPath: cgroupsPath,
    pid,
    startMs: performance.now() - started,
    runc,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
