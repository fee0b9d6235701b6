import assert from "node:assert/strict";
import {
  ApiRequestError,
  apiUrl,
  boundsOf,
  exportUrl,
  getJson,
  type Health,
  periodicityUrl,
  timeseriesUrl,
} from "./api.ts";

const R = { fromMs: 1000.4, toMs: 61_000.2 };

Deno.test("REQ-VIEW-043: API URLs leave out empty parameters and join lists", () => {
  assert.equal(apiUrl("/api/health"), "/api/health");
  assert.equal(
    apiUrl("/api/containers", { namespace: ["a", "b"], qos: [], search: "", node: undefined }),
    "/api/containers?namespace=a%2Cb",
  );
  assert.equal(
    timeseriesUrl("containers", "cpu_usage_millicores", ["n/a", "n/b"], R, 1234.6),
    "/api/timeseries?table=containers&metric=cpu_usage_millicores&ids=n%2Fa%2Cn%2Fb&from=1000&to=61001&points=1235",
  );
  assert.match(timeseriesUrl("host", "load1", [], R, 1e9), /points=20000$/);
  assert.equal(
    periodicityUrl("containers", "pids", ["n/a"], R),
    "/api/study/periodicity?table=containers&metric=pids&ids=n%2Fa&from=1000&to=61001",
  );
  assert.equal(
    exportUrl("processes", ["n/a/1"], R),
    "/api/export?table=processes&ids=n%2Fa%2F1&from=1000&to=61001",
  );
});

Deno.test("REQ-VIEW-043: the recording's bounds end just after its last sample", () => {
  assert.equal(boundsOf(null), null);
  const h = { range: { startMs: 10, endMs: 99 } } as Health;
  assert.deepEqual(boundsOf(h), { fromMs: 10, toMs: 100 });
  assert.equal(boundsOf({ range: null } as Health), null);
});

Deno.test("REQ-VIEW-043: an API error carries the server's message", async () => {
  const server = Deno.serve(
    { port: 0, onListen: () => {} },
    (r) =>
      new URL(r.url).pathname === "/ok"
        ? Response.json({ fine: true })
        : Response.json({ error: 'missing parameter "metric"' }, { status: 400 }),
  );
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    assert.deepEqual(await getJson(`${base}/ok`), { fine: true });
    await assert.rejects(
      () => getJson(`${base}/bad`),
      (e: unknown) =>
        e instanceof ApiRequestError && e.status === 400 &&
        e.message === 'missing parameter "metric"',
    );
  } finally {
    await server.shutdown();
  }
});
