/**
 * `fgm view` and `fgm collect --view` as a user runs them (`deno run -A mod.ts …`): usage errors,
 * a port in use, an empty directory that fills while the viewer runs, bad files beside good ones,
 * traversal attempts over a real socket, and a live chart fed from the collector's memory.
 */

import assert from "node:assert/strict";
import { runFgm, spawnFgm } from "./support/fgm.ts";
import { startViewer } from "./support/viewer.ts";
import { requireRuntime } from "./support/available.ts";
import { startDockerd } from "./support/dockerd.ts";
import { T0, writeTestRecording } from "../recording/testing_recording.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  const body = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Sends `GET <path>` as written, unnormalised (fetch would resolve `..`), and returns the status. */
async function rawStatus(url: string, path: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`,
      ),
    );
    let text = "";
    const buf = new Uint8Array(4096);
    while (!text.includes("\r\n")) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    return Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
  } finally {
    conn.close();
  }
}

Deno.test("REQ-VIEW-001: usage errors exit 2 with one line; a port in use exits 1 with one line", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "fgm-view-cli-" });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    for (
      const [args, message] of [
        [["view"], /which recording/],
        [["view", dir, dir], /one recording at a time/],
        [["view", `${dir}/missing`], /does not exist/],
        [["view", dir, "--port", "http"], /--port/],
        [["view", dir, "--port", "70000"], /--port/],
      ] as const
    ) {
      const r = await runFgm([...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    const port = (listener.addr as Deno.NetAddr).port;
    const busy = await runFgm(["view", dir, "--port", String(port)]);
    assert.equal(busy.code, 1, busy.stderr);
    assert.match(busy.stderr, /^fgm: Cannot listen on 127\.0\.0\.1:\d+: the port is in use/m);
    assert.ok(!busy.stderr.includes("    at "), "no stack trace");
    const notParquet = `${dir}/notes.parquet`;
    Deno.writeTextFileSync(notParquet, "not parquet at all");
    const bad = await runFgm(["view", notParquet, "--port", "0"]);
    assert.equal(bad.code, 1, bad.stderr);
    assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
    assert.match(bad.stderr, /^fgm: Cannot read ".*notes\.parquet": no Parquet footer/);
  } finally {
    listener.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "REQ-VIEW-002, REQ-VIEW-003, REQ-VIEW-011: an empty directory fills while the viewer runs; bad files are skipped; traversal is refused on the socket",
  sanitizeResources: false,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "fgm-view-live-" });
    try {
      await using viewer = await startViewer(dir);
      const empty = await getJson(`${viewer.url}api/health`);
      assert.equal(empty.files, 0);
      assert.equal(empty.range, null);
      assert.match(viewer.stderr(), /holds no Parquet file yet/);

      // A collector's files appear, with a half-written one and a truncated one among them.
      await writeTestRecording(dir, { nodes: ["node-a"], seconds: 120, fileSeconds: 60 });
      const part = `${dir}/containers/dt=2026-12-04/identifier=node-a`;
      Deno.writeTextFileSync(`${part}/containers-20261204T110000Z.parquet`, "PAR1 half");
      const good = [...Deno.readDirSync(part)].find((e) =>
        e.name.endsWith(".parquet") &&
        !e.name.includes("T110000Z")
      )!;
      const bytes = Deno.readFileSync(`${part}/${good.name}`);
      Deno.writeFileSync(`${part}/containers-20261204T120000Z.parquet`, bytes.slice(0, 200));
      const appeared = performance.now();
      let health: Record<string, unknown> = empty;
      while ((health.files as number) === 0) {
        assert.ok(performance.now() - appeared < 6000, "new files seen within a few seconds");
        await sleep(200);
        health = await getJson(`${viewer.url}api/health`);
      }
      assert.deepEqual(health.range, { startMs: T0, endMs: T0 + 119_000 });
      const problems = (health.problems as { path: string }[]).map((p) => p.path).sort();
      assert.deepEqual(problems, [
        `${part}/containers-20261204T110000Z.parquet`,
        `${part}/containers-20261204T120000Z.parquet`,
      ]);
      const series = await getJson(
        `${viewer.url}api/timeseries?metric=cpu_usage_millicores&points=10`,
      );
      assert.ok((series.series as unknown[]).length > 0, "the good files are served");
      // Each bad file once on stderr, however often the directory is walked again.
      await sleep(2500);
      for (const p of problems) {
        const lines = viewer.stderr().split("\n").filter((line) => line.includes(p));
        assert.equal(lines.length, 1, `${p} reported once: ${lines}`);
      }

      for (
        const path of [
          "/../../../etc/passwd",
          "/api/../../etc/passwd",
          "/%2e%2e/%2e%2e/etc/passwd",
          "/api%2fhealth",
          "/..%5c..%5cetc%5cpasswd",
          "/./api/health",
        ]
      ) {
        assert.equal(await rawStatus(viewer.url, path), 400, path);
      }
      assert.equal(await rawStatus(viewer.url, "/api/health"), 200);
      // Nothing was written into the recording.
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(names, ["containers", "host"]);
      assert.equal(await viewer.stop(), 0, "SIGTERM stops it cleanly");
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "REQ-VIEW-005: collect --view serves a container's CPU within 2 s of it changing, from memory before any flush",
  ignore: !requireRuntime("docker"),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using daemon = await startDockerd();
    const out = Deno.makeTempDirSync({ prefix: "fgm-collect-view-" });
    const id = await daemon.run({ name: "calm", cmd: ["sh", "-c", "sleep 3600; true"] });
    // Flushes every 10 minutes: everything the chart shows comes from the collector's memory.
    const child = spawnFgm([
      "collect",
      "--out",
      out,
      "--identifier",
      "view-node",
      "--flush",
      "10m",
      "--view",
      "--port",
      "0",
    ]);
    let stderr = "";
    const drained = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of child.stderr) stderr += decoder.decode(chunk, { stream: true });
    })();
    void child.stdout.cancel();
    try {
      let url: string | null = null;
      const started = performance.now();
      while (url === null) {
        url = stderr.match(/viewer on (http:\/\/\S+\/)/)?.[1] ?? null;
        assert.ok(performance.now() - started < 30_000, `no viewer URL: ${stderr}`);
        await sleep(50);
      }
      const entity = `view-node/${id}`;
      const cpuSince = async (fromMs: number) => {
        const res = await fetch(
          `${url}api/timeseries?metric=cpu_usage_millicores&ids=${entity}&from=${fromMs}&to=${
            Date.now() + 5000
          }&points=1000`,
        );
        const r = await res.json();
        if (res.status === 404) return []; // before the first sweep: no containers table yet
        assert.equal(res.status, 200, JSON.stringify(r));
        const s = (r.series as { t: number[]; mean: (number | null)[] }[])[0];
        return s ? s.t.map((t, i) => ({ t, cpu: s.mean[i] })).filter((p) => p.t > fromMs) : [];
      };
      // Calm first: a few samples near 0 m.
      while ((await cpuSince(Date.now() - 10_000)).length < 3) await sleep(200);
      const calm = await cpuSince(Date.now() - 3_000);
      assert.ok(calm.every((p) => p.cpu === null || p.cpu < 100), JSON.stringify(calm));
      assert.equal(
        [...Deno.readDirSync(out)].filter((e) => e.isDirectory).length,
        0,
        "nothing flushed yet: the chart's rows come from memory",
      );

      await daemon.docker(["exec", "-d", id, "sh", "-c", "while :; do :; done"]);
      const changed = Date.now();
      let seenAfter = -1;
      while (seenAfter < 0) {
        const busy = (await cpuSince(changed)).filter((p) => p.cpu !== null && p.cpu >= 200);
        if (busy.length > 0) seenAfter = Date.now() - changed;
        else if (Date.now() - changed > 10_000) break;
        else await sleep(100);
      }
      console.log(`collect --view: the busy loop on the chart ${seenAfter} ms after it started`);
      assert.ok(seenAfter >= 0, "the busy loop shows");
      assert.ok(seenAfter <= 2000, `shown ${seenAfter} ms after the change`);
    } finally {
      try {
        child.kill("SIGTERM");
      } catch { /* exited */ }
      const status = await child.status;
      await drained;
      Deno.removeSync(out, { recursive: true });
      assert.equal(status.code, 0, stderr);
    }
  },
});
