/**
 * `fgm collect` in a cluster: pod names, namespaces and labels from the API server (a stand-in
 * over real HTTPS, tests/support/fake_kube_api.ts) for a real docker container, and collection that
 * goes on, with errors counted, when the API fails.
 */

import assert from "node:assert/strict";
import { requireRuntime } from "./support/available.ts";
import { startDockerd } from "./support/dockerd.ts";
import { IDLE_CMD } from "./support/container_spec.ts";
import { queryParquet, sqlString } from "./support/duckdb.ts";
import { makePki, startFakeApi } from "./support/fake_kube_api.ts";
import { spawnFgm } from "./support/fgm.ts";

const NODE = "worker-7";

async function collect(out: string, port: number, saDir: string, seconds: number) {
  const r = await spawnFgm([
    "collect",
    "--out",
    out,
    "--duration",
    `${seconds}s`,
    "--flush",
    "1s",
    "--service-account-dir",
    saDir,
  ], {
    env: {
      KUBERNETES_SERVICE_HOST: "127.0.0.1",
      KUBERNETES_SERVICE_PORT: String(port),
      NODE_NAME: NODE,
    },
  }).output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr) };
}

Deno.test({
  name: "REQ-K8S-012: collect names pods and records labels from the API, and survives its failure",
  ignore: !requireRuntime("docker"),
  sanitizeResources: false,
  fn: async () => {
    const daemon = await startDockerd();
    const dir = Deno.makeTempDirSync({ prefix: "fgm-kube-" });
    let server: { close(): Promise<void> } | null = null;
    try {
      const id = await daemon.run({ name: "web", cmd: IDLE_CMD });
      const pki = await makePki(dir);
      const sa = `${dir}/sa`;
      Deno.mkdirSync(sa);
      Deno.writeTextFileSync(`${sa}/token`, "token-1");
      Deno.writeTextFileSync(`${sa}/ca.crt`, pki.caCert);
      const fake = startFakeApi(pki.cert, pki.key, [{
        metadata: {
          name: "web-5d9f",
          namespace: "shop",
          uid: "8f3e2a10-0000-4000-8000-0000000000aa",
          labels: { tier: "frontend", app: "web" },
        },
        spec: { nodeName: NODE, containers: [{ name: "nginx", image: "nginx" }] },
        status: {
          phase: "Running",
          qosClass: "Burstable",
          containerStatuses: [{ name: "nginx", containerID: `docker://${id}` }],
        },
      }]);
      server = fake;

      const out = `${dir}/data`;
      const ok = await collect(out, fake.api.port, sa, 4);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stderr, /enriching pods from the Kubernetes API/);
      const rows = await queryParquet(
        `SELECT DISTINCT pod_name, namespace, pod_uid, qos_class, pod_labels
         FROM read_parquet(${sqlString(`${out}/containers/**/*.parquet`)})
         WHERE container_id = ${sqlString(id)} AND pod_name IS NOT NULL`,
      );
      assert.deepEqual(rows, [{
        pod_name: "web-5d9f",
        namespace: "shop",
        pod_uid: "8f3e2a10-0000-4000-8000-0000000000aa",
        qos_class: "Burstable",
        pod_labels: '{"app":"web","tier":"frontend"}',
      }]);
      assert.ok(
        fake.api.requests.every((r) => r.fieldSelector === `spec.nodeName=${NODE}`),
        "only this node's pods are listed",
      );

      // The API fails: collection goes on, errors are counted and said, names fall back.
      fake.api.status = 500;
      const out2 = `${dir}/data2`;
      const failed = await collect(out2, fake.api.port, sa, 4);
      assert.equal(failed.code, 0, failed.stderr);
      assert.match(failed.stderr, /Kubernetes API: .*500/);
      const [host] = await queryParquet(
        `SELECT count(*) AS n, sum(collector_errors) AS errors
         FROM read_parquet(${sqlString(`${out2}/host/**/*.parquet`)})`,
      );
      assert.ok(Number(host.n) >= 3, "still collecting");
      assert.ok(Number(host.errors) >= 1, "API errors counted");
      const [web] = await queryParquet(
        `SELECT count(*) AS n, count(pod_name) AS named
         FROM read_parquet(${sqlString(`${out2}/containers/**/*.parquet`)})
         WHERE container_id = ${sqlString(id)}`,
      );
      assert.ok(Number(web.n) >= 3);
      assert.equal(Number(web.named), 0, "no API, no node-local pod: name stays null");
    } finally {
      await server?.close();
      await daemon.stop();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
