import assert from "node:assert/strict";
import { NotFoundError } from "../cli/errors.ts";
import { resolveContainer } from "./resolve.ts";
import { snapshot, T0 } from "./testing_snapshots.ts";

const WEB = "a1" + "0".repeat(62);
const API = "a2" + "0".repeat(62);
const DB = "db" + "0".repeat(62);
const CACHE = "e5" + "0".repeat(62);
const SANDBOX = "c0" + "0".repeat(62);
const APP = "c1" + "0".repeat(62);

const POD = { podName: "api-0", podNamespace: "shop", runtime: "containerd" as const };

const node = snapshot(T0, {
  containers: [
    { id: WEB, name: "web" },
    { id: API, name: "api" },
    { id: DB, name: "postgres" },
    // Named like the prefix of another container's id: the name wins.
    { id: CACHE, name: "db" },
    { id: SANDBOX, name: "api-0", containerName: "POD", sandbox: true, ...POD },
    { id: APP, name: "app", containerName: "app", ...POD },
  ],
});

Deno.test("REQ-MON-012: resolveContainer() takes a full id", () => {
  assert.equal(resolveContainer(node, WEB), WEB);
});

Deno.test("REQ-MON-012: resolveContainer() takes a unique id prefix in either case", () => {
  assert.equal(resolveContainer(node, "a1"), WEB);
  assert.equal(resolveContainer(node, "A2000"), API);
});

Deno.test("REQ-MON-012: resolveContainer() takes a name, with or without Docker's leading slash", () => {
  assert.equal(resolveContainer(node, "postgres"), DB);
  assert.equal(resolveContainer(node, "/web"), WEB);
});

Deno.test("REQ-MON-012: resolveContainer() prefers a name over an id prefix", () => {
  assert.equal(resolveContainer(node, "db"), CACHE);
});

Deno.test("REQ-MON-012: resolveContainer() takes a pod's container name, pod name or namespace/pod", () => {
  assert.equal(resolveContainer(node, "app"), APP);
  assert.equal(resolveContainer(node, "shop/api-0"), APP);
  // The sandbox carries the pod's name under containerd; the pod name still means the workload.
  assert.equal(resolveContainer(node, "api-0"), APP);
});

Deno.test("REQ-MON-012: resolveContainer() finds a sandbox by its id, or its name when nothing else has it", () => {
  assert.equal(resolveContainer(node, "c0"), SANDBOX);
  const alone = snapshot(T0, {
    containers: [{ id: SANDBOX, name: "api-0", containerName: "POD", sandbox: true, ...POD }],
  });
  assert.equal(resolveContainer(alone, "api-0"), SANDBOX);
});

Deno.test("REQ-MON-012: resolveContainer() rejects an ambiguous prefix and lists the candidates", () => {
  assert.throws(() => resolveContainer(node, "a"), {
    name: "NotFoundError",
    message: '"a" matches 2 containers (a10000000000 web, a20000000000 api); give more of the id',
  });
  assert.throws(() => resolveContainer(node, "a"), NotFoundError);
});

Deno.test("REQ-MON-012: resolveContainer() names the container count when nothing matches", () => {
  assert.throws(() => resolveContainer(node, "no-such-thing"), {
    name: "NotFoundError",
    message: 'no container matches "no-such-thing" (6 containers on this node)',
  });
  assert.throws(() => resolveContainer(snapshot(T0), "web"), {
    message: 'no container matches "web" (0 containers on this node)',
  });
  // An empty query is not a prefix of every id.
  const one = snapshot(T0, { containers: [{ id: WEB, name: "web" }] });
  assert.throws(() => resolveContainer(one, ""), NotFoundError);
  assert.throws(() => resolveContainer(one, "/"), NotFoundError);
});
