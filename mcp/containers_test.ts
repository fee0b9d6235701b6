import assert from "node:assert/strict";
import type { Entity } from "../recording/entities.ts";
import { containerSummary, filterContainers, resolveContainer } from "./containers.ts";

function entity(node: string, id: string, labels: Record<string, string | null>): Entity {
  return {
    id: `${node}/${id}`,
    node,
    labels: { container_id: id, ...labels },
    firstMs: 0,
    lastMs: 1000,
    rows: 2,
  };
}

const ALL = [
  entity("a", "3f2a9c0011223344", {
    container_name: "web",
    pod_name: "web-0",
    namespace: "shop",
    qos_class: "Burstable",
    runtime: "containerd",
  }),
  entity("a", "3f2b000000000000", {
    container_name: "db",
    pod_name: "db-0",
    namespace: "data",
    qos_class: "Guaranteed",
    runtime: "containerd",
  }),
  entity("b", "77aa000000000000", { container_name: "web", runtime: "docker" }),
];

Deno.test("REQ-MCP-002: a container's summary", () => {
  assert.deepEqual(containerSummary(ALL[0]), {
    name: "web",
    id: "3f2a9c001122",
    pod: "web-0",
    namespace: "shop",
    qos: "Burstable",
    runtime: "containerd",
    node: "a",
    firstSeen: "1970-01-01T00:00:00.000Z",
    lastSeen: "1970-01-01T00:00:01.000Z",
  });
});

Deno.test("REQ-MCP-002: filters keep any of their values, search any field", () => {
  const names = (f: Parameters<typeof filterContainers>[1]) =>
    filterContainers(ALL, f).map((e) => e.id);
  assert.deepEqual(names({ namespace: ["shop", "data"] }), [
    "a/3f2a9c0011223344",
    "a/3f2b000000000000",
  ]);
  assert.deepEqual(names({ runtime: ["docker"] }), ["b/77aa000000000000"]);
  assert.deepEqual(names({ qos: ["Guaranteed"], node: ["a"] }), ["a/3f2b000000000000"]);
  assert.deepEqual(names({ search: "77AA" }), ["b/77aa000000000000"]);
  assert.deepEqual(names({}), ALL.map((e) => e.id));
});

Deno.test("REQ-MCP-010: containers by id, name, prefix, pod; ambiguity and absence explained", () => {
  assert.equal(resolveContainer(ALL, "db").id, "a/3f2b000000000000");
  assert.equal(resolveContainer(ALL, "3f2a").id, "a/3f2a9c0011223344");
  assert.equal(resolveContainer(ALL, "b/77aa000000000000").id, "b/77aa000000000000");
  assert.equal(resolveContainer(ALL, "shop/web-0").id, "a/3f2a9c0011223344");
  assert.equal(resolveContainer(ALL, "db-0").id, "a/3f2b000000000000");
  assert.throws(
    () => resolveContainer(ALL, "web"),
    /"web" matches 2 containers .*give an id prefix/,
  );
  assert.throws(() => resolveContainer(ALL, "3f2"), /no container "3f2"/); // under 4 digits
  assert.throws(() => resolveContainer(ALL, "3f2"), /no container "3f2"/);
  assert.throws(() => resolveContainer(ALL, "nginx"), /3 there: web, db, web/);
  assert.throws(() => resolveContainer([], "x"), /0 there; see list_containers/);
});
