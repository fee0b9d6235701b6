/**
 * DuckDB as an independent reader of the Parquet files fgm writes: tests check with it that what
 * hyparquet-writer produced is standard Parquet (types, nulls, encodings, codecs).
 *
 * ```ts
 * const rows = await queryParquet(
 *   `SELECT count(*) AS n FROM read_parquet('${path}')`,
 * );
 * ```
 *
 * Each call opens an in-memory database, runs the statement and closes the database again.
 * Values come back as JS values (`getRowObjectsJS()`): BIGINT as bigint, DECIMAL and DOUBLE as
 * number, TIMESTAMP as Date, VARCHAR as string, NULL as null. Cast in SQL when exact text is
 * needed (`CAST(x AS VARCHAR)`, `epoch_ms(time)`).
 *
 * @module
 */

import { DuckDBInstance } from "@duckdb/node-api";

/** One result row: column name → JS value. */
export type DuckRow = Record<string, unknown>;

/** Runs `sql` in a fresh in-memory DuckDB and returns all rows. */
export async function queryParquet(sql: string): Promise<DuckRow[]> {
  const instance = await DuckDBInstance.create(":memory:");
  try {
    const connection = await instance.connect();
    try {
      const result = await connection.runAndReadAll(sql);
      return result.getRowObjectsJS() as DuckRow[];
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Quotes a path as a SQL string literal for `read_parquet('...')`. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
