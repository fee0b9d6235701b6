import assert from "node:assert/strict";
import type { ContainerInfo, EntityInfo } from "./api.ts";
import { colorAt, containerLabel, entityLabel, PALETTE, shortId, withAlpha } from "./labels.ts";

const CID = "3f2a9c0d1e4b5a6978695a4b3c2d1e0f3f2a9c0d1e4b5a6978695a4b3c2d1e0f";

function container(o: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `node-a/${CID}`,
    node: "node-a",
    name: "web",
    containerId: CID,
    pod: "web-0",
    namespace: "shop",
    qos: "Burstable",
    runtime: "containerd",
    podLabels: null,
    firstMs: 0,
    lastMs: 1,
    ...o,
  };
}

Deno.test("REQ-VIEW-043: colours cycle through the palette; alpha as rgba", () => {
  assert.equal(colorAt(0), PALETTE[0]);
  assert.equal(colorAt(PALETTE.length + 1), PALETTE[1]);
  assert.equal(colorAt(-1), PALETTE[PALETTE.length - 1]);
  assert.equal(withAlpha("#ff8000", 0.5), "rgba(255, 128, 0, 0.5)");
});

Deno.test("REQ-VIEW-043: containers by name with pod and short id", () => {
  assert.equal(shortId(CID), "3f2a9c0d1e4b");
  assert.deepEqual(containerLabel(container()), {
    title: "web",
    detail: "shop/web-0 · 3f2a9c0d1e4b",
  });
  assert.deepEqual(containerLabel(container({ name: null, pod: null, namespace: null })), {
    title: "3f2a9c0d1e4b",
    detail: "3f2a9c0d1e4b",
  });
});

Deno.test("REQ-VIEW-043: entities by table, known or not", () => {
  const c = container();
  const proc: EntityInfo = {
    id: `node-a/${CID}/4242`,
    node: "node-a",
    labels: { container_id: CID, pid: 4242, comm: "nginx" },
    firstMs: 0,
    lastMs: 1,
    rows: 1,
  };
  const lookup = {
    containers: new Map([[c.id, c]]),
    processes: new Map([[proc.id, proc]]),
  };
  assert.deepEqual(entityLabel("containers", c.id, lookup).title, "web");
  assert.deepEqual(entityLabel("containers", "node-b/abcdef0123456789", lookup), {
    title: "abcdef012345",
    detail: "node-b",
  });
  assert.deepEqual(entityLabel("processes", proc.id, lookup), {
    title: "nginx [4242]",
    detail: "web",
  });
  assert.deepEqual(entityLabel("processes", "node-a/ffee/7", lookup), {
    title: "pid 7",
    detail: "ffee",
  });
  assert.deepEqual(entityLabel("processes", "node-a//7", lookup), {
    title: "pid 7",
    detail: "host",
  });
  assert.deepEqual(entityLabel("host", "node-a", lookup), { title: "node-a", detail: "host" });
  assert.deepEqual(entityLabel("gpu", "x", lookup), { title: "x", detail: "gpu" });
});
