/**
 * Tells from a cgroup path alone what the cgroup is: a container (and of which runtime), a
 * container's monitor process (conmon), a systemd service or scope, a Kubernetes pod, or a slice.
 * Pure: no I/O. Both cgroup drivers are understood — `cgroupfs` (plain directory names such as
 * `/docker/<id>`, `/kubepods/burstable/pod<uid>/<id>`) and `systemd` (units such as
 * `/system.slice/docker-<id>.scope`, `kubepods-burstable-pod<uid_with_underscores>.slice`).
 *
 * The path is the one printed by `/proc/<pid>/cgroup` (any hierarchy, v1 or v2) or a directory's
 * place under a cgroup mount. The innermost container, conmon, pod or kubepods element decides:
 * a container nested in another (a kind node `/docker/<node>/kubepods/…/<id>`, docker-in-docker
 * `/docker/<outer>/docker/<inner>`) is the inner one, while sub-cgroups a container created for
 * itself (`/docker/<id>/sub`, podman's `libpod-<id>.scope/container`, `init.scope` of systemd
 * running in the container) belong to the container. Without any of those, the innermost systemd
 * unit or slice decides.
 *
 * Paths read inside a container with its own cgroup namespace (the default for cgroup v2, and
 * `--cgroupns=private` on v1) are relative to the container's own cgroup and print as `/`: the
 * root `/` is unclassifiable and gives `null`. Paths of cgroups outside the reader's namespace
 * print with leading `/..` elements; they are resolved lexically (`..` above the root is
 * dropped) so `/../../kubepods/pod<uid>/<id>` still names the pod's container. A trailing
 * ` (deleted)` (cgroup v2, removed cgroup) is ignored.
 *
 * @module
 */

/** What a cgroup holds. */
export type CgroupKind =
  /** One container's processes (also a pod's pause/sandbox container). */
  | "container"
  /**
   * A container monitor (CRI-O's and podman's `conmon`): not a container, though `id` names the
   * container it watches when the path says so.
   */
  | "conmon"
  /** A systemd service or non-container scope (`sshd.service`, `session-2.scope`). */
  | "service"
  /** A Kubernetes pod's cgroup (`pod<uid>` / `kubepods-…-pod<uid>.slice`). */
  | "pod"
  /** A grouping cgroup: a systemd slice, or cgroupfs `kubepods`, `burstable`, `besteffort`. */
  | "slice";

/** Container runtimes and managers fgm recognises. */
export type ContainerRuntime = "docker" | "containerd" | "cri-o" | "podman" | "runc" | "systemd";

/** Kubernetes pod QoS classes. */
export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

/** What {@linkcode classifyCgroupPath} found. */
export interface CgroupIdentity {
  /** What the cgroup holds. */
  kind: CgroupKind;
  /**
   * The runtime that created it, or `null` when the path does not say: a bare id under
   * cgroupfs `kubepods/…/pod<uid>/` is written the same way by containerd and cri-dockerd, and a
   * bare 64-hex id under any other parent by docker `--cgroup-parent`, containerd or runc. The
   * metadata stores resolve these. `"systemd"` marks systemd units that are not containers.
   */
  runtime: ContainerRuntime | null;
  /**
   * The container id for containers and conmon (64 hex characters for every engine except plain
   * containerd/runc, whose ids are free-form); the unit name (`sshd.service`) for services and
   * slices; the pod UID for pods; `null` for cgroupfs grouping directories.
   */
  id: string | null;
  /** Kubernetes pod UID with dashes (systemd slices write it with underscores), or `null`. */
  podUid: string | null;
  /** Kubernetes QoS class from the `kubepods` path, or `null` outside kubepods or at its root. */
  qosClass: QosClass | null;
  /**
   * The recognised cgroup's own path, normalised (`..` resolved, no trailing slash): the input
   * without the sub-cgroups below the recognised element.
   */
  path: string;
  /**
   * The containerd namespace for plain containerd paths `/<namespace>/<id>`, else `null`.
   */
  containerdNamespace: string | null;
}

/** Options of {@linkcode classifyCgroupPath}. */
export interface ClassifyOptions {
  /**
   * containerd namespaces: `/<namespace>/<id>` with one of these as `<namespace>` is a plain
   * containerd container (ctr's default cgroup). Discovery passes the namespaces found in
   * containerd's state directory.
   */
  containerdNamespaces?: readonly string[];
}

