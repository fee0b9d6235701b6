import assert from "node:assert/strict";
import { enrichSnapshot, podLabelsOf } from "./enrich.ts";
import type { PodDirectory, PodInfo } from "./kubernetes.ts";
import { id, snapshot, T0 } from "../monitor/testing_snapshots.ts";

const WEB: PodInfo = {
  uid: "1b2c3d4e-0000-4000-8000-00000000abcd",
  name: "web-0",
  namespace: "shop",
  labels: { app: "web" },
  qosClass: "Burstable",
  containers: [{ id: id("a"), name: "nginx" }],
};

function directory(pods: PodInfo[]): PodDirectory {
  return {
    byContainerId: (cid) => pods.find((p) => p.containers.some((c) => c.id === cid)) ?? null,
    byPodUid: (uid) => pods.find((p) => p.uid === uid) ?? null,
    takeErrors: () => ({ count: 0, last: null }),
    idle: () => Promise.resolve(),
    close: () => {},
  };
}

Deno.test("REQ-K8S-011: enrichSnapshot() fills unknown pod identity from the API, by id or pod UID", () => {
  const s = snapshot(T0, {
    containers: [
      { id: id("a"), pids: [] },
      // A sandbox the API never names: found through the pod UID from its cgroup path.
      { id: id("b"), pids: [], podUid: WEB.uid },
      // Node-local values win over the API's.
      { id: id("c"), pids: [], podName: "local", podNamespace: "ns" },
      { id: id("d"), pids: [] },
    ],
  });
  const dir = directory([WEB, {
    ...WEB,
    uid: "u2",
    name: "api",
    containers: [{ id: id("c"), name: "x" }],
  }]);
  enrichSnapshot(dir, s);
  const a = s.containers.get(id("a"))!.container;
  assert.deepEqual([a.podName, a.podNamespace, a.podUid, a.qosClass, a.containerName], [
    "web-0",
    "shop",
    WEB.uid,
    "Burstable",
    "nginx",
  ]);
  assert.equal(s.containers.get(id("b"))!.container.podName, "web-0");
  assert.equal(s.containers.get(id("b"))!.container.containerName, null);
  assert.equal(s.containers.get(id("c"))!.container.podName, "local");
  assert.equal(s.containers.get(id("d"))!.container.podName, null);
  assert.deepEqual(podLabelsOf(dir)(a), { app: "web" });
  assert.equal(podLabelsOf(null)(a), null);
});

Deno.test("REQ-K8S-011: enrichSnapshot() changes nothing without a directory", () => {
  const s = snapshot(T0, { containers: [{ id: id("a"), pids: [] }] });
  enrichSnapshot(null, s);
  assert.equal(s.containers.get(id("a"))!.container.podName, null);
});
