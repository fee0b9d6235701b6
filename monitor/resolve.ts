/**
 * Finds the container a user named: a full id, a unique id prefix, a container name, a
 * Kubernetes container name or `namespace/pod` (when the pod has one non-sandbox container).
 *
 * @module
 */

import { NotFoundError } from "../cli/errors.ts";
import type { Snapshot } from "../reader/sweep.ts";

/** The id of the container `query` names in `snapshot`, or throws {@linkcode NotFoundError}. */
export function resolveContainer(snapshot: Snapshot, query: string): string {
  const all = [...snapshot.containers.values()].map((s) => s.container);
  if (snapshot.containers.has(query)) return query;
  const q = query.replace(/^\//, "");
  // A pod's sandbox (pause) container carries the pod's name under containerd: a pod name
  // means the pod's workload, so sandboxes match by name only when nothing else does.
  const tiers = [
    all.filter((c) => c.name === q && !c.sandbox),
    all.filter((c) => q.length > 0 && c.id.startsWith(q.toLowerCase())),
    all.filter((c) => !c.sandbox && (c.containerName === q || c.podName === q)),
    all.filter((c) => !c.sandbox && `${c.podNamespace}/${c.podName}` === q),
    all.filter((c) => c.name === q),
  ];
  for (const matches of tiers) {
    if (matches.length === 1) return matches[0].id;
    if (matches.length > 1) {
      throw new NotFoundError(
        `"${query}" matches ${matches.length} containers (${
          matches.slice(0, 4).map((c) => `${c.id.slice(0, 12)} ${c.name ?? ""}`.trim()).join(", ")
        }); give more of the id`,
      );
    }
  }
  throw new NotFoundError(
    `no container matches "${query}" (${all.length} containers on this node)`,
  );
}
