/**
 * Test tables shared by the tests of collector/parquet/: every column type with awkward values
 * and nulls, and a small recording-like table for compaction tests. Not used by the product.
 *
 * @module
 */

import type { TableSchema } from "./schema.ts";
import type { CellValue } from "./write.ts";

/** Every column type, nullable and not, with awkward values. */
export const ALL_TYPES: TableSchema = {
  name: "all_types",
  columns: [
    { name: "time", type: "timestamp_ms", nullable: false },
    { name: "id", type: "string", nullable: false },
    { name: "label", type: "string", nullable: true },
    { name: "count_i32", type: "int32", nullable: true },
    { name: "bytes_i64", type: "int64", nullable: true },
    { name: "ratio_f64", type: "double", nullable: true },
    { name: "ratio_f32", type: "float", nullable: true },
    { name: "cpu_millicores", type: "decimal", scale: 1, nullable: true },
    { name: "pressure_avg10", type: "decimal", scale: 2, nullable: true },
    { name: "throttled_seconds", type: "decimal", scale: 6, precision: 18, nullable: true },
    { name: "flag", type: "bool", nullable: true },
    { name: "limit_bytes", type: "int64", nullable: true },
  ],
};

/** Deterministic rows for {@linkcode ALL_TYPES}: `rows` rows, ~1 in 5 nulls per nullable column. */
export function allTypesColumns(
  rows: number,
  startMs = 1_735_689_600_000,
): Record<string, CellValue[]> {
  const labels = ["api", "wörker", "", "redis 🚀", "x'y"];
  const cols: Record<string, (number | string | boolean | null)[]> = {};
  for (const c of ALL_TYPES.columns) cols[c.name] = [];
  for (let i = 0; i < rows; i++) {
    const nul = (k: number) => (i * 7 + k) % 5 === 0;
    cols.time.push(startMs + Math.floor(i / 4) * 1000);
    cols.id.push(`c${i % 4}`);
    cols.label.push(nul(1) ? null : labels[i % labels.length]);
    cols.count_i32.push(nul(2) ? null : i % 3 === 0 ? -1 - (i * 7919) : (i * 7919) % 2_000_000_000);
    cols.bytes_i64.push(nul(3) ? null : 4096 * i + (i % 2 === 0 ? 2 ** 52 : 0));
    cols.ratio_f64.push(nul(4) ? null : i / 7);
    cols.ratio_f32.push(nul(0) ? null : Math.fround(i / 3));
    cols.cpu_millicores.push(nul(1) ? null : Math.round(i * 13.7) / 10);
    cols.pressure_avg10.push(nul(2) ? null : i % 10 === 0 ? 12.34 : 0);
    cols.throttled_seconds.push(nul(3) ? null : i % 6 === 0 ? 0.123456 : 0);
    cols.flag.push(nul(4) ? null : i % 2 === 0);
    cols.limit_bytes.push(i % 4 === 1 ? null : 268_435_456);
  }
  return cols;
}

/** A narrow recording-like table: one row per container per second. */
export const SAMPLES: TableSchema = {
  name: "containers",
  columns: [
    { name: "time", type: "timestamp_ms", nullable: false },
    { name: "container_id", type: "string", nullable: false },
    { name: "cpu_usage_millicores", type: "decimal", scale: 1, nullable: true },
    { name: "memory_usage_bytes", type: "int64", nullable: true },
    { name: "memory_pss_bytes", type: "int64", nullable: true },
  ],
};

/**
 * Rows of {@linkcode SAMPLES} for seconds `[fromS, toS)` after `baseMs`, `containers` rows per
 * second. `memory_usage_bytes` encodes (second, container) so every row is unique; PSS is sampled
 * every 10 s and null in between.
 */
export function samples(
  fromS: number,
  toS: number,
  containers = 3,
  baseMs = 1_735_689_600_000,
): { columns: Record<string, CellValue[]>; rows: number } {
  const cols: Record<string, (number | string | null)[]> = {
    time: [],
    container_id: [],
    cpu_usage_millicores: [],
    memory_usage_bytes: [],
    memory_pss_bytes: [],
  };
  for (let s = fromS; s < toS; s++) {
    for (let c = 0; c < containers; c++) {
      cols.time.push(baseMs + s * 1000);
      cols.container_id.push(`c${c}`);
      cols.cpu_usage_millicores.push(
        c === 1 && s % 7 === 0 ? null : ((s * 31 + c * 7) % 1000) / 10,
      );
      cols.memory_usage_bytes.push((s * 100 + c) * 4096);
      cols.memory_pss_bytes.push(s % 10 === 0 ? (s * 100 + c) * 1024 : null);
    }
  }
  return { columns: cols, rows: (toS - fromS) * containers };
}
