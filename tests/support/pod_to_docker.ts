/**
 * Turns the pod template of a DaemonSet into the `docker run` flags that give a container the same
 * security context, host namespaces, mounts, environment, arguments and limits, so that a test can
 * run the image in a private dockerd exactly as a kubelet would run the pod (REQ-DEP-020).
 *
 * Pure: the manifest object in, flags out. Whatever the translation does not know (a security
 * field, a volume kind, a downward-API field) throws, so that a manifest change cannot be skipped
 * silently by the test that relies on it.
 *
 * | pod spec                                          | docker run                                         |
 * | ------------------------------------------------- | -------------------------------------------------- |
 * | `hostPID`, `hostIPC`, `hostNetwork`               | `--pid host`, `--ipc host`, `--network host\|none`   |
 * | `runAsUser`, `runAsGroup`                         | `--user u:g`                                       |
 * | `privileged`                                      | `--privileged`                                     |
 * | `allowPrivilegeEscalation: false`                 | `--security-opt no-new-privileges`                 |
 * | `readOnlyRootFilesystem`                          | `--read-only`                                      |
 * | `capabilities.drop`, `.add`                       | `--cap-drop`, `--cap-add`                          |
 * | `seccompProfile` `RuntimeDefault` / `Unconfined`  | docker's default profile / `seccomp=unconfined`    |
 * | `limits.cpu`, `limits.memory`                     | `--cpus`, `--memory`                               |
 * | hostPath `readOnly`, `mountPropagation`           | `--mount type=bind,readonly,bind-propagation=…`    |
 * | `recursiveReadOnly` `Enabled`/`IfPossible`        | one more read-only bind per submount               |
 * | downward API `spec.nodeName`, `metadata.name`     | `-e NAME=<nodeName>`, `-e NAME=<podName>`          |
 * | `$(VAR)` in `args`                                | expanded from the container's env, as kubelet does |
 *
 * Docker 20.10 makes only the top of a read-only bind read-only (its submounts stay writable);
 * Kubernetes' `recursiveReadOnly` is rebuilt with a read-only bind of each submount on top.
 *
 * @module
 */

/** Where a manifest's hostPath is on this machine. */
export interface HostPathMapping {
  /** The directory to bind (must exist: `--mount` creates nothing on the host). */
  source: string;
  /**
   * The path the node's programs know it by, when other than the manifest's (a private
   * dockerd's data root instead of `/var/lib/docker`): a mountPath that ends with the manifest's
   * hostPath (`/host/root` + hostPath, read through `--host-root`) ends with this one instead.
   */
  nodePath?: string;
}

/** Options of {@linkcode podToDocker}. */
export interface PodToDockerOptions {
  /** The container of the pod template (default: the first). */
  container?: string;
  /** The image to run instead of the manifest's. */
  image: string;
  /** This machine's directory for each hostPath of the manifest. */
  hostPath: (path: string) => HostPathMapping;
  /** Mount points strictly below a directory of this machine (for `recursiveReadOnly`). */
  submounts: (source: string) => string[];
  /** `spec.nodeName` for the downward API. */
  nodeName: string;
  /** `metadata.name` for the downward API. */
  podName: string;
  /** Capabilities to leave out of `capabilities.add` (to show what each one gives). */
  withoutCapabilities?: string[];
}

/** A `docker run` of the pod's container. */
export interface DockerRun {
  /** Flags between `docker run` and the image. */
  flags: string[];
  /** The image. */
  image: string;
  /** The arguments after the image (the manifest's `args`, `$(VAR)` expanded). */
  args: string[];
  /** `terminationGracePeriodSeconds` (default 30): `docker stop -t` of the container. */
  stopTimeoutSeconds: number;
}

// deno-lint-ignore no-explicit-any
type Obj = Record<string, any>;

const CONTAINER_SECURITY = new Set([
  "runAsUser",
  "runAsGroup",
  "runAsNonRoot",
  "privileged",
  "allowPrivilegeEscalation",
  "readOnlyRootFilesystem",
  "capabilities",
  "seccompProfile",
]);
const POD_KEYS = new Set([
  "serviceAccountName",
  "hostPID",
  "hostNetwork",
  "hostIPC",
  "terminationGracePeriodSeconds",
  "tolerations",
  "priorityClassName",
  "containers",
  "volumes",
]);

/** The pod template's spec of the first DaemonSet among `docs` (parsed YAML documents). */
export function daemonSetPodSpec(docs: unknown[]): Obj {
  const ds = docs.find((d) => (d as Obj)?.kind === "DaemonSet") as Obj | undefined;
  if (ds === undefined) throw new Error("Cannot translate the manifest: no DaemonSet in it");
  return ds.spec.template.spec;
}

/**
 * The `docker run` flags, image and arguments that run `podSpec`'s container as a kubelet would.
 *
 * @throws {Error} `Cannot translate …` for anything the translation does not know.
 */
