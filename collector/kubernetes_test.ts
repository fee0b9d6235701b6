import assert from "node:assert/strict";
import { type FakeApi, makePki, startFakeApi } from "../tests/support/fake_kube_api.ts";
import {
  createPodDirectory,
  inClusterConfig,
  type KubernetesOptions,
  parsePodList,
  type PodDirectory,
} from "./kubernetes.ts";

const FIXTURE = new URL("../tests/fixtures/kubernetes/podlist.json", import.meta.url);
const podList = () => JSON.parse(Deno.readTextFileSync(FIXTURE));

const WEB_UID = "38dec631-5247-42dd-bb7e-65e5d0ff1b6b";
const WEB_ID = "30ebedcc2ca79de8f88883c2fc29c8a64e02c7f988cabcce0d3188e2b57f66d5";
const REDIS_UID = "26d10295-97d4-4d8b-9068-3c960684f63d";
const REDIS_ID = "e04ba12d4bf8194368dc145fb5261007f932013560d2b6b2704ba5693a593738";
const NEW_UID = "0b6c1f2e-8a3d-4c5e-9f70-1a2b3c4d5e6f";
const NEW_ID = "9a8b7c6d5e4f30211f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988";
const NODE = "worker-1";

// ---------------------------------------------------------------------------------------------
// parsePodList

Deno.test("REQ-K8S-002: parsePodList() reads name, namespace, labels and QoS of each pod", () => {
  const pods = parsePodList(podList());
  assert.equal(pods.length, 2);
  const [web, redis] = pods;
  assert.equal(web.uid, WEB_UID);
  assert.equal(web.name, "web-7c9f6d8b5d-x2k4q");
  assert.equal(web.namespace, "shop");
  assert.deepEqual(web.labels, {
    "app.kubernetes.io/name": "web",
    "app.kubernetes.io/part-of": "shop",
    "pod-template-hash": "7c9f6d8b5d",
  });
  assert.equal(web.qosClass, "Burstable");
  assert.equal(redis.name, "redis-0");
  assert.equal(redis.namespace, "cache");
  assert.equal(redis.qosClass, "Guaranteed");
  assert.equal(redis.labels["statefulset.kubernetes.io/pod-name"], "redis-0");
});

Deno.test("REQ-K8S-002: parsePodList() takes app, init, ephemeral and restarted container ids without the runtime prefix", () => {
  const [web, redis] = parsePodList(podList());
  assert.deepEqual(web.containers, [
    { id: "e1ea0fce3b3073e0a02ff988a970d518b4a92e703422decace0dffb8e845d17a", name: "log-shipper" },
    { id: WEB_ID, name: "web" },
    { id: "5a15de02473ca45ed2256260a04e5962997e2e58b84fdfe7bd79dee2b39f7569", name: "migrate" },
    {
      id: "ad1dbbde4020da84801b28ac8ca9b4c68f307935f15a5a6098fe57b021a16954",
      name: "debugger-9kxl2",
    },
  ]);
  // "exporter" is still ContainerCreating (no containerID); redis restarted after an OOM kill.
  assert.deepEqual(redis.containers, [
    { id: REDIS_ID, name: "redis" },
    { id: "e04553316bac21a8c4fc44c91e868cf15addb911b0fb42964d1dde1627d01e0b", name: "redis" },
  ]);
});

Deno.test("parsePodList() strips docker:// and cri-o:// prefixes and tolerates missing fields", () => {
  const pods = parsePodList({
    kind: "PodList",
    items: [
      {
        metadata: { uid: "u1", name: "a", namespace: "n", labels: { ok: "1", bad: 2 } },
        status: {
          containerStatuses: [
            { name: "x", containerID: "docker://aaa" },
            { name: "y", containerID: "cri-o://bbb" },
            { name: "z", containerID: "" },
          ],
        },
      },
      { metadata: { uid: "u2", name: "b", namespace: "n" } },
      { metadata: { name: "no-uid", namespace: "n" } },
      "junk",
    ],
  });
  assert.deepEqual(pods, [
    {
      uid: "u1",
      name: "a",
      namespace: "n",
      labels: { ok: "1" },
      qosClass: null,
      containers: [{ id: "aaa", name: "x" }, { id: "bbb", name: "y" }],
    },
    { uid: "u2", name: "b", namespace: "n", labels: {}, qosClass: null, containers: [] },
  ]);
});

Deno.test("parsePodList() refuses what is not a PodList", () => {
  assert.throws(() => parsePodList(null), /^Error: Cannot parse PodList: not a JSON object/);
  assert.throws(() => parsePodList({ kind: "Status", code: 403 }), /kind is "Status"/);
  assert.throws(() => parsePodList({ kind: "PodList" }), /items is not an array/);
});

