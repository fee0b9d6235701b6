/**
 * Starts a private containerd for an integration test and runs containers in it with `ctr` the
 * way the CRI plugin would place them on a Kubernetes node: namespace `k8s.io`, the cgroup path
 * kubelet gives the pod (cgroupfs or systemd driver, see {@linkcode kubeContainerCgroupPath}),
 * the CRI annotations in the bundle's `config.json`, and CFS quota / memory limits.
 *
 * Everything containerd keeps is under one temporary directory: `config.toml`, `root/`
 * (content, snapshots, metadata), `state/` (bundles: `state/io.containerd.runtime.v2.task/
 * k8s.io/<id>/config.json`), `runc/` (runc's state, `--runc-root`), `opt/` and the socket
 * `containerd.sock`. Shims put their sockets in
 * `/run/containerd/s/` (fixed in containerd 1.6); see `host_paths.ts`.
 *
 * @module
 */

import { lockMachine } from "./machine_lock.ts";
import { runtimeBinary } from "./available.ts";
import { type CgroupClaim, claimCgroupPath, killCgroupProcs, removeCgroupDirs } from "./cgroups.ts";
import { type CommandResult, runCommand } from "./command.ts";
import {
  BUSY_LOOP_CMD,
  CFS_PERIOD_US,
  type ContainerSpec,
  cpuQuotaUs,
  parseMemory,
  randomContainerId,
  randomPodUid,
} from "./container_spec.ts";
import { claimHostPaths, CONTAINERD_HOST_PATHS } from "./host_paths.ts";
import {
  type CgroupDriver,
  kubeContainerCgroupPath,
  kubePodCgroupPath,
  type QosClass,
} from "./kubepods.ts";
import { removeTempDir } from "./mounts.ts";
import { processesReferencing, terminateProcess, waitFor } from "./processes.ts";
import { busyboxRootfs } from "./rootfs.ts";

/** The containerd namespace the CRI plugin uses, and so does this helper. */
export const K8S_NAMESPACE = "k8s.io";

/** A pod container a test wants from containerd. */
export interface KubeContainerSpec extends ContainerSpec {
  /** kubelet's cgroup driver to imitate (default `cgroupfs`). */
  driver?: CgroupDriver;
  /** QoS class of the pod (default `Burstable`). */
  qos?: QosClass;
  /** Pod UID (default: a random UUID). */
  podUid?: string;
  /** Pod name, `io.kubernetes.cri.sandbox-name` (default `fgm-test-pod`). */
  podName?: string;
  /** Pod namespace, `io.kubernetes.cri.sandbox-namespace` (default `default`). */
  podNamespace?: string;
  /** Container name, `io.kubernetes.cri.container-name` (default `name`, else `app`). */
  containerName?: string;
  /** Container ID (default: 64 random hex digits). */
  id?: string;
}

/** A pod container running in a private containerd. */
export interface KubeContainer {
  /** 64-hex container ID (also the containerd container and task ID). */
  id: string;
  /** Pod UID, with dashes. */
  podUid: string;
  /** Pod name. */
  podName: string;
  /** Pod namespace. */
  podNamespace: string;
  /** Container name. */
  containerName: string;
  /** Sandbox ID written as `io.kubernetes.cri.sandbox-id` (random; no sandbox runs). */
  sandboxId: string;
  /** The container's cgroup path, e.g. `/kubepods/burstable/pod<uid>/<id>`. */
  cgroupPath: string;
  /** The pod's cgroup path, e.g. `/kubepods/burstable/pod<uid>`. */
  podCgroupPath: string;
  /** The bundle directory: `<state>/io.containerd.runtime.v2.task/k8s.io/<id>`. */
  bundleDir: string;
  /** The bundle's OCI `config.json`, holding the annotations and `linux.cgroupsPath`. */
  configPath: string;
  /** Host PID of the container's init process. */
  pid: number;
}