export function podToDocker(podSpec: Obj, o: PodToDockerOptions): DockerRun {
  for (const key of Object.keys(podSpec)) {
    if (!POD_KEYS.has(key)) throw new Error(`Cannot translate pod field "${key}"`);
  }
  const c: Obj = o.container === undefined
    ? podSpec.containers[0]
    : podSpec.containers.find((x: Obj) => x.name === o.container);
  if (c === undefined) throw new Error(`Cannot translate: no container "${o.container}"`);
  const flags: string[] = [];
  if (podSpec.hostPID) flags.push("--pid", "host");
  flags.push("--network", podSpec.hostNetwork ? "host" : "none");
  if (podSpec.hostIPC) flags.push("--ipc", "host");

  const sc: Obj = c.securityContext ?? {};
  for (const key of Object.keys(sc)) {
    if (!CONTAINER_SECURITY.has(key)) throw new Error(`Cannot translate securityContext.${key}`);
  }
  if (sc.runAsUser !== undefined) flags.push("--user", `${sc.runAsUser}:${sc.runAsGroup ?? 0}`);
  if (sc.runAsNonRoot === true && (sc.runAsUser ?? 0) === 0) {
    throw new Error("Cannot translate: runAsNonRoot with UID 0 would not start");
  }
  if (sc.privileged === true) flags.push("--privileged");
  if (sc.allowPrivilegeEscalation === false) flags.push("--security-opt", "no-new-privileges");
  if (sc.readOnlyRootFilesystem === true) flags.push("--read-only");
  for (const cap of sc.capabilities?.drop ?? []) flags.push("--cap-drop", cap);
  for (const cap of sc.capabilities?.add ?? []) {
    if (!(o.withoutCapabilities ?? []).includes(cap)) flags.push("--cap-add", cap);
  }
  const seccomp = sc.seccompProfile?.type;
  if (seccomp === "Unconfined") flags.push("--security-opt", "seccomp=unconfined");
  else if (seccomp !== undefined && seccomp !== "RuntimeDefault") {
    throw new Error(`Cannot translate seccompProfile ${seccomp}`);
  }

  const limits: Obj = c.resources?.limits ?? {};
  if (limits.cpu !== undefined) flags.push("--cpus", String(kubeCpu(limits.cpu)));
  if (limits.memory !== undefined) flags.push("--memory", String(kubeBytes(limits.memory)));

  const env = new Map<string, string>();
  for (const e of c.env ?? []) {
    let value: string;
    if (e.value !== undefined) value = String(e.value);
    else if (e.valueFrom?.fieldRef?.fieldPath === "spec.nodeName") value = o.nodeName;
    else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.name") value = o.podName;
    else throw new Error(`Cannot translate env ${e.name}: ${JSON.stringify(e.valueFrom)}`);
    env.set(e.name, value);
    flags.push("-e", `${e.name}=${value}`);
  }

  const volumes = new Map<string, Obj>((podSpec.volumes ?? []).map((v: Obj) => [v.name, v]));
  for (const m of c.volumeMounts ?? []) {
    const volume = volumes.get(m.name);
    if (volume?.hostPath?.path === undefined) {
      throw new Error(`Cannot translate volume "${m.name}": only hostPath volumes`);
    }
    const hostPath: string = volume.hostPath.path;
    const mapped = o.hostPath(hostPath);
    let target: string = m.mountPath;
    if (mapped.nodePath !== undefined && target.endsWith(hostPath) && hostPath !== "/") {
      target = target.slice(0, target.length - hostPath.length) + mapped.nodePath;
    }
    const propagation = ({
      None: null,
      HostToContainer: "rslave",
      Bidirectional: "rshared",
    } as Record<string, string | null>)[m.mountPropagation ?? "None"];
    if (propagation === undefined) {
      throw new Error(`Cannot translate mountPropagation ${m.mountPropagation}`);
    }
    const bind = (source: string, dest: string) =>
      [
        "type=bind",
        `source=${source}`,
        `target=${dest}`,
        ...(m.readOnly ? ["readonly"] : []),
        ...(propagation ? [`bind-propagation=${propagation}`] : []),
      ].join(",");
    flags.push("--mount", bind(mapped.source, target));
    const rro = m.recursiveReadOnly ?? "Disabled";
    if (rro === "Enabled" || rro === "IfPossible") {
      if (!m.readOnly) throw new Error(`Cannot translate: recursiveReadOnly needs readOnly`);
      for (const sub of o.submounts(mapped.source)) {
        flags.push(
          "--mount",
          bind(sub, target + sub.slice(mapped.source.replace(/\/$/, "").length)),
        );
      }
    } else if (rro !== "Disabled") {
      throw new Error(`Cannot translate recursiveReadOnly ${rro}`);
    }
  }
  const args = (c.args ?? []).map((a: string) =>
    a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name) => env.get(name) ?? whole)
  );
  if (c.command !== undefined) throw new Error("Cannot translate: command (the image's is used)");
  return {
    flags,
    image: o.image,
    args,
    stopTimeoutSeconds: podSpec.terminationGracePeriodSeconds ?? 30,
  };
}

/** Kubernetes CPU quantity (`500m`, `2`) in CPUs. */
export function kubeCpu(q: string | number): number {
  const s = String(q);
  return s.endsWith("m") ? Number(s.slice(0, -1)) / 1000 : Number(s);
}

/** Kubernetes memory quantity (`512Mi`, `1G`, `128974848`) in bytes. */
export function kubeBytes(q: string | number): number {
  const m = String(q).match(/^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/);
  if (m === null) throw new Error(`Cannot parse the quantity "${q}"`);
  const unit: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Math.round(Number(m[1]) * (m[2] ? unit[m[2]] : 1));
}

/**
 * The mount points strictly below `dir` in a `/proc/<pid>/mountinfo` text, parents first
 * (octal escapes such as `\040` decoded).
 */
export function mountPointsUnder(mountinfo: string, dir: string): string[] {
  const base = dir.replace(/\/$/, "");
  const out = new Set<string>();
  for (const line of mountinfo.split("\n")) {
    const point = line.split(" ")[4];
    if (point === undefined) continue;
    const decoded = point.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
    if (decoded.startsWith(`${base}/`)) out.add(decoded);
  }
  return [...out].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}
