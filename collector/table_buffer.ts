/**
 * The collector's in-memory rows of one table, column by column, until a flush writes them:
 * numeric columns in growing `Float64Array`s with a null mask, strings in arrays. Rows come in
 * either from a row context through each column's value function ({@linkcode appendRow}), or as
 * columns already decoded or buffered ({@linkcode appendColumns}).
 *
 * @module
 */

import type { Cell, Column, Table } from "./columns.ts";
import { NUMERIC_COLUMN_TYPES } from "./parquet/schema.ts";
import { type CellValue, type ColumnData, isMaskedColumn, vectorAt } from "./parquet/write.ts";

/**
 * A numeric column being filled: values in a `Float64Array` (exact for every integer the tables
 * hold, up to 2^53) with a null mask, grown by doubling. Ten seconds of rows would otherwise be
 * JS arrays of boxed numbers that survive young-generation collections until the flush.
 */
interface NumericStore {
  values: Float64Array;
  nulls: Uint8Array;
  /** The largest magnitude the column's Parquet type holds. */
  limit: number;
  /** Whether only integers fit (every numeric type but `double`). */
  integer: boolean;
}

/** Column values of one table, appended row by row. */
export interface TableBuffer<Ctx = unknown> {
  table: Table<Ctx>;
  /** Numeric columns as {@linkcode NumericStore}s, strings as arrays; in column order. */
  stores: (NumericStore | CellValue[])[];
  rows: number;
  /**
   * Values {@linkcode appendRow} stored as null because the column's type cannot hold them (an
   * int32 past 2^31, a fraction in an integer column, NaN), counted since the buffer was made or
   * the count was taken; and the column of the last one. One such value would otherwise fail
   * every encode of its rows.
   */
  unstorable: number;
  unstorableColumn: string | null;
}

const INITIAL_ROWS = 256;

function rangeOf(col: Column<unknown>): Pick<NumericStore, "limit" | "integer"> {
  switch (col.type) {
    case "int32":
      return { limit: 2_147_483_647, integer: true };
    case "int64":
    case "timestamp_ms":
      return { limit: Number.MAX_SAFE_INTEGER, integer: true };
    default:
      return { limit: Number.MAX_VALUE, integer: false };
  }
}

/** The row context of a table's columns. */
export type RowOf<T> = T extends Table<infer Ctx> ? Ctx : never;

/**
 * An empty buffer for `table`; it keeps the table's type, so that {@linkcode appendValues} knows
 * its column names.
 */
export function newBuffer<T extends Table<never>>(table: T): TableBuffer<RowOf<T>> & { table: T } {
  const stores = table.columns.map((col) =>
    NUMERIC_COLUMN_TYPES.has(col.type)
      ? {
        values: new Float64Array(INITIAL_ROWS),
        nulls: new Uint8Array(INITIAL_ROWS),
        ...rangeOf(col as Column<unknown>),
      }
      : []
  );
  return { table, stores, rows: 0, unstorable: 0, unstorableColumn: null } as
    & TableBuffer<RowOf<T>>
    & { table: T };
}

function grow(store: NumericStore, rows: number): void {
  if (rows <= store.values.length) return;
  let size = store.values.length * 2;
  while (size < rows) size *= 2;
  const values = new Float64Array(size);
  values.set(store.values);
  const nulls = new Uint8Array(size);
  nulls.set(store.nulls);
  store.values = values;
  store.nulls = nulls;
}

/** Whether the column's Parquet type can hold `v` (NaN fails every comparison: it cannot). */
function fits(store: NumericStore, v: number): boolean {
  return Math.abs(v) <= store.limit && (!store.integer || Number.isInteger(v));
}

function put(buffer: TableBuffer<unknown>, c: number, i: number, v: Cell | undefined): void {
  const store = buffer.stores[c];
  if (Array.isArray(store)) {
    store.push(v === undefined ? null : v);
    return;
  }
  grow(store, i + 1);
  if (v === null || v === undefined) {
    store.nulls[i] = 1;
    store.values[i] = 0;
  } else if (typeof v === "number") {
    const ok = fits(store, v);
    store.nulls[i] = ok ? 0 : 1;
    store.values[i] = ok ? v : 0;
    if (!ok) {
      buffer.unstorable++;
      buffer.unstorableColumn = buffer.table.columns[c].name;
    }
  } else {
    throw new TypeError(
      `Cannot buffer column "${buffer.table.columns[c].name}": expected a number, got ${typeof v}`,
    );
  }
}

/**
 * Appends the row of context `row`: each column's value function computes its cell. Numbers the
 * column's type cannot hold are stored as null and counted in {@linkcode TableBuffer.unstorable}.
 *
 * @throws {TypeError} when a value function returns a string for a numeric column.
 */
export function appendRow<Ctx>(buffer: TableBuffer<Ctx>, row: Ctx): void {
  const i = buffer.rows;
  const columns = buffer.table.columns;
  for (let c = 0; c < columns.length; c++) {
    put(buffer as TableBuffer<unknown>, c, i, columns[c].value(row));
  }
  buffer.rows++;
}