// ---------------------------------------------------------------------------------------------
// inClusterConfig

async function withServiceAccount(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fgm-k8s-sa-" });
  try {
    await Deno.writeTextFile(`${dir}/token`, "tok\n");
    await Deno.writeTextFile(`${dir}/ca.crt`, "-----BEGIN CERTIFICATE-----\n...\n");
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const ENV = {
  KUBERNETES_SERVICE_HOST: "10.96.0.1",
  KUBERNETES_SERVICE_PORT: "443",
  NODE_NAME: NODE,
};

Deno.test("REQ-K8S-001: inClusterConfig() reads the service host, token, CA and node", async () => {
  await withServiceAccount((dir) => {
    const config = inClusterConfig({ env: ENV, serviceAccountDir: dir });
    assert.deepEqual(config, {
      baseUrl: "https://10.96.0.1:443",
      token: "tok",
      tokenPath: `${dir}/token`,
      caCert: "-----BEGIN CERTIFICATE-----\n...\n",
      nodeName: NODE,
    });
    const v6 = inClusterConfig({
      env: { ...ENV, KUBERNETES_SERVICE_HOST: "fd00:10:96::1" },
      serviceAccountDir: dir,
    });
    assert.equal(v6?.baseUrl, "https://[fd00:10:96::1]:443");
  });
});

Deno.test("REQ-K8S-001: inClusterConfig() is null outside a cluster", async () => {
  await withServiceAccount(async (dir) => {
    for (const name of ["KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "NODE_NAME"]) {
      const env: Record<string, string | undefined> = { ...ENV, [name]: undefined };
      assert.equal(inClusterConfig({ env, serviceAccountDir: dir }), null, name);
    }
    assert.equal(inClusterConfig({ env: ENV, serviceAccountDir: `${dir}/missing` }), null);
    await Deno.writeTextFile(`${dir}/token`, "");
    assert.equal(inClusterConfig({ env: ENV, serviceAccountDir: dir }), null);
  });
});

Deno.test("REQ-K8S-001: createPodDirectory() is null without the in-cluster environment", async () => {
  await withServiceAccount((dir) => {
    assert.equal(createPodDirectory({ env: {}, serviceAccountDir: dir }), null);
    assert.equal(
      createPodDirectory({ env: { ...ENV, NODE_NAME: undefined }, serviceAccountDir: dir }),
      null,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A fake API server over real HTTPS

/** A pod that is not in the fixture, on this node. */
function newPod() {
  return {
    metadata: { name: "batch-x7f2k", namespace: "jobs", uid: NEW_UID, labels: { job: "nightly" } },
    spec: { nodeName: NODE, containers: [{ name: "run", image: "busybox" }] },
    status: {
      phase: "Running",
      qosClass: "BestEffort",
      containerStatuses: [{ name: "run", containerID: `containerd://${NEW_ID}` }],
    },
  };
}

interface Cluster {
  api: FakeApi;
  /** The injected clock, in ms. */
  clock: { ms: number };
  saDir: string;
  /** A directory against the fake server (closed and awaited by {@linkcode withCluster}). */
  directory(extra?: KubernetesOptions): PodDirectory;
}

async function withCluster(
  fn: (c: Cluster) => Promise<void>,
  { wrongCa = false } = {},
): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "fgm-k8s-" });
  const dirs: PodDirectory[] = [];
  let server: { close(): Promise<void> } | null = null;
  try {
    const pki = await makePki(tmp);
    const started = startFakeApi(pki.cert, pki.key, podList().items);
    server = started;
    const saDir = `${tmp}/serviceaccount`;
    await Deno.mkdir(saDir);
    await Deno.writeTextFile(`${saDir}/token`, "token-1\n");
    await Deno.writeTextFile(`${saDir}/ca.crt`, wrongCa ? pki.otherCaCert : pki.caCert);
    const clock = { ms: 1_000_000 };
    const env = {
      KUBERNETES_SERVICE_HOST: "127.0.0.1",
      KUBERNETES_SERVICE_PORT: String(started.api.port),
      NODE_NAME: NODE,
    };
    await fn({
      api: started.api,
      clock,
      saDir,
      directory(extra = {}) {
        const d = createPodDirectory({
          env,
          serviceAccountDir: saDir,
          now: () => clock.ms,
          ...extra,
        });
        assert.ok(d);
        dirs.push(d);
        return d;
      },
    });
  } finally {
    for (const d of dirs) d.close();
    for (const d of dirs) await d.idle();
    await server?.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

// ---------------------------------------------------------------------------------------------
// PodDirectory against the fake server

Deno.test("REQ-K8S-003: a pod directory finds pods by container id and pod UID over verified TLS", async () => {
  await withCluster(async ({ api, directory }) => {
    const dir = directory();
    assert.equal(dir.byPodUid(WEB_UID), null, "nothing before the first list has arrived");
    await dir.idle();
    assert.equal(api.requests.length, 1);
    assert.deepEqual(api.requests[0], {
      authorization: "Bearer token-1",
      fieldSelector: `spec.nodeName=${NODE}`,
    });
    assert.equal(dir.byContainerId(WEB_ID)?.name, "web-7c9f6d8b5d-x2k4q");
    assert.equal(dir.byContainerId(`containerd://${WEB_ID}`)?.uid, WEB_UID);
    const redis = dir.byPodUid(REDIS_UID);
    assert.equal(redis?.namespace, "cache");
    assert.equal(redis?.qosClass, "Guaranteed");
    assert.equal(redis?.labels.app, "redis");
    assert.equal(dir.byContainerId(REDIS_ID), redis);
    assert.deepEqual(dir.takeErrors(), { count: 0, last: null });
  });
});

Deno.test("REQ-K8S-004: an unknown container id triggers a refresh that finds a new pod", async () => {
  await withCluster(async ({ api, clock, directory }) => {
    const dir = directory();
    await dir.idle();
    api.items.push(newPod());
    clock.ms += 30_000;
    assert.equal(dir.byContainerId(NEW_ID), null, "the lookup does not wait for the API");
    await dir.idle();
    assert.equal(api.requests.length, 2);
    const pod = dir.byContainerId(NEW_ID);
    assert.equal(pod?.name, "batch-x7f2k");
    assert.equal(pod?.namespace, "jobs");
    assert.equal(dir.byPodUid(NEW_UID), pod);
  });
});

Deno.test("REQ-K8S-005: the cooldown limits refreshes triggered by unknown ids", async () => {
  await withCluster(async ({ api, clock, directory }) => {
    const t0 = clock.ms;
    const dir = directory({ cooldownMs: 30_000, refreshMs: 60_000 });
    await dir.idle();
    assert.equal(api.requests.length, 1);
    for (const dt of [1_000, 2_000, 15_000, 29_999]) {
      clock.ms = t0 + dt;
      assert.equal(dir.byContainerId("f".repeat(64)), null);
      assert.equal(dir.byPodUid("no-such-pod"), null);
      await dir.idle();
    }
    assert.equal(api.requests.length, 1, "no request within the cooldown");
    clock.ms = t0 + 30_000;
    dir.byContainerId("f".repeat(64));
    dir.byContainerId("e".repeat(64));
    dir.byPodUid("no-such-pod");
    await dir.idle();
    assert.equal(api.requests.length, 2, "one request for all unknown ids");
    clock.ms = t0 + 45_000;
    dir.byContainerId("f".repeat(64));
    await dir.idle();
    assert.equal(api.requests.length, 2);
  });
});

Deno.test("REQ-K8S-005: ids the API never names stop triggering refreshes; the periodic refresh goes on", async () => {
  await withCluster(async ({ api, clock, directory }) => {
    const t0 = clock.ms;
    const sandbox = "a".repeat(64); // a pod sandbox: in the cgroup tree, never in the API
    const dir = directory({ cooldownMs: 30_000, refreshMs: 60_000 });
    await dir.idle();
    for (let s = 1; s <= 250; s++) {
      clock.ms = t0 + s * 1_000;
      dir.byContainerId(sandbox);
      assert.equal(dir.byContainerId(WEB_ID)?.name, "web-7c9f6d8b5d-x2k4q");
      await dir.idle();
    }
    // At 0 s (start), 30 s and 60 s (eager, then given up), 120 s, 180 s, 240 s (periodic).
    assert.equal(api.requests.length, 6);
    assert.deepEqual(dir.takeErrors(), { count: 0, last: null });
  });
});

Deno.test("REQ-K8S-006: an HTTP 500 counts an error and keeps the last good pods", async () => {
  await withCluster(async ({ api, clock, directory }) => {
    const dir = directory();
    await dir.idle();
    api.status = 500;
    clock.ms += 60_000;
    assert.equal(dir.byContainerId(WEB_ID)?.name, "web-7c9f6d8b5d-x2k4q");
    await dir.idle();
    assert.equal(api.requests.length, 2);
    const errors = dir.takeErrors();
    assert.equal(errors.count, 1);
    assert.match(
      errors.last ?? "",
      /^Cannot list pods of node "worker-1" from https:\/\/127\.0\.0\.1:\d+: HTTP 500: .*etcdserver: request timed out/,
    );
    assert.deepEqual(dir.takeErrors(), { count: 0, last: null }, "taken once");
    assert.equal(dir.byPodUid(REDIS_UID)?.name, "redis-0", "last good data kept");
    api.status = 200;
    api.items.push(newPod());
    clock.ms += 30_000;
    dir.byPodUid(NEW_UID);
    await dir.idle();
    assert.equal(dir.byPodUid(NEW_UID)?.name, "batch-x7f2k", "recovers");
  });
});

Deno.test("REQ-K8S-006: a request that times out counts an error and keeps the last good pods", async () => {
  await withCluster(async ({ api, clock, directory }) => {
    const dir = directory({ timeoutMs: 300 });
    await dir.idle();
    api.hang = true;
    clock.ms += 60_000;
    const started = performance.now();
    assert.equal(dir.byPodUid(WEB_UID)?.name, "web-7c9f6d8b5d-x2k4q");
    assert.ok(performance.now() - started < 100, "the lookup does not wait");
    await dir.idle();
    const errors = dir.takeErrors();
    assert.equal(errors.count, 1);
    assert.match(errors.last ?? "", /: no answer within 300 ms$/);
    assert.equal(dir.byContainerId(REDIS_ID)?.name, "redis-0");
  });
});

Deno.test("REQ-K8S-006: a server certificate the cluster CA did not sign is refused and counted", async () => {
  await withCluster(async ({ api, directory }) => {
    const dir = directory();
    await dir.idle();
    assert.equal(api.requests.length, 0, "no request reached the handler");
    const errors = dir.takeErrors();
    assert.equal(errors.count, 1);
    assert.match(
      errors.last ?? "",
      /^Cannot list pods of node "worker-1" .*invalid peer certificate: UnknownIssuer/,
    );
    assert.equal(dir.byContainerId(WEB_ID), null);
  }, { wrongCa: true });
});

Deno.test("REQ-K8S-006: a rejected token counts an error", async () => {
  await withCluster(async ({ api, directory }) => {
    api.token = "another-token";
    const dir = directory();
    await dir.idle();
    const errors = dir.takeErrors();
    assert.equal(errors.count, 1);
    assert.match(errors.last ?? "", /HTTP 401: .*Unauthorized/);
  });
});

Deno.test("REQ-K8S-006: an unreadable token or a body that is no PodList counts an error", async () => {
  await withCluster(async ({ api, clock, saDir, directory }) => {
    const dir = directory();
    await dir.idle();
    api.body = '{"kind":"Status","apiVersion":"v1","status":"Failure","code":500}';
    clock.ms += 60_000;
    dir.byPodUid(WEB_UID);
    await dir.idle();
    let errors = dir.takeErrors();
    assert.equal(errors.count, 1);
    assert.match(errors.last ?? "", /: Cannot parse PodList: kind is "Status"$/);
    await Deno.remove(`${saDir}/token`);
    clock.ms += 60_000;
    dir.byPodUid(WEB_UID);
    await dir.idle();
    errors = dir.takeErrors();
    assert.equal(errors.count, 1);
    assert.match(errors.last ?? "", /No such file or directory/);
    assert.equal(api.requests.length, 2, "no request without a token");
    assert.equal(dir.byPodUid(WEB_UID)?.name, "web-7c9f6d8b5d-x2k4q");
  });
});

Deno.test("REQ-K8S-007: the token file is read again for every request", async () => {
  await withCluster(async ({ api, clock, saDir, directory }) => {
    const dir = directory();
    await dir.idle();
    assert.equal(api.requests[0].authorization, "Bearer token-1");
    // The kubelet rotates the projected token; the old one stops working.
    await Deno.writeTextFile(`${saDir}/token`, "token-2\n");
    api.token = "token-2";
    api.items.push(newPod());
    clock.ms += 30_000;
    dir.byContainerId(NEW_ID);
    await dir.idle();
    assert.equal(api.requests[1].authorization, "Bearer token-2");
    assert.deepEqual(dir.takeErrors(), { count: 0, last: null });
    assert.equal(dir.byContainerId(NEW_ID)?.name, "batch-x7f2k");
  });
});

Deno.test("REQ-K8S-008: close() aborts a request in flight and stops refreshing", async () => {
  await withCluster(async ({ api, clock, directory }) => {
    api.hang = true;
    const dir = directory({ timeoutMs: 60_000 });
    while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = performance.now();
    dir.close();
    await dir.idle();
    assert.ok(performance.now() - started < 1_000, "aborted, not timed out");
    assert.deepEqual(dir.takeErrors(), { count: 0, last: null }, "an abort is no error");
    clock.ms += 120_000;
    assert.equal(dir.byContainerId("f".repeat(64)), null);
    await dir.idle();
    assert.equal(api.requests.length, 1);
  });
});
