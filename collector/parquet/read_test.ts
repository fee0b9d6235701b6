import assert from "node:assert/strict";
import { isCompleteParquet, listTableFiles, openTableFile, readTableFile } from "./read.ts";
import { encodeTable, writeTableFile } from "./write.ts";
import { ALL_TYPES, allTypesColumns } from "./testing_tables.ts";
import { queryParquet, sqlString } from "../../tests/support/duckdb.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "fgm_parquet_read_" });
}

Deno.test("REQ-STO-005: isCompleteParquet() rejects a file cut short before its footer", async () => {
  const dir = await tempDir();
  try {
    const rows = 500;
    const bytes = encodeTable(ALL_TYPES, allTypesColumns(rows), rows);
    const full = `${dir}/full.parquet`;
    await Deno.writeFile(full, bytes);
    assert.equal(isCompleteParquet(full), true);
    for (const cut of [0, 3, 4, 11, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const path = `${dir}/cut${cut}.parquet`;
      await Deno.writeFile(path, bytes.subarray(0, cut));
      assert.equal(isCompleteParquet(path), false, `cut at ${cut}`);
    }
    // Magic at both ends but a footer length that does not fit.
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(bad.length - 8, bad.length, true);
    await Deno.writeFile(`${dir}/badlen.parquet`, bad);
    assert.equal(isCompleteParquet(`${dir}/badlen.parquet`), false);
    assert.equal(isCompleteParquet(`${dir}/missing.parquet`), false);
    assert.equal(isCompleteParquet(dir), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-006: listTableFiles() lists *.parquet recursively, sorted, without temporary files", async () => {
  const dir = await tempDir();
  try {
    await Deno.mkdir(`${dir}/containers/dt=2025-01-01`, { recursive: true });
    await Deno.mkdir(`${dir}/processes`, { recursive: true });
    for (
      const name of [
        "containers/dt=2025-01-01/b.parquet",
        "containers/dt=2025-01-01/a.parquet",
        "containers/dt=2025-01-01/c.parquet.tmp",
        "processes/x.parquet",
        "processes/notes.txt",
        "top.parquet",
      ]
    ) await Deno.writeTextFile(`${dir}/${name}`, "");
    assert.deepEqual(await listTableFiles(dir), [
      `${dir}/containers/dt=2025-01-01/a.parquet`,
      `${dir}/containers/dt=2025-01-01/b.parquet`,
      `${dir}/processes/x.parquet`,
      `${dir}/top.parquet`,
    ]);
    assert.deepEqual(await listTableFiles(`${dir}/nope`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-006: openTableFile() reads one row group at a time with time statistics", async () => {
  const dir = await tempDir();
  try {
    const rows = 1000;
    const columns = allTypesColumns(rows);
    const path = `${dir}/t.parquet`;
    await writeTableFile(path, ALL_TYPES, columns, rows, { rowGroupRows: 400 });
    const file = await openTableFile(path);
    try {
      assert.equal(file.rowCount, rows);
      assert.deepEqual(file.rowGroups.map((g) => [g.firstRow, g.rows]), [[0, 400], [400, 400], [
        800,
        200,
      ]]);
      assert.equal(file.rowGroups[1].timeMinMs, columns.time[400]);
      assert.equal(file.rowGroups[1].timeMaxMs, columns.time[799]);
      const group = await file.readRowGroup(1, ["time", "label"]);
      assert.deepEqual(Object.keys(group), ["time", "label"]);
      assert.deepEqual(group.label, Array.from(columns.label).slice(400, 800));
      await assert.rejects(() => file.readRowGroup(3), RangeError);
    } finally {
      file.close();
    }
    const some = await readTableFile(path, { columns: ["id", "flag"] });
    assert.deepEqual(some.schema.columns.map((c) => c.name), ["id", "flag"]);
    assert.deepEqual(some.columns.flag, Array.from(columns.flag));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-006: readTableFile() derives a schema for files fgm did not write", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/duck.parquet`;
    await queryParquet(
      `COPY (SELECT TIMESTAMP '2025-01-01 00:00:01' + INTERVAL (i) SECOND AS time,
         CAST(i AS INTEGER) AS pids, CAST(i * 4096 AS BIGINT) AS bytes,
         CAST(i / 10 AS DECIMAL(9,1)) AS cpu_millicores,
         CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' || i END AS name
       FROM range(5) t(i)) TO ${sqlString(path)} (FORMAT parquet)`,
    );
    const back = await readTableFile(path);
    assert.equal(back.schema.name, "duck");
    assert.deepEqual(back.schema.columns.map((c) => [c.name, c.type]), [
      ["time", "timestamp_ms"],
      ["pids", "int32"],
      ["bytes", "int64"],
      ["cpu_millicores", "decimal"],
      ["name", "string"],
    ]);
    // DuckDB writes microsecond timestamps; they come back as epoch milliseconds.
    assert.deepEqual(
      back.columns.time,
      [1, 2, 3, 4, 5].map((s) => Date.UTC(2025, 0, 1) + s * 1000),
    );
    assert.deepEqual(back.columns.bytes, [0, 4096, 8192, 12288, 16384]);
    assert.deepEqual(back.columns.cpu_millicores, [0, 0.1, 0.2, 0.3, 0.4]);
    assert.deepEqual(back.columns.name, [null, "x1", null, "x3", null]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openTableFile() rejects a truncated file", async () => {
  const dir = await tempDir();
  try {
    const bytes = encodeTable(ALL_TYPES, allTypesColumns(10), 10);
    await Deno.writeFile(`${dir}/t.parquet`, bytes.subarray(0, bytes.length - 20));
    await assert.rejects(() => openTableFile(`${dir}/t.parquet`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
