import assert from "node:assert/strict";
import { queryParquet, sqlString } from "./duckdb.ts";

Deno.test("queryParquet() runs SQL in a fresh in-memory DuckDB and returns JS rows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_duckdb_" });
  try {
    const path = `${dir}/it's.parquet`;
    await queryParquet(
      `COPY (SELECT range AS i, NULL::VARCHAR AS s FROM range(3)) TO ${sqlString(path)}`,
    );
    const rows = await queryParquet(`SELECT i, s FROM read_parquet(${sqlString(path)}) ORDER BY i`);
    assert.deepEqual(rows, [{ i: 0n, s: null }, { i: 1n, s: null }, { i: 2n, s: null }]);
    await assert.rejects(() => queryParquet("SELECT * FROM no_such_table"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
