/**
 * A tiny description of the wide tables `fgm collect` writes: one row per entity per sample, one
 * typed column per measurement, units in the column names. The description maps one-to-one onto
 * Parquet physical and logical types (see {@linkcode ColumnType}) and travels inside every file as
 * key-value metadata, so that readers and compaction get the descriptions and kernel sources back.
 *
 * @module
 */

/**
 * The value type of a column and how it is stored in Parquet.
 *
 * | type           | Parquet physical / logical type                   | JS value written and read |
 * |----------------|---------------------------------------------------|---------------------------|
 * | `timestamp_ms` | INT64, TIMESTAMP(isAdjustedToUTC, MILLIS)         | number (epoch ms)         |
 * | `int32`        | INT32                                             | number                    |
 * | `int64`        | INT64                                             | number (safe integer)     |
 * | `double`       | DOUBLE                                            | number                    |
 * | `float`        | FLOAT                                             | number (rounded to f32)   |
 * | `decimal`      | INT32 DECIMAL(9, scale) or INT64 DECIMAL(18, scale) | number, rounded to scale  |
 * | `string`       | BYTE_ARRAY, STRING                                | string                    |
 * | `bool`         | BOOLEAN                                           | boolean                   |
 *
 * `decimal` is a scaled integer: `cpu_usage_millicores` with `scale: 1` stores 12.3 m as the
 * integer 123, which compresses far better than a double (bench/README_parquet.md) and which DuckDB
 * reads back as `DECIMAL(9,1)`.
 */
export type ColumnType =
  | "timestamp_ms"
  | "int32"
  | "int64"
  | "double"
  | "float"
  | "decimal"
  | "string"
  | "bool";

/** One column of a wide table. */
export interface ColumnSpec {
  /** Column name with its unit, e.g. `memory_usage_bytes`, `cpu_usage_millicores`. */
  name: string;
  /** Value type; see {@linkcode ColumnType}. */
  type: ColumnType;
  /**
   * Whether the column may hold nulls. Nulls are real Parquet nulls (definition level 0), never
   * sentinel numbers. Use them for "unknown/not sampled" and, where a column documents it, for
   * "unlimited" (`max` in a cgroup limit file).
   */
  nullable: boolean;
  /**
   * Only for `decimal`: digits after the decimal point (0..9). Values are rounded to this many
   * digits when written.
   */
  scale?: number;
  /** Only for `decimal`: 9 (INT32, the default) or 18 (INT64) significant digits. */
  precision?: 9 | 18;
  /** What the column means, including what a null means. */
  description?: string;
  /** Kernel source of the value, e.g. `cpu.stat usage_usec` or `/proc/<pid>/smaps_rollup Pss`. */
  source?: string;
  /** Unit of the values, e.g. `bytes`, `millicores` (collector/columns.ts lists fgm's). */
  unit?: string;
  /** What a value says about time: `gauge`, `rate`, `interval` … (collector/columns.ts). */
  kind?: string;
}

/** A wide table: its name (also the directory name of its files) and its columns in order. */
export interface TableSchema {
  /** Table name, e.g. `containers` or `processes`. */
  name: string;
  /** The columns, in file order. */
  columns: readonly ColumnSpec[];
}

/** Key under which a file's {@linkcode TableSchema} is stored as JSON in Parquet metadata. */
export const SCHEMA_METADATA_KEY = "fgm.schema";

const NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;
/** The column types whose values are JS numbers (every type but `string` and `bool`). */
export const NUMERIC_COLUMN_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>([
  "timestamp_ms",
  "int32",
  "int64",
  "double",
  "float",
  "decimal",
]);

/**
 * The largest scaled integer a decimal column holds: 999 999 999 at precision 9 (INT32), 2^53 − 1
 * at precision 18 (INT64, as far as a JS number is exact).
 */
export function decimalLimit(column: ColumnSpec): number {
  return (column.precision ?? 9) === 18 ? Number.MAX_SAFE_INTEGER : 999_999_999;
}

const TYPES: ReadonlySet<string> = new Set<ColumnType>([...NUMERIC_COLUMN_TYPES, "string", "bool"]);

/**
 * Checks that a schema is well formed: a table name and column names in snake_case, no
 * duplicate column, a known type, and `scale`/`precision` only (and validly) on decimals.
 *
 * @throws {TypeError} describing the first problem found.
 */
export function validateSchema(schema: TableSchema): void {
  if (!NAME_PATTERN.test(schema.name)) {
    throw new TypeError(`Cannot use table name "${schema.name}": expected snake_case`);
  }
  if (schema.columns.length === 0) {
    throw new TypeError(`Cannot use table "${schema.name}": it has no columns`);
  }
  const seen = new Set<string>();
  for (const column of schema.columns) {
    const where = `column "${column.name}" of table "${schema.name}"`;
    if (!NAME_PATTERN.test(column.name)) {
      throw new TypeError(`Cannot use ${where}: expected a snake_case name`);
    }
    if (seen.has(column.name)) throw new TypeError(`Cannot use ${where}: duplicate name`);
    seen.add(column.name);
    if (!TYPES.has(column.type)) {
      throw new TypeError(`Cannot use ${where}: unknown type "${column.type}"`);
    }
    if (typeof column.nullable !== "boolean") {
      throw new TypeError(`Cannot use ${where}: nullable must be true or false`);
    }
    if (column.type === "decimal") {
      const scale = column.scale ?? 0;
      if (!Number.isInteger(scale) || scale < 0 || scale > 9) {
        throw new TypeError(`Cannot use ${where}: scale must be an integer in 0..9`);
      }
      if (column.precision !== undefined && column.precision !== 9 && column.precision !== 18) {
        throw new TypeError(`Cannot use ${where}: precision must be 9 or 18`);
      }
    } else if (column.scale !== undefined || column.precision !== undefined) {
      throw new TypeError(`Cannot use ${where}: scale and precision apply to decimals only`);
    }
  }
}

/** The column named `name`, or `undefined`. */
export function findColumn(schema: TableSchema, name: string): ColumnSpec | undefined {
  return schema.columns.find((c) => c.name === name);
}