/** containerd namespaces assumed when discovery found none: ctr's and crictl's. */
export const DEFAULT_CONTAINERD_NAMESPACES: readonly string[] = ["default", "k8s.io"];

const HEX64 = /^[0-9a-f]{64}$/;
const POD_UID = /^[0-9a-fA-F][0-9a-fA-F_-]*$/;
/** `<prefix>-<id>.scope` of container engines under the systemd driver. */
const SCOPE = /^(docker|cri-containerd|crio-conmon|crio|libpod-conmon|libpod|runc)-(.+)\.scope$/;
/** cgroupfs names of CRI-O and podman: `crio-<id>`, `crio-conmon-<id>`, `libpod-<id>`. */
const CGROUPFS_PREFIXED = /^(crio-conmon|crio|libpod-conmon|libpod)-([0-9a-f]{64})$/;
/** A systemd kubepods slice: `[<root>-]kubepods[-burstable|-besteffort][-pod<uid>].slice`. */
const KUBE_SLICE = /^(?:.+-)?kubepods(?:-(burstable|besteffort))?(?:-pod([0-9a-fA-F_]+))?\.slice$/;

const SCOPE_RUNTIME: Record<string, [CgroupKind, ContainerRuntime]> = {
  "docker": ["container", "docker"],
  "cri-containerd": ["container", "containerd"],
  "crio": ["container", "cri-o"],
  "crio-conmon": ["conmon", "cri-o"],
  "libpod": ["container", "podman"],
  "libpod-conmon": ["conmon", "podman"],
  "runc": ["container", "runc"],
};

/**
 * Splits a cgroup path into normalised elements: drops a ` (deleted)` suffix, empty and `.`
 * elements, and resolves `..` lexically (dropping those above the root).
 */
export function cgroupPathElements(path: string): string[] {
  let p = path.trim();
  if (p.endsWith(" (deleted)")) p = p.slice(0, -" (deleted)".length);
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out;
}

/** Joins elements back into an absolute cgroup path (`/` for none). */
function joinPath(elements: readonly string[], end: number): string {
  return "/" + elements.slice(0, end).join("/");
}

interface KubeContext {
  podUid: string | null;
  qosClass: QosClass | null;
}

function qosOf(name: string | undefined): QosClass | null {
  if (name === "burstable") return "Burstable";
  if (name === "besteffort") return "BestEffort";
  return null;
}

/**
 * Pod UID and QoS class of the elements `[0, end)`, from the innermost `kubepods` element; `null`
 * when the path is not under kubepods.
 */
function kubeContext(elements: readonly string[], end: number): KubeContext | null {
  for (let i = end - 1; i >= 0; i--) {
    const name = elements[i];
    if (name === "kubepods") {
      // cgroupfs: kubepods[/burstable|/besteffort][/pod<uid>]
      let j = i + 1;
      let qosClass: QosClass | null = null;
      let qosNamed = false;
      if (j < end && (elements[j] === "burstable" || elements[j] === "besteffort")) {
        qosClass = qosOf(elements[j]);
        qosNamed = true;
        j++;
      }
      let podUid: string | null = null;
      if (j < end && elements[j].startsWith("pod") && POD_UID.test(elements[j].slice(3))) {
        podUid = elements[j].slice(3).toLowerCase();
        if (!qosNamed) qosClass = "Guaranteed";
      }
      return { podUid, qosClass };
    }
    const m = KUBE_SLICE.exec(name);
    if (m) {
      // systemd: the innermost kubepods slice carries both QoS and pod UID.
      const podUid = m[2] !== undefined ? m[2].replaceAll("_", "-").toLowerCase() : null;
      let qosClass = qosOf(m[1]);
      if (qosClass === null && podUid !== null) qosClass = "Guaranteed";
      return { podUid, qosClass };
    }
  }
  return null;
}

function identity(
  kind: CgroupKind,
  runtime: ContainerRuntime | null,
  id: string | null,
  elements: readonly string[],
  end: number,
  containerdNamespace: string | null = null,
): CgroupIdentity {
  const kube = kubeContext(elements, end);
  return {
    kind,
    runtime,
    id,
    podUid: kube?.podUid ?? null,
    qosClass: kube?.qosClass ?? null,
    path: joinPath(elements, end),
    containerdNamespace,
  };
}

