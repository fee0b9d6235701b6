/**
 * Fills pod identity from the Kubernetes API into a sweep's containers, where node-local sources
 * (runtime metadata, /var/log/pods) left it unknown, and answers pod labels for the `pod_labels`
 * column. Without a directory (not in a cluster) nothing changes.
 *
 * @module
 */

import type { Snapshot } from "../reader/sweep.ts";
import type { PodDirectory, PodInfo } from "./kubernetes.ts";

type Container = Snapshot["containers"] extends Map<string, infer S>
  ? S extends { container: infer C } ? C : never
  : never;

/** The pod of a container: by its id, else (sandboxes the API never names) by its pod UID. */
export function podOf(directory: PodDirectory | null, c: Container): PodInfo | null {
  if (directory === null) return null;
  return directory.byContainerId(c.id) ?? (c.podUid ? directory.byPodUid(c.podUid) : null);
}

/**
 * Completes pod name, namespace, UID, QoS class and container name of every container in
 * `snapshot` from the API where they are unknown; node-local values win.
 */
export function enrichSnapshot(directory: PodDirectory | null, snapshot: Snapshot): void {
  if (directory === null) return;
  for (const { container: c } of snapshot.containers.values()) {
    const pod = podOf(directory, c);
    if (pod === null) continue;
    c.podName ??= pod.name;
    c.podNamespace ??= pod.namespace;
    c.podUid ??= pod.uid;
    c.qosClass ??= pod.qosClass as Container["qosClass"];
    c.containerName ??= pod.containers.find((k) => k.id === c.id)?.name ?? null;
  }
}

/** Labels of a container's pod for the `pod_labels` column, or `null`. */
export function podLabelsOf(
  directory: PodDirectory | null,
): (c: Container) => Record<string, string> | null {
  return (c) => podOf(directory, c)?.labels ?? null;
}
