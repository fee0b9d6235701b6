import assert from "node:assert/strict";
import { cpuAt, T0, writeTestRecording } from "../recording/testing_recording.ts";
import { connectTestClient } from "./testing_client.ts";
import { readTableFile } from "../collector/parquet/read.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** A recording of 3 containers (web, db, cache) over 600 s with known CPU values (cpuAt). */
async function withRecording(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "fgm-mcp-unit-" });
  try {
    await writeTestRecording(dir, { seconds: 600 });
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("REQ-MCP-003: get_series gives exact statistics and a reduction with the spikes", async () => {
  await withRecording(async (dir) => {
    const c = await connectTestClient(dir);
    try {
      const s = await c.call("get_series", {
        metric: "cpu_usage_millicores",
        containers: ["db"],
        points: 30,
      }) as Any;
      const truth = Array.from({ length: 599 }, (_, i) => cpuAt(1, i + 1)); // second 0 is null
      const series = s.series[0];
      assert.equal(series.container, "db");
      assert.equal(series.summary.samples, 599);
      assert.equal(series.summary.max, Math.max(...truth));
      assert.equal(series.summary.min, Math.min(...truth));
      assert.equal(series.summary.maxAt, new Date(T0 + 30_000).toISOString());
      assert.equal(series.summary.mean, Number((truth.reduce((a, b) => a + b) / 599).toFixed(3)));
      assert.ok(series.points.rows.length <= 30);
      // Every minute's spike (second 30) survives as its bucket's max.
      const spikes = series.points.rows.filter((r: Any) => r[3] === 1200).length;
      assert.equal(spikes, 10);
      assert.deepEqual(s.withoutValues, []);
    } finally {
      await c.close();
    }
  });
});

Deno.test("REQ-MCP-004: top_containers ranks by mean, max or p95, filtered", async () => {
  await withRecording(async (dir) => {
    const c = await connectTestClient(dir);
    try {
      const top = await c.call("top_containers", {
        metric: "cpu_usage_millicores",
        by: "mean",
      }) as Any;
      assert.deepEqual(top.top.map((x: Any) => x.container), ["cache", "db", "web"]);
      assert.equal(top.top[0].namespace, "data");
      const shop = await c.call("top_containers", {
        metric: "cpu_usage_millicores",
        by: "p95",
        namespace: ["shop"],
      }) as Any;
      assert.deepEqual(shop.top.map((x: Any) => x.container), ["web"]);
      assert.equal(shop.top[0].value, 190);
    } finally {
      await c.close();
    }
  });
});

Deno.test("REQ-MCP-008: export_parquet writes the slice, and only a new file outside", async () => {
  await withRecording(async (dir) => {
    const c = await connectTestClient(dir);
    const out = await Deno.makeTempDir({ prefix: "fgm-mcp-out-" });
    try {
      const path = `${out}/web.parquet`;
      const from = new Date(T0 + 60_000).toISOString();
      const to = new Date(T0 + 120_000).toISOString();
      const e = await c.call("export_parquet", { path, containers: ["web"], from, to }) as Any;
      assert.equal(e.rows, 60);
      const table = await readTableFile(path);
      assert.deepEqual(new Set(table.columns.container_name), new Set(["web"]));
      const before = await Deno.readFile(path);
      for (
        const [args, message] of [
          [{ path }, /a file is there already/],
          [{ path: "web.parquet" }, /path must be absolute/],
          [{ path: `${out}/web.csv` }, /must end in .parquet/],
          [{ path: `${out}/no/such/dir.parquet` }, /its directory does not exist/],
          [{ path: `${dir}/containers/x.parquet` }, /inside the recording/],
        ] as const
      ) {
        await assert.rejects(() => c.call("export_parquet", args), message);
      }
      assert.deepEqual(await Deno.readFile(path), before, "the existing file is untouched");
      assert.deepEqual([...Deno.readDirSync(out)].map((f) => f.name), ["web.parquet"]);
    } finally {
      await c.close();
      await Deno.remove(out, { recursive: true });
    }
  });
});

Deno.test("REQ-MCP-010: selections that do not fit the table are refused", async () => {
  await withRecording(async (dir) => {
    const c = await connectTestClient(dir);
    try {
      await assert.rejects(
        () => c.call("get_series", { metric: "load1", table: "host", containers: ["web"] }),
        /table "host" has no containers/,
      );
      await assert.rejects(
        () => c.call("get_series", { metric: "cpu_usage_millicores", pids: [1] }),
        /pids select processes/,
      );
      await assert.rejects(
        () => c.call("get_series", { metric: "cpu_usage_millicores", table: "processes" }),
        /no table "processes" in this recording \(it has containers, host\)/,
      );
      await assert.rejects(
        () => c.call("study_correlation", { metric: "cpu_usage_millicores", container: "nosuch" }),
        /no container "nosuch" in the range \(3 containers there\)/,
      );
      await assert.rejects(
        () => c.call("study_changepoint", { metric: "cpu_usage_millicores", cost: "median" }),
        /cost: Invalid option: expected one of "mean"\|"meanvar"/,
      );
      await assert.rejects(
        () => c.call("gap_analysis", { node: "elsewhere" }),
        /no node "elsewhere" in this recording \(node-a\)/,
      );
      const h = await c.call("get_series", {
        metric: "load1",
        table: "host",
        node: ["node-a"],
      }) as Any;
      assert.equal(h.series[0].summary.max, 0.5);
    } finally {
      await c.close();
    }
  });
});
