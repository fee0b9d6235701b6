import assert from "node:assert/strict";
import { openCatalog } from "./catalog.ts";
import { openRecording } from "./recording.ts";
import { T0, writeTestRecording } from "./testing_recording.ts";
import { encodeTable } from "../collector/parquet/write.ts";
import { ALL_TYPES, allTypesColumns } from "../collector/parquet/testing_tables.ts";

Deno.test("REQ-VIEW-002, REQ-VIEW-003: the catalog knows files by name, skips bad ones once, and sees new ones on refresh", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_catalog_" });
  try {
    await writeTestRecording(dir, { nodes: ["node-a", "node-b"], seconds: 180, fileSeconds: 60 });
    const part = `${dir}/containers/dt=2026-12-04/identifier=node-a`;
    // A truncated file with fgm's name, a file that is not Parquet, a hidden half-written one.
    const good = [...Deno.readDirSync(part)].map((e) => e.name).sort()[0];
    const bytes = Deno.readFileSync(`${part}/${good}`);
    Deno.writeFileSync(`${part}/containers-20261204T110000Z.parquet`, bytes.subarray(0, 200));
    Deno.writeTextFileSync(`${dir}/notes.parquet`, "not parquet");
    Deno.writeFileSync(`${part}/.containers-20261204T120000Z.parquet.fgm-tmp`, bytes);
    const problems: string[] = [];
    const cat = await openCatalog(dir, { problem: (p, why) => problems.push(`${p}: ${why}`) });
    assert.deepEqual(cat.tables(), ["containers", "host"], "notes.parquet is not a table");
    assert.deepEqual(cat.nodes(), ["node-a", "node-b"]);
    assert.equal(cat.files("containers").length, 7, "6 good + 1 truncated, known by name");
    // Exact edges from the footers of the first and last files: the first and the last sample.
    assert.deepEqual(await cat.range(), { startMs: T0, endMs: T0 + 179_000 });
    // Footers are read when needed; the truncated one is reported once and skipped.
    for (const f of cat.files("containers")) await cat.footer(f);
    for (const f of cat.files("containers")) await cat.footer(f);
    assert.equal(problems.filter((p) => p.includes("20261204T110000Z")).length, 1);
    assert.ok(problems.some((p) => p.includes("notes.parquet")), problems.join("\n"));
    assert.equal(cat.problems.size, 2);
    const rec = await openRecording(dir);
    const r = await rec.series({
      table: "containers",
      metric: "memory_usage_bytes",
      fromMs: T0,
      toMs: T0 + 180_000,
    });
    assert.equal(r.series.length, 6, "every container of both nodes despite the bad file");
    rec.close();
    // A collector writes more: refresh sees it.
    await writeTestRecording(dir, { nodes: ["node-c"], seconds: 60 });
    assert.ok(await cat.refresh() >= 2);
    assert.deepEqual(cat.nodes(), ["node-a", "node-b", "node-c"]);
    assert.equal(await cat.refresh(), 0, "nothing changed since");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-VIEW-001: one Parquet file, a foreign table, and paths that are not there", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_catalog_" });
  try {
    const path = `${dir}/mine.parquet`;
    Deno.writeFileSync(path, encodeTable(ALL_TYPES, allTypesColumns(100), 100));
    const rec = await openRecording(path);
    assert.deepEqual(rec.catalog.tables(), ["all_types"]);
    const metrics = (await rec.metrics()).map((m) => m.name);
    assert.ok(metrics.includes("count_i32") && metrics.includes("cpu_millicores"));
    assert.ok(!metrics.includes("label") && !metrics.includes("flag"));
    const r = await rec.series({
      table: "all_types",
      metric: "cpu_millicores",
      fromMs: 1_735_689_600_000,
      toMs: 1_735_689_700_000,
    });
    assert.deepEqual(r.series.map((s) => s.id), ["local"], "one series: no key known");
    assert.equal(
      r.series[0].mean.find((v) => v !== null && !Number.isInteger(v)) !== undefined,
      true,
    );
    rec.close();
    await assert.rejects(() => openCatalog(`${dir}/nope`), /Cannot open ".*nope": no such file/);
    const empty = await openCatalog(dir + "/");
    assert.equal(empty.root, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-VIEW-002: a large directory is indexed from names, with progress every 2 000 files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_catalog_big_" });
  try {
    const part = `${dir}/containers/dt=2026-12-04/identifier=node-a`;
    Deno.mkdirSync(part, { recursive: true });
    // 4 500 segments named as fgm names them, one a second; their contents are never read here.
    for (let s = 0; s < 4500; s++) {
      const stamp = new Date(T0 + s * 1000).toISOString().replace(/[-:]|\.\d+/g, "");
      Deno.writeTextFileSync(`${part}/containers-${stamp}.parquet`, "");
    }
    const seen: number[] = [];
    const problems: string[] = [];
    const cat = await openCatalog(dir, {
      progress: (n) => seen.push(n),
      problem: (p) => problems.push(p),
    });
    assert.deepEqual(seen, [2000, 4000]);
    assert.equal(cat.files("containers").length, 4500);
    assert.deepEqual(problems, [], "no footer read while indexing");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
