/**
 * The cgroup paths kubelet gives pod containers, for both cgroup drivers, so that tests can
 * place a container exactly where a Kubernetes node would.
 *
 * | driver   | QoS        | container cgroup path                                                                  |
 * |----------|------------|----------------------------------------------------------------------------------------|
 * | cgroupfs | Guaranteed | `/kubepods/pod<uid>/<id>`                                                              |
 * | cgroupfs | Burstable  | `/kubepods/burstable/pod<uid>/<id>`                                                    |
 * | cgroupfs | BestEffort | `/kubepods/besteffort/pod<uid>/<id>`                                                   |
 * | systemd  | Guaranteed | `/kubepods.slice/kubepods-pod<uid_>.slice/<prefix>-<id>.scope`                         |
 * | systemd  | Burstable  | `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice/<prefix>-<id>.scope` |
 * | systemd  | BestEffort | `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid_>.slice/<prefix>-<id>.scope` |
 *
 * `<uid_>` is the pod UID with dashes turned into underscores (systemd unit names reserve `-`
 * for nesting); `<prefix>` is `cri-containerd`, `crio` or `docker`.
 *
 * @module
 */

/** kubelet's cgroup driver. */
export type CgroupDriver = "cgroupfs" | "systemd";

/** A pod's QoS class, in Kubernetes' spelling. */
export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

/** Where a pod container's cgroup is. */
export interface KubeCgroupPathOptions {
  /** kubelet's cgroup driver. */
  driver: CgroupDriver;
  /** The pod's QoS class. */
  qos: QosClass;
  /** Pod UID with dashes, e.g. `1b2c3d4e-0000-4000-8000-00000000abcd`. */
  podUid: string;
  /** 64-hex container ID. */
  containerId: string;
  /** Scope prefix for the systemd driver (default `cri-containerd`). */
  scopePrefix?: string;
}

/** The pod's cgroup path (the container's parent), e.g. `/kubepods/burstable/pod<uid>`. */
export function kubePodCgroupPath(
  { driver, qos, podUid }: Pick<KubeCgroupPathOptions, "driver" | "qos" | "podUid">,
): string {
  const qosDir = qos === "Guaranteed" ? "" : qos.toLowerCase();
  if (driver === "cgroupfs") {
    return qosDir === "" ? `/kubepods/pod${podUid}` : `/kubepods/${qosDir}/pod${podUid}`;
  }
  const uid = podUid.replaceAll("-", "_");
  return qosDir === ""
    ? `/kubepods.slice/kubepods-pod${uid}.slice`
    : `/kubepods.slice/kubepods-${qosDir}.slice/kubepods-${qosDir}-pod${uid}.slice`;
}

/** The container's cgroup path under its pod for the given driver and QoS class. */
export function kubeContainerCgroupPath(
  { driver, qos, podUid, containerId, scopePrefix = "cri-containerd" }: KubeCgroupPathOptions,
): string {
  const pod = kubePodCgroupPath({ driver, qos, podUid });
  return driver === "cgroupfs"
    ? `${pod}/${containerId}`
    : `${pod}/${scopePrefix}-${containerId}.scope`;
}
