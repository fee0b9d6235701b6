import assert from "node:assert/strict";
import { createHandler, hostAllowed, parseTime } from "./server.ts";
import { openRecording, type Recording } from "../recording/recording.ts";
import { cpuAt, T0, writeTestRecording } from "../recording/testing_recording.ts";
import { queryParquet, sqlString } from "../tests/support/duckdb.ts";

const PORT = 8050;

async function withApi(
  f: (
    get: (path: string, init?: RequestInit) => Promise<Response>,
    rec: Recording,
    dir: string,
  ) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fgm_server_" });
  try {
    await writeTestRecording(dir, { nodes: ["node-a", "node-b"], seconds: 300, fileSeconds: 100 });
    Deno.writeTextFileSync(
      `${dir}/containers/dt=2026-12-04/identifier=node-a/containers-20261204T110000Z.parquet`,
      "PAR1 cut",
    );
    const rec = await openRecording(dir);
    const handler = createHandler(rec, { version: "9.9.9" }, PORT);
    try {
      await f(
        (path, init) => handler(new Request(`http://127.0.0.1:${PORT}${path}`, init)),
        rec,
        dir,
      );
    } finally {
      rec.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("REQ-VIEW-011: only GET and HEAD, only the API's routes, no traversal, no foreign Host", async () => {
  await withApi(async (get) => {
    assert.equal((await get("/api/health", { method: "POST" })).status, 405);
    assert.equal((await get("/etc/passwd")).status, 404);
    for (
      const path of [
        "/api/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api%2fhealth",
        "/..%5c..%5cx",
      ]
    ) {
      const res = await get(path);
      assert.ok([400, 404].includes(res.status), `${path}: ${res.status}`);
      assert.ok(!(await res.text()).includes("root:"), path);
    }
    const evil = await get("/api/health", { headers: { host: "evil.example:8050" } });
    assert.equal(evil.status, 403, "DNS rebinding: a foreign Host is refused");
    const ok = await get("/api/health", { headers: { host: "localhost:8050" } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("access-control-allow-origin"), null, "no CORS");
    assert.equal(hostAllowed("[::1]:8050", 8050, []), true);
    assert.equal(hostAllowed("127.0.0.1:9999", 8050, []), false);
    assert.equal(hostAllowed(null, 8050, []), false);
  });
});

Deno.test("REQ-VIEW-003, REQ-VIEW-010: health, metrics, containers with facets and filters", async () => {
  await withApi(async (get) => {
    const health = await (await get("/api/health")).json();
    assert.equal(health.version, "9.9.9");
    assert.deepEqual(health.tables, ["containers", "host"]);
    assert.deepEqual(health.nodes, ["node-a", "node-b"]);
    assert.deepEqual(health.range, { startMs: T0, endMs: T0 + 299_000 });
    assert.equal(health.problems.length, 1, "the cut file, reported");
    const { metrics } = await (await get("/api/metrics")).json();
    const cpu = metrics.find((m: { table: string; name: string }) =>
      m.table === "containers" && m.name === "cpu_usage_millicores"
    );
    assert.deepEqual(
      [cpu.unit, cpu.kind, cpu.type],
      ["millicores", "rate", "int32"],
    );
    assert.ok(
      !metrics.some((m: { name: string }) => m.name === "container_name"),
      "labels are not metrics",
    );
    const all = await (await get("/api/containers")).json();
    assert.equal(all.containers.length, 6);
    assert.deepEqual(all.facets.namespaces, ["data", "shop"]);
    assert.deepEqual(all.facets.qos, ["BestEffort", "Burstable"]);
    const shop = await (await get("/api/containers?namespace=shop&node=node-b")).json();
    assert.deepEqual(shop.containers.map((c: { id: string }) => c.id), ["node-b/node-b-web-id"]);
    assert.equal(shop.containers[0].name, "web");
    const search = await (await get("/api/containers?search=cche")).json();
    assert.deepEqual(search.containers.map((c: { name: string }) => c.name), ["cache", "cache"]);
    const none = await (await get(`/api/containers?from=${T0 + 400_000}&to=${T0 + 500_000}`))
      .json();
    assert.deepEqual(none.containers, []);
  });
});

Deno.test("REQ-VIEW-010: timeseries, top N and their refusals", async () => {
  await withApi(async (get) => {
    const id = "node-a/node-a-db-id";
    const r = await (await get(
      `/api/timeseries?metric=cpu_usage_millicores&ids=${id}&from=${T0}&to=${T0 + 60_000}`,
    )).json();
    assert.equal(r.stepMs, 0);
    assert.equal(r.unit, "millicores");
    assert.deepEqual(r.series[0].mean.slice(1, 4), [cpuAt(1, 1), cpuAt(1, 2), cpuAt(1, 3)]);
    const iso = await (await get(
      `/api/timeseries?metric=cpu_usage_millicores&ids=${id}&from=${
        new Date(T0).toISOString()
      }&to=${T0 + 60_000}&points=6`,
    )).json();
    assert.equal(iso.stepMs, 10_000);
    const top = await (await get(`/api/top?metric=cpu_usage_millicores&n=2&by=mean`)).json();
    assert.deepEqual(
      top.top.map((t: { key: { container_id: string } }) => t.key.container_id).sort(),
      [
        "node-a-cache-id",
        "node-b-cache-id",
      ],
    );
    // The same filters as the container list narrow the ranking (REQ-VIEW-004).
    const shopTop = await (await get(
      `/api/top?metric=cpu_usage_millicores&n=5&namespace=shop&node=node-b`,
    )).json();
    assert.deepEqual(shopTop.top.map((t: { id: string }) => t.id), ["node-b/node-b-web-id"]);
    const searched = await (await get(`/api/top?metric=cpu_usage_millicores&search=cche`)).json();
    assert.deepEqual(
      searched.top.map((t: { key: { container_id: string } }) => t.key.container_id).sort(),
      ["node-a-cache-id", "node-b-cache-id"],
    );
    const empty = await (await get(
      `/api/timeseries?metric=cpu_usage_millicores&ids=node-a/gone&keepEmpty=true`,
    )).json();
    assert.deepEqual(empty.series.map((s: { id: string; t: number[] }) => [s.id, s.t.length]), [
      ["node-a/gone", 0],
    ]);
    const host = await (await get(`/api/timeseries?table=host&metric=load1&points=1`)).json();
    assert.deepEqual(host.series.map((s: { id: string }) => s.id), ["node-a", "node-b"]);
    for (
      const [path, status, message] of [
        ["/api/timeseries", 400, /missing parameter "metric"/],
        ["/api/timeseries?metric=nope", 400, /no such metric/],
        ["/api/timeseries?table=processes&metric=x", 404, /no table "processes"/],
        ["/api/timeseries?metric=cpu_usage_millicores&from=yesterday", 400, /from must be epoch/],
        [
          `/api/timeseries?metric=cpu_usage_millicores&from=${T0}&to=${T0}`,
          400,
          /to must be after from/,
        ],
        [
          "/api/timeseries?metric=cpu_usage_millicores&points=0",
          400,
          /points must be a whole number/,
        ],
        ["/api/top?metric=cpu_usage_millicores&by=median", 400, /by must be max or mean/],
        ["/api/nope", 404, /no such API/],
      ] as const
    ) {
      const res = await get(path);
      assert.equal(res.status, status, path);
      assert.match((await res.json()).error, message, path);
    }
    assert.equal(parseTime("from", null), null);
  });
});

Deno.test("REQ-VIEW-012: export gives a Parquet slice DuckDB reads, with every column", async () => {
  await withApi(async (get, _rec, dir) => {
    const res = await get(
      `/api/export?ids=node-b/node-b-cache-id,node-a/node-a-web-id&from=${T0 + 10_000}&to=${
        T0 + 20_000
      }`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/vnd.apache.parquet");
    assert.match(res.headers.get("content-disposition")!, /^attachment; filename="fgm-containers-/);
    assert.equal(res.headers.get("x-fgm-rows"), "20");
    const path = `${dir}/../slice-${crypto.randomUUID()}.parquet`;
    Deno.writeFileSync(path, new Uint8Array(await res.arrayBuffer()));
    try {
      const rows = await queryParquet(
        `SELECT container_id, count(*) AS n, min(epoch_ms(time)) AS t0, count(DISTINCT container_name) AS names
         FROM read_parquet(${sqlString(path)}) GROUP BY ALL ORDER BY container_id`,
      );
      assert.deepEqual(
        rows.map((r) => [r.container_id, Number(r.n), Number(r.t0), Number(r.names)]),
        [
          ["node-a-web-id", 10, T0 + 10_000, 1],
          ["node-b-cache-id", 10, T0 + 10_000, 1],
        ],
      );
      const [cols] = await queryParquet(
        `SELECT count(*) AS n FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(path)}))`,
      );
      assert.ok(Number(cols.n) > 40, "every column of the table");
    } finally {
      Deno.removeSync(path);
    }
    const empty = await get(`/api/export?from=${T0 + 900_000}&to=${T0 + 901_000}`);
    assert.equal(empty.status, 400);
  });
});
