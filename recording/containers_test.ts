import assert from "node:assert/strict";
import { containerInfo, filterContainers, matchContainers, subsequence } from "./containers.ts";
import type { Entity } from "./entities.ts";

const entity = (node: string, id: string, labels: Record<string, string>): Entity => ({
  id: `${node}/${id}`,
  node,
  labels: { container_id: id, ...labels },
  firstMs: 0,
  lastMs: 1000,
  rows: 2,
});

const ALL = [
  entity("a", "3f2a9c0011223344", {
    container_name: "web",
    pod_name: "web-0",
    namespace: "shop",
    qos_class: "Burstable",
    runtime: "containerd",
    pod_labels: '{"app":"web"}',
  }),
  entity("a", "3f2b000000000000", { container_name: "db", pod_name: "db-0", namespace: "data" }),
  entity("b", "77aa000000000000", { container_name: "web", runtime: "docker" }),
].map(containerInfo);

Deno.test("REQ-VIEW-042, REQ-MCP-002: containers' labels as fields, filtered by the viewer's rules", () => {
  assert.deepEqual(ALL[0], {
    id: "a/3f2a9c0011223344",
    node: "a",
    name: "web",
    containerId: "3f2a9c0011223344",
    pod: "web-0",
    namespace: "shop",
    qos: "Burstable",
    runtime: "containerd",
    podLabels: { app: "web" },
    firstMs: 0,
    lastMs: 1000,
  });
  const ids = (f: Parameters<typeof filterContainers>[1]) =>
    filterContainers(ALL, f).map((c) => c.id);
  assert.deepEqual(ids({ namespace: ["shop", "data"] }), [
    "a/3f2a9c0011223344",
    "a/3f2b000000000000",
  ]);
  assert.deepEqual(ids({ node: ["b"], runtime: ["docker"] }), ["b/77aa000000000000"]);
  assert.deepEqual(ids({ qos: [] }), ALL.map((c) => c.id), "an empty list keeps all");
  assert.deepEqual(ids({ search: "wb" }), ["a/3f2a9c0011223344", "b/77aa000000000000"]);
  assert.deepEqual(ids({ search: "shp" }), ["a/3f2a9c0011223344"], "letters in order");
  assert.deepEqual(ids({ search: "77AA" }), ["b/77aa000000000000"], "a part of the id");
  assert.deepEqual(ids({ search: "3f4" }), [], "not the id's digits scattered");
  assert.equal(subsequence("cache", "cche"), true);
  assert.equal(subsequence("cache", "ehc"), false);
});

Deno.test("REQ-MCP-010: a name means the containers of the first way that matches", () => {
  const ids = (q: string) => matchContainers(ALL, q).map((c) => c.id);
  assert.deepEqual(ids("b/77aa000000000000"), ["b/77aa000000000000"]);
  assert.deepEqual(ids("3f2b000000000000"), ["a/3f2b000000000000"]);
  assert.deepEqual(ids("web"), ["a/3f2a9c0011223344", "b/77aa000000000000"], "ambiguous: both");
  assert.deepEqual(ids("3F2A"), ["a/3f2a9c0011223344"], "an id prefix, any case");
  assert.deepEqual(ids("3f2"), [], "too short to be a prefix");
  assert.deepEqual(ids("db-0"), ["a/3f2b000000000000"]);
  assert.deepEqual(ids("shop/web-0"), ["a/3f2a9c0011223344"]);
  assert.deepEqual(ids("nginx"), []);
});
