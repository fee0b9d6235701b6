/**
 * Three Parquet implementations other than fgm's own (hyparquet) that read a table folder of a
 * recording the way users do: DuckDB (C++, `read_parquet` with hive partitioning), Polars (Rust,
 * `scanParquet` with hive partitioning, through its Node-API binding) and arrow-rs (compiled to
 * WebAssembly in parquet-wasm, into Apache Arrow JS tables). Each returns the column types it saw
 * and the rows with values normalised for comparison: integers and timestamps as numbers
 * (timestamps in epoch ms), doubles as numbers, strings, `null`.
 *
 * @module
 */

import pl from "nodejs-polars";
import { readParquet } from "parquet-wasm/node";
import { tableFromIPC } from "apache-arrow";
import { queryParquet, sqlString } from "./duckdb.ts";

/** A normalised cell. */
export type Value = number | string | null;

/** What one reader read from one table folder. */
export interface ReadTable {
  /** The reader's own name of each column's type, e.g. `BIGINT`, `Int64`. */
  types: Record<string, string>;
  rows: Record<string, Value>[];
}

/** A cell as the comparisons want it. */
export function normalise(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number" || typeof v === "string") return v;
  throw new TypeError(`Cannot normalise ${typeof v}: ${String(v)}`);
}

/** `<out>/<table>/**\/*.parquet`: the glob the README gives for a table. */
export function tableGlob(out: string, table: string): string {
  return `${out}/${table}/**/*.parquet`;
}

/** DuckDB: `read_parquet('<out>/<table>/**\/*.parquet', hive_partitioning = true)`. */
export async function readWithDuckDB(out: string, table: string): Promise<ReadTable> {
  const from = `read_parquet(${sqlString(tableGlob(out, table))}, hive_partitioning = true)`;
  const described = await queryParquet(`DESCRIBE SELECT * FROM ${from}`);
  const types = Object.fromEntries(
    described.map((r) => [String(r.column_name), String(r.column_type)]),
  );
  const timestamps = Object.entries(types).filter(([, t]) => t.startsWith("TIMESTAMP"));
  const dates = Object.entries(types).filter(([, t]) => t === "DATE");
  const select = Object.keys(types).map((name) => {
    const q = `"${name}"`;
    if (timestamps.some(([n]) => n === name)) return `epoch_ms(${q}) AS ${q}`;
    if (dates.some(([n]) => n === name)) return `strftime(${q}, '%Y-%m-%d') AS ${q}`;
    return q;
  }).join(", ");
  const rows = (await queryParquet(`SELECT ${select} FROM ${from}`)).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalise(v)]))
  );
  return { types, rows };
}

/** Polars: `scanParquet('<out>/<table>/**\/*.parquet', { hivePartitioning: true })`. */
export async function readWithPolars(out: string, table: string): Promise<ReadTable> {
  const df = await pl.scanParquet(tableGlob(out, table), { hivePartitioning: true }).collect();
  const types: Record<string, string> = {};
  for (const [name, type] of Object.entries(df.schema as Record<string, { variant: string }>)) {
    types[name] = String(type.variant);
  }
  const rows = (df.toRecords() as Record<string, unknown>[]).map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        types[k] === "Date" && v instanceof Date ? v.toISOString().slice(0, 10) : normalise(v),
      ]),
    )
  );
  return { types, rows };
}

/** Files of a table folder, recursively, sorted. */
export function parquetFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...parquetFiles(path));
    else if (e.isFile && e.name.endsWith(".parquet")) out.push(path);
  }
  return out.sort();
}

/**
 * arrow-rs (parquet-wasm): every `*.parquet` file of the folder read into an Arrow table, the
 * tables' rows concatenated (it has no dataset reader); `dt` and `identifier` are not columns.
 */
export function readWithArrow(out: string, table: string): ReadTable {
  const types: Record<string, string> = {};
  const rows: Record<string, Value>[] = [];
  for (const path of parquetFiles(`${out}/${table}`)) {
    const t = tableFromIPC(readParquet(Deno.readFileSync(path)).intoIPCStream());
    for (const field of t.schema.fields) {
      const type = String(field.type);
      if (types[field.name] !== undefined && types[field.name] !== type) {
        throw new Error(`${path}: ${field.name} is ${type}, elsewhere ${types[field.name]}`);
      }
      types[field.name] = type;
    }
    const columns = t.schema.fields.map((f) => [f.name, t.getChild(f.name)!] as const);
    for (let i = 0; i < t.numRows; i++) {
      rows.push(Object.fromEntries(columns.map(([name, v]) => [name, normalise(v.get(i))])));
    }
  }
  return { types, rows };
}