/** Classifies element `i` given its ancestors, or `null` when it is not recognised. */
function classifyElement(
  elements: readonly string[],
  i: number,
  namespaces: readonly string[],
): CgroupIdentity | null {
  const name = elements[i];
  const parent = i > 0 ? elements[i - 1] : null;
  const end = i + 1;

  // systemd driver: engine scopes.
  const scope = SCOPE.exec(name);
  if (scope) {
    const [kind, runtime] = SCOPE_RUNTIME[scope[1]];
    return identity(kind, runtime, scope[2], elements, end);
  }
  // cgroupfs names with a prefix (CRI-O, podman).
  const prefixed = CGROUPFS_PREFIXED.exec(name);
  if (prefixed) {
    const [kind, runtime] = SCOPE_RUNTIME[prefixed[1]];
    return identity(kind, runtime, prefixed[2], elements, end);
  }
  // podman cgroupfs: conmon of every container shares /libpod_parent/conmon.
  if (name === "conmon" && parent === "libpod_parent") {
    return identity("conmon", "podman", null, elements, end);
  }
  // The cgroupfs parents of docker and podman.
  if (name === "docker" && i === 0) return identity("slice", "docker", null, elements, end);
  if (name === "libpod_parent") return identity("slice", "podman", null, elements, end);
  // Kubernetes, cgroupfs driver.
  if (name === "kubepods") return identity("slice", null, null, elements, end);
  if ((name === "burstable" || name === "besteffort") && parent === "kubepods") {
    return identity("slice", null, null, elements, end);
  }
  if (
    name.startsWith("pod") && POD_UID.test(name.slice(3)) &&
    (parent === "kubepods" ||
      ((parent === "burstable" || parent === "besteffort") && elements[i - 2] === "kubepods"))
  ) {
    return identity("pod", null, name.slice(3).toLowerCase(), elements, end);
  }
  // Kubernetes, systemd driver.
  const kubeSlice = KUBE_SLICE.exec(name);
  if (kubeSlice) {
    if (kubeSlice[2] !== undefined) {
      const uid = kubeSlice[2].replaceAll("_", "-").toLowerCase();
      return identity("pod", null, uid, elements, end);
    }
    return identity("slice", "systemd", name, elements, end);
  }
  // A bare id directly in a cgroupfs pod directory is a container of that pod.
  if (
    parent !== null && parent.startsWith("pod") && !isUnit(name) &&
    kubeContext(elements, end)?.podUid != null &&
    (elements[i - 2] === "kubepods" || elements[i - 3] === "kubepods")
  ) {
    return identity("container", null, name, elements, end);
  }
  // Docker, cgroupfs driver.
  if (parent === "docker" && HEX64.test(name)) {
    return identity("container", "docker", name, elements, end);
  }
  // Plain containerd (ctr): /<namespace>/<id>.
  if (parent !== null && namespaces.includes(parent) && !isUnit(name)) {
    return identity("container", "containerd", name, elements, end, parent);
  }
  // runc or an engine with a custom parent: identified by a 64-hex id.
  if (HEX64.test(name)) return identity("container", null, name, elements, end);
  // Other systemd units.
  if (name.endsWith(".service") || name.endsWith(".scope")) {
    return identity("service", "systemd", name, elements, end);
  }
  if (name.endsWith(".slice")) return identity("slice", "systemd", name, elements, end);
  return null;
}

function isUnit(name: string): boolean {
  return name.endsWith(".slice") || name.endsWith(".scope") || name.endsWith(".service");
}

/**
 * Classifies a cgroup path (see the module documentation for the recognised layouts).
 *
 * @param path A path as printed in `/proc/<pid>/cgroup`, e.g. `/docker/<64hex>` or
 *   `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope`.
 * @returns The innermost recognised cgroup, or `null` for the root `/` and unrecognised paths.
 */
export function classifyCgroupPath(
  path: string,
  { containerdNamespaces = DEFAULT_CONTAINERD_NAMESPACES }: ClassifyOptions = {},
): CgroupIdentity | null {
  const elements = cgroupPathElements(path);
  let innermost: CgroupIdentity | null = null;
  for (let i = elements.length - 1; i >= 0; i--) {
    const found = classifyElement(elements, i, containerdNamespaces);
    if (found === null) continue;
    // Containers, conmon, pods and kubepods slices win at any depth; a plain systemd unit or
    // slice below a container (systemd running inside it, a kind node's kubelet.service) is part
    // of that container.
    if (found.kind !== "service" && found.kind !== "slice") return found;
    if (elements[i].includes("kubepods") || found.qosClass !== null) return found;
    innermost ??= found;
  }
  return innermost;
}
