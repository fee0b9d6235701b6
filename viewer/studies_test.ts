import assert from "node:assert/strict";
import { createHandler } from "./server.ts";
import { openRecording, type Recording } from "../recording/recording.ts";
import { T0, writeStudyRecording } from "../analyze/testing_recording.ts";
import { runStudy } from "../analyze/run.ts";

const PORT = 8050;

async function withApi(
  f: (get: (path: string) => Promise<Response>, rec: Recording) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fgm_studies_api_" });
  try {
    await writeStudyRecording(dir, {
      seconds: 900,
      containers: [
        {
          name: "spiky",
          values: { cpu_usage_millicores: (s) => (s % 10 === 0 ? 900 : 100) + ((s * 7919) % 13) },
        },
        {
          name: "steady",
          values: {
            cpu_usage_millicores: (s) => (s < 450 ? 200 : 450) + ((s * 104729) % 11),
            cpu_throttled_usec: (s) => (s >= 2 && (s - 2) % 10 === 0 ? 50_000 : 100) + (s % 7),
          },
        },
      ],
    });
    const rec = await openRecording(dir);
    const handler = createHandler(rec, {}, PORT);
    try {
      await f((path) => handler(new Request(`http://127.0.0.1:${PORT}${path}`)), rec);
    } finally {
      rec.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("REQ-VIEW-020: /api/study/<name> serves the three studies, the same JSON as runStudy()", async () => {
  await withApi(async (get, rec) => {
    const ids = (await rec.entities({ table: "containers" })).map((e) => e.id).sort();
    const steady = ids.find((id) => id.includes("steady"))!;
    const spiky = ids.find((id) => id.includes("spiky"))!;

    const p = await get(`/api/study/periodicity?metric=cpu_usage_millicores&ids=${spiky}`);
    assert.equal(p.status, 200);
    const pj = await p.json();
    assert.equal(pj.study, "periodicity");
    assert.ok(Math.abs(pj.results[0].period.periodSeconds - 10) < 0.1);
    assert.deepEqual(
      pj,
      JSON.parse(JSON.stringify(
        await runStudy(rec, {
          study: "periodicity",
          metric: "cpu_usage_millicores",
          ids: [spiky],
          fromMs: pj.fromMs,
          toMs: pj.toMs,
        }),
      )),
    );

    const c = await (await get(
      `/api/study/changepoint?metric=cpu_usage_millicores&ids=${steady}&from=${T0}&to=${
        T0 + 900_000
      }`,
    )).json();
    assert.deepEqual(c.results[0].changepoints.map((x: { atMs: number }) => x.atMs), [
      T0 + 450_000,
    ]);
    assert.equal(c.results[0].changepoints[0].direction, "up");

    const r = await (await get(
      `/api/study/correlation?metric=cpu_throttled_usec&container=steady&top=3&maxLag=10`,
    )).json();
    assert.equal(r.parameters.maxLagSeconds, 10);
    const best = r.results[0].matches[0];
    assert.deepEqual([best.name, best.metric, best.lagSeconds, best.significant], [
      "spiky",
      "cpu_usage_millicores",
      2,
      true,
    ]);
    assert.ok(r.results[0].matches.length <= 3);
  });
});

Deno.test("REQ-VIEW-020: study requests the API refuses, with the reason", async () => {
  await withApi(async (get) => {
    const cases: [string, number, RegExp][] = [
      ["/api/study/nope?metric=cpu_usage_millicores", 404, /no such API/],
      ["/api/study/changepoint", 400, /missing parameter "metric"/],
      ["/api/study/changepoint?metric=nope", 404, /no metric "nope"/],
      ["/api/study/changepoint?metric=cpu_usage_millicores&cost=median", 400, /cost must be/],
      ["/api/study/correlation?metric=cpu_usage_millicores&top=0", 400, /top must be/],
      ["/api/study/periodicity?metric=cpu_usage_millicores&container=zzz", 404, /no container/],
      ["/api/study/periodicity?metric=load1&table=host&container=spiky", 400, /does not apply/],
    ];
    for (const [path, status, message] of cases) {
      const res = await get(path);
      assert.equal(res.status, status, path);
      assert.match((await res.json()).error, message, path);
    }
  });
});