/** A running private containerd. */
export interface ContainerdDaemon {
  /** The temporary directory holding everything below. */
  dir: string;
  /** The gRPC socket (`ctr -a`). */
  address: string;
  /** containerd's `root` (content, snapshots, metadata). */
  root: string;
  /** containerd's `state` (task bundles). */
  state: string;
  /** The generated `config.toml`. */
  configPath: string;
  /** containerd's PID. */
  pid: number;
  /** Milliseconds from spawning containerd until it answered and the image was imported. */
  startMs: number;
  /** Runs `ctr -a <address> -n k8s.io …` (killed after `timeoutMs`, default 30 s). */
  ctr(args: string[], options?: { check?: boolean; timeoutMs?: number }): Promise<CommandResult>;
  /** Creates and starts a pod container; the pod's cgroup directories are made as needed. */
  runKube(spec?: KubeContainerSpec): Promise<KubeContainer>;
  /** Kills and deletes one container and removes the pod cgroup directories made for it. */
  remove(id: string): Promise<void>;
  /**
   * Removes every container, stops containerd by its PID, kills any shim left behind, deletes
   * the temporary directory and the cgroup and host directories it caused. Idempotent.
   */
  stop(): Promise<void>;
  /** Same as {@linkcode ContainerdDaemon.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options for {@linkcode startContainerd}. */
export interface StartContainerdOptions {
  /** How long to wait for containerd to answer. */
  timeoutMs?: number;
  /** Import the busybox OCI image (default true). */
  importImage?: boolean;
}

/**
 * Starts a private containerd with its own root, state, socket and opt directory (CRI plugin
 * disabled: this is containerd as the CRI plugin drives it, without kubelet), waits until `ctr
 * version` answers and imports the busybox image into namespace `k8s.io`.
 *
 * @throws {Error} when it does not come up; nothing is left behind.
 */
export async function startContainerd(
  { timeoutMs = 30_000, importImage = true }: StartContainerdOptions = {},
): Promise<ContainerdDaemon> {
  const containerd = runtimeBinary("containerd");
  const ctrBin = runtimeBinary("ctr");
  if (containerd === null || ctrBin === null) {
    throw new Error("Cannot start containerd: not installed");
  }
  const rootfs = importImage ? await busyboxRootfs() : null;

  // Shared with other tests' containers; a test that needs the machine alone holds it exclusive.
  const machine = await lockMachine("shared");
  const started = performance.now();
  const hostClaim = claimHostPaths(CONTAINERD_HOST_PATHS);
  const dir = await Deno.makeTempDir({ prefix: "fgm-containerd-" });
  const paths = {
    address: `${dir}/containerd.sock`,
    root: `${dir}/root`,
    state: `${dir}/state`,
    config: `${dir}/config.toml`,
    log: `${dir}/containerd.log`,
  };
  await Deno.writeTextFile(
    paths.config,
    [
      "version = 2",
      `root = ${JSON.stringify(paths.root)}`,
      `state = ${JSON.stringify(paths.state)}`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      "[grpc]",
      `  address = ${JSON.stringify(paths.address)}`,
      "[ttrpc]",
      '  address = ""',
      "[debug]",
      '  address = ""',
      "[metrics]",
      '  address = ""',
      "[plugins]",
      '  [plugins."io.containerd.internal.v1.opt"]',
      `    path = ${JSON.stringify(`${dir}/opt`)}`,
      "",
    ].join("\n"),
  );
  const child = new Deno.Command("sh", {
    args: ["-c", 'exec "$0" "$@" >>"$FGM_LOG" 2>&1', containerd, "--config", paths.config],
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
  const ctr = (
    args: string[],
    { check = true, timeoutMs = 30_000 }: { check?: boolean; timeoutMs?: number } = {},
  ) =>
    runCommand(ctrBin, ["-a", paths.address, "-n", K8S_NAMESPACE, ...args], { check, timeoutMs });
  const containers = new Map<string, { cgroupPath: string; claim: CgroupClaim }>();

  const removeOne = async (id: string): Promise<string[]> => {
    const errors: string[] = [];
    const entry = containers.get(id);
    // Bounded: a shim whose runc state vanished never answers; the cgroup kill below and the
    // shim sweep in stop() then do the job.
    await ctr(["task", "delete", "--force", id], { check: false, timeoutMs: 10_000 });
    await ctr(["container", "delete", id], { check: false, timeoutMs: 10_000 });
    if (entry !== undefined) {
      const left = await killCgroupProcs(entry.cgroupPath);
      if (left.length > 0) errors.push(`processes left in ${entry.cgroupPath}: ${left}`);
      errors.push(...removeCgroupDirs(entry.cgroupPath).map((d) => `cgroup dir left: ${d}`));
      errors.push(...entry.claim.release().map((d) => `cgroup dir left: ${d}`));
      containers.delete(id);
    }
    return errors;
  };

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        const errors: string[] = [];
        if (!exited) {
          const ids = (await ctr(["container", "list", "-q"], { check: false })).stdout
            .split("\n").filter((l) => l);
          for (const id of new Set([...ids, ...containers.keys()])) {
            errors.push(...await removeOne(id));
          }
        }
        for (const id of [...containers.keys()]) errors.push(...await removeOne(id));
        await terminateProcess(child.pid, { graceMs: 10_000 });
        await status;
        for (const p of processesReferencing(dir)) {
          await terminateProcess(p.pid, { expectInCmdline: dir, graceMs: 2_000 });
        }
        await removeTempDir(dir);
        errors.push(...hostClaim.release().map((p) => `host path left: ${p}`));
        if (errors.length > 0) {
          throw new Error(`containerd cleanup incomplete: ${errors.join("; ")}`);
        }
      } finally {
        machine.release();
      }
    })();
    return stopped;
  };

  try {
    const ready = await waitFor(
      async () => exited || (await ctr(["version"], { check: false })).code === 0,
      { timeoutMs, intervalMs: 25 },
    );
    if (exited || !ready) {
      throw new Error(
        `containerd did not come up${exited ? " (it exited)" : ""}: ${tail(paths.log)}`,
      );
    }
    if (rootfs !== null) await ctr(["images", "import", rootfs.ociArchive]);
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  const startMs = performance.now() - started;

  return {
    dir,
    address: paths.address,
    root: paths.root,
    state: paths.state,
    configPath: paths.config,
    pid: child.pid,
    startMs,
    ctr,
    async runKube(spec: KubeContainerSpec = {}): Promise<KubeContainer> {
      const {
        driver = "cgroupfs",
        qos = "Burstable",
        podUid = randomPodUid(),
        podName = "fgm-test-pod",
        podNamespace = "default",
        containerName = spec.name ?? "app",
        id = randomContainerId(),
        cpus,
        memory,
        cmd = BUSY_LOOP_CMD,
        labels = {},
      } = spec;
      const sandboxId = randomContainerId();
      const podCgroupPath = kubePodCgroupPath({ driver, qos, podUid });
      const cgroupPath = kubeContainerCgroupPath({ driver, qos, podUid, containerId: id });
      const claim = claimCgroupPath(podCgroupPath);
      containers.set(id, { cgroupPath, claim });
      const annotations: Record<string, string> = {
        "io.kubernetes.cri.container-type": "container",
        "io.kubernetes.cri.container-name": containerName,
        "io.kubernetes.cri.sandbox-id": sandboxId,
        "io.kubernetes.cri.sandbox-name": podName,
        "io.kubernetes.cri.sandbox-namespace": podNamespace,
        "io.kubernetes.cri.sandbox-uid": podUid,
      };
      // --runc-root keeps runc's state private; by default (and on a real node) it is
      // /run/containerd/runc/k8s.io/<id>/state.json.
      const args = ["run", "-d", "--null-io", "--runc-root", `${dir}/runc`, "--cgroup", cgroupPath];
      if (cpus !== undefined) {
        args.push("--cpu-quota", String(cpuQuotaUs(cpus)), "--cpu-period", String(CFS_PERIOD_US));
      }
      if (memory !== undefined) args.push("--memory-limit", String(parseMemory(memory)));
      for (const [k, v] of Object.entries(annotations)) args.push("--annotation", `${k}=${v}`);
      // ctr copies --label into the bundle's annotations too, so only the test's own labels go
      // there: the annotations stay exactly the set the CRI plugin writes.
      for (const [k, v] of Object.entries(labels)) args.push("--label", `${k}=${v}`);
      try {
        await ctr([...args, rootfsImageRef(rootfs), id, ...cmd]);
      } catch (e) {
        await removeOne(id);
        throw e;
      }
      const bundleDir = `${paths.state}/io.containerd.runtime.v2.task/${K8S_NAMESPACE}/${id}`;
      const pid = Number(Deno.readTextFileSync(`${bundleDir}/init.pid`).trim());
      return {
        id,
        podUid,
        podName,
        podNamespace,
        containerName,
        sandboxId,
        cgroupPath,
        podCgroupPath,
        bundleDir,
        configPath: `${bundleDir}/config.json`,
        pid,
      };
    },
    async remove(id: string) {
      const errors = await removeOne(id);
      if (errors.length > 0) throw new Error(`Cannot remove ${id}: ${errors.join("; ")}`);
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function rootfsImageRef(rootfs: { imageRef: string } | null): string {
  if (rootfs === null) throw new Error("Cannot run a container: started without importImage");
  return rootfs.imageRef;
}

function tail(path: string): string {
  try {
    return Deno.readTextFileSync(path).split("\n").slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}