/**
 * Appends one row given as values by column name; a column left out is null. For tests and
 * tools: with a table declared by `defineTable()`, `Name` is the union of its column names, so a
 * misspelled name does not compile.
 *
 * @throws {TypeError} for a name the table does not have, or a string in a numeric column.
 */
export function appendValues<Name extends string>(
  buffer: TableBuffer<unknown> & { table: { columns: readonly { name: Name }[] } },
  values: Partial<Record<Name, Cell>>,
): void {
  const columns = buffer.table.columns;
  for (const name of Object.keys(values)) {
    if (!columns.some((c) => c.name === name)) {
      throw new TypeError(
        `Cannot buffer column "${name}": no such column in "${buffer.table.name}"`,
      );
    }
  }
  const i = buffer.rows;
  const cells = values as Record<string, Cell | undefined>;
  for (let c = 0; c < columns.length; c++) put(buffer, c, i, cells[columns[c].name]);
  buffer.rows++;
}

/**
 * Appends the first `count` rows of `columns` (every column of the buffer's table must be there).
 * Strings go through `strings`, so that equal strings of many rows share one object.
 *
 * @throws {TypeError} when a column is missing or a numeric column holds something other than a
 *   number or null (rows before it may have been appended: discard the buffer).
 */
export function appendColumns(
  buffer: TableBuffer<unknown>,
  columns: ColumnData,
  count: number,
  strings: Map<string, string> = new Map(),
): void {
  const at = buffer.rows;
  buffer.table.columns.forEach((col, c) => {
    const src = columns[col.name];
    if (src === undefined) {
      throw new TypeError(`Cannot append to "${buffer.table.name}": column "${col.name}" missing`);
    }
    const store = buffer.stores[c];
    if (Array.isArray(store)) {
      for (let i = 0; i < count; i++) {
        const v = vectorAt(src, i) ?? null;
        if (typeof v === "string") {
          let shared = strings.get(v);
          if (shared === undefined) strings.set(v, shared = v);
          store.push(shared);
        } else store.push(v);
      }
      return;
    }
    grow(store, at + count);
    if (isMaskedColumn(src) && src.values instanceof Float64Array) {
      store.values.set(src.values.subarray(0, count), at);
      for (let i = 0; i < count; i++) store.nulls[at + i] = src.nulls[i] ? 1 : 0;
      return;
    }
    for (let i = 0; i < count; i++) {
      const v = vectorAt(src, i);
      if (v === null || v === undefined) {
        store.nulls[at + i] = 1;
        store.values[at + i] = 0;
      } else if (typeof v === "number") {
        store.nulls[at + i] = 0;
        store.values[at + i] = v;
      } else {
        throw new TypeError(
          `Cannot buffer column "${col.name}": expected a number, got ${typeof v}`,
        );
      }
    }
  });
  buffer.rows += count;
}

/**
 * The buffer's columns for the Parquet writer, without copying: numeric columns as masked
 * views of their first `rows` entries.
 */
export function bufferColumns(buffer: TableBuffer<unknown>): ColumnData {
  const out: ColumnData = {};
  buffer.table.columns.forEach((col, c) => {
    const store = buffer.stores[c];
    out[col.name] = Array.isArray(store) ? store : {
      values: store.values.subarray(0, buffer.rows),
      nulls: store.nulls.subarray(0, buffer.rows),
    };
  });
  return out;
}

/** The buffer's columns restricted to `rows` (indices, in order), copied. */
export function selectRows(buffer: TableBuffer<unknown>, rows: readonly number[]): ColumnData {
  const out: ColumnData = {};
  buffer.table.columns.forEach((col, c) => {
    const store = buffer.stores[c];
    if (Array.isArray(store)) out[col.name] = rows.map((i) => store[i]);
    else {
      const values = new Float64Array(rows.length);
      const nulls = new Uint8Array(rows.length);
      rows.forEach((r, i) => {
        values[i] = store.values[r];
        nulls[i] = store.nulls[r];
      });
      out[col.name] = { values, nulls };
    }
  });
  return out;
}

/**
 * Keeps only `rows` (ascending indices) in the buffer, in place, e.g. those a failed flush could
 * not write; none after a successful flush. The typed arrays keep their capacity.
 */
export function retainRows(buffer: TableBuffer<unknown>, rows: readonly number[]): void {
  for (const store of buffer.stores) {
    // Ascending indices: row j moves down from rows[j] >= j, never over a row still to move.
    if (Array.isArray(store)) {
      rows.forEach((r, j) => store[j] = store[r]);
      store.length = rows.length;
    } else {
      rows.forEach((r, j) => {
        store.values[j] = store.values[r];
        store.nulls[j] = store.nulls[r];
      });
    }
  }
  buffer.rows = rows.length;
}

/** One column of the buffer as plain values, `null` for nulls (tests and small reads). */
export function columnValues(buffer: TableBuffer<unknown>, name: string): CellValue[] {
  const c = buffer.table.columns.findIndex((col) => col.name === name);
  if (c < 0) throw new RangeError(`No column "${name}" in "${buffer.table.name}"`);
  const store = buffer.stores[c];
  if (Array.isArray(store)) return store;
  const out: CellValue[] = new Array(buffer.rows);
  for (let i = 0; i < buffer.rows; i++) out[i] = store.nulls[i] ? null : store.values[i];
  return out;
}
