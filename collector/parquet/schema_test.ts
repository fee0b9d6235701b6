import assert from "node:assert/strict";
import { findColumn, type TableSchema, validateSchema } from "./schema.ts";

const ok: TableSchema = {
  name: "containers",
  columns: [
    { name: "time", type: "timestamp_ms", nullable: false },
    { name: "cpu_usage_millicores", type: "decimal", scale: 1, nullable: true },
    { name: "cpu_throttled_seconds", type: "decimal", scale: 6, precision: 18, nullable: true },
    { name: "memory_limit_bytes", type: "int64", nullable: true, description: "null: unlimited" },
  ],
};

Deno.test("REQ-STO-010: validateSchema() accepts a well-formed schema", () => {
  validateSchema(ok);
  assert.equal(findColumn(ok, "memory_limit_bytes")?.type, "int64");
  assert.equal(findColumn(ok, "nope"), undefined);
});

Deno.test("REQ-STO-010: validateSchema() rejects bad names, duplicates, unknown types and misplaced scales", () => {
  const bad = (columns: unknown[], name = "t") => () =>
    validateSchema({ name, columns } as TableSchema);
  const time = { name: "time", type: "timestamp_ms", nullable: false };
  assert.throws(bad([time], "Bad-Name"), /table name "Bad-Name": expected snake_case/);
  assert.throws(bad([]), /has no columns/);
  assert.throws(bad([{ ...time, name: "Time" }]), /column "Time".*snake_case/);
  assert.throws(bad([time, time]), /duplicate name/);
  assert.throws(bad([{ ...time, type: "uint8" }]), /unknown type "uint8"/);
  assert.throws(bad([{ ...time, nullable: undefined }]), /nullable must be true or false/);
  assert.throws(bad([{ ...time, type: "decimal", scale: 10 }]), /scale must be an integer in 0..9/);
  assert.throws(bad([{ ...time, type: "decimal", precision: 12 }]), /precision must be 9 or 18/);
  assert.throws(bad([{ ...time, type: "double", scale: 1 }]), /apply to decimals only/);
});
