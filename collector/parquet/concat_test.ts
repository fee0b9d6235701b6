import assert from "node:assert/strict";
import { concatenateInto, concatObstacle, readRawFooter, serializeRawFooter } from "./concat.ts";
import { ALL_TYPES, allTypesColumns, SAMPLES, samples } from "./testing_tables.ts";
import { readTableFile } from "./read.ts";
import { vectorAt, writeTableFile } from "./write.ts";
import type { TableSchema } from "./schema.ts";
import { queryParquet, sqlString } from "../../tests/support/duckdb.ts";

function rowsOf(schema: TableSchema, columns: Record<string, unknown>, rows: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows; i++) {
    out.push(
      JSON.stringify(
        schema.columns.map((c) => vectorAt(columns[c.name] as never, i) ?? null),
        (_, v) => typeof v === "bigint" ? `${v}n` : v,
      ),
    );
  }
  return out;
}

Deno.test("readRawFooter() and serializeRawFooter() give back the footer byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_concat_" });
  try {
    const path = `${dir}/all.parquet`;
    await writeTableFile(path, ALL_TYPES, allTypesColumns(200), 200, { rowGroupRows: 64 });
    const bytes = await Deno.readFile(path);
    const length = new DataView(bytes.buffer).getUint32(bytes.byteLength - 8, true);
    const file = await Deno.open(path);
    try {
      const { meta, fileBytes } = readRawFooter(file, path);
      assert.equal(fileBytes, bytes.byteLength);
      assert.deepEqual(
        serializeRawFooter(meta),
        bytes.subarray(bytes.byteLength - 8 - length, bytes.byteLength - 8),
      );
    } finally {
      file.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-012: concatenateInto() copies row groups unchanged; hyparquet and DuckDB read every row back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_concat_" });
  try {
    // Every column type, three files of several row groups each, with dictionaries and nulls.
    const paths: string[] = [];
    const expected: string[] = [];
    for (let k = 0; k < 3; k++) {
      const rows = 150 + 50 * k;
      const columns = allTypesColumns(rows, 1_735_689_600_000 + k * 3_600_000);
      const path = `${dir}/part-${k}.parquet`;
      await writeTableFile(path, ALL_TYPES, columns, rows, { rowGroupRows: 64 });
      paths.push(path);
      expected.push(...rowsOf(ALL_TYPES, columns, rows));
    }
    const target = `${dir}/joined.parquet`;
    const out = await Deno.open(target, { write: true, create: true, truncate: true });
    let rows: number;
    try {
      rows = concatenateInto(out, paths, [{ key: "fgm.schema", value: JSON.stringify(ALL_TYPES) }]);
    } finally {
      out.close();
    }
    assert.equal(rows, expected.length);
    const back = await readTableFile(target);
    assert.deepEqual(back.schema, ALL_TYPES);
    assert.deepEqual(rowsOf(ALL_TYPES, back.columns, back.rowCount), expected);
    // 3 + 4 + 4 row groups of the sources, in order, with their statistics.
    const groups = await queryParquet(
      `SELECT row_group_id, row_group_num_rows AS n, stats_min_value AS lo
       FROM parquet_metadata(${sqlString(target)}) WHERE path_in_schema = 'count_i32'
       ORDER BY row_group_id`,
    );
    assert.deepEqual(
      groups.map((g) => Number(g.n)),
      [64, 64, 22, 64, 64, 64, 8, 64, 64, 64, 58],
    );
    assert.ok(groups.every((g) => g.lo !== null), "statistics carried over");
    const [duck] = await queryParquet(
      `SELECT count(*) AS n, count(label) AS labels, sum(bytes_i64)::DOUBLE AS bytes,
         max(throttled_seconds)::VARCHAR AS t
       FROM read_parquet(${sqlString(target)})`,
    );
    const all = back.columns;
    const sum = (all.bytes_i64 as (number | null)[]).reduce((s: number, v) => s + (v ?? 0), 0);
    assert.equal(duck.n, BigInt(expected.length));
    assert.equal(duck.labels, BigInt(all.label.filter((v) => v !== null).length));
    assert.equal(duck.bytes, sum);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("concatObstacle() refuses sources whose Parquet schemas differ", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_concat_" });
  try {
    const a = samples(0, 10);
    await writeTableFile(`${dir}/a.parquet`, SAMPLES, a.columns, a.rows);
    const fewer = { ...SAMPLES, columns: SAMPLES.columns.slice(0, -1) };
    await writeTableFile(`${dir}/b.parquet`, fewer, a.columns, a.rows);
    const footers = ["a", "b"].map((n) => {
      const file = Deno.openSync(`${dir}/${n}.parquet`);
      try {
        return readRawFooter(file, n);
      } finally {
        file.close();
      }
    });
    assert.equal(concatObstacle([footers[0], footers[0]]), null);
    assert.equal(concatObstacle(footers), "the sources' Parquet schemas differ");
    const out = await Deno.open(`${dir}/c.parquet`, { write: true, create: true });
    try {
      assert.throws(
        () => concatenateInto(out, [`${dir}/a.parquet`, `${dir}/b.parquet`], []),
        /Cannot concatenate ".*b.parquet": the sources' Parquet schemas differ/,
      );
    } finally {
      out.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
