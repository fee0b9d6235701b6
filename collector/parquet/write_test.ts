import assert from "node:assert/strict";
import { parquetMetadata } from "hyparquet";
import {
  chooseAdaptiveEncoding,
  DEFAULT_ENCODINGS,
  encodeTable,
  parquetSchemaOf,
  writeTableFile,
} from "./write.ts";
import { readTableFile } from "./read.ts";
import type { TableSchema } from "./schema.ts";
import { ALL_TYPES, allTypesColumns } from "./testing_tables.ts";
import { queryParquet, sqlString } from "../../tests/support/duckdb.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "fgm_parquet_write_" });
}

Deno.test("REQ-STO-001: encodeTable() round-trips every column type and null through hyparquet", async () => {
  const dir = await tempDir();
  try {
    const rows = 1000;
    const columns = allTypesColumns(rows);
    const path = `${dir}/t.parquet`;
    await Deno.writeFile(path, encodeTable(ALL_TYPES, columns, rows, { rowGroupRows: 300 }));
    const back = await readTableFile(path);
    assert.equal(back.rowCount, rows);
    assert.deepEqual(back.schema, ALL_TYPES);
    for (const c of ALL_TYPES.columns) {
      assert.deepEqual(back.columns[c.name], Array.from(columns[c.name]), c.name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-001: DuckDB reads the same values, types and nulls", async () => {
  const dir = await tempDir();
  try {
    const rows = 600;
    const columns = allTypesColumns(rows);
    const path = `${dir}/t.parquet`;
    await writeTableFile(path, ALL_TYPES, columns, rows, { rowGroupRows: 250 });
    const types = await queryParquet(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${
        sqlString(path)
      }))`,
    );
    assert.deepEqual(Object.fromEntries(types.map((r) => [r.column_name, r.column_type])), {
      time: "TIMESTAMP WITH TIME ZONE",
      id: "VARCHAR",
      label: "VARCHAR",
      count_i32: "INTEGER",
      bytes_i64: "BIGINT",
      ratio_f64: "DOUBLE",
      ratio_f32: "FLOAT",
      cpu_millicores: "DECIMAL(9,1)",
      pressure_avg10: "DECIMAL(9,2)",
      throttled_seconds: "DECIMAL(18,6)",
      flag: "BOOLEAN",
      limit_bytes: "BIGINT",
    });
    const got = await queryParquet(
      `SELECT epoch_ms(time) AS time, id, label, count_i32, CAST(bytes_i64 AS VARCHAR) AS bytes_i64,
         ratio_f64, ratio_f32, CAST(cpu_millicores AS VARCHAR) AS cpu_millicores,
         CAST(pressure_avg10 AS VARCHAR) AS pressure_avg10,
         CAST(throttled_seconds AS VARCHAR) AS throttled_seconds, flag,
         CAST(limit_bytes AS VARCHAR) AS limit_bytes
       FROM read_parquet(${sqlString(path)}, file_row_number = true)
       ORDER BY file_row_number`,
    );
    assert.equal(got.length, rows);
    const dec = (v: unknown, scale: number) => v === null ? null : (v as number).toFixed(scale);
    for (let i = 0; i < rows; i++) {
      const expected = {
        time: BigInt(columns.time[i] as number),
        id: columns.id[i],
        label: columns.label[i],
        count_i32: columns.count_i32[i],
        bytes_i64: columns.bytes_i64[i] === null ? null : String(columns.bytes_i64[i]),
        ratio_f64: columns.ratio_f64[i],
        ratio_f32: columns.ratio_f32[i],
        cpu_millicores: dec(columns.cpu_millicores[i], 1),
        pressure_avg10: dec(columns.pressure_avg10[i], 2),
        throttled_seconds: dec(columns.throttled_seconds[i], 6),
        flag: columns.flag[i],
        limit_bytes: columns.limit_bytes[i] === null ? null : String(columns.limit_bytes[i]),
      };
      assert.deepEqual(got[i], expected, `row ${i}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-001: typed arrays and masked columns encode like plain arrays", async () => {
  const schema: TableSchema = {
    name: "m",
    columns: [
      { name: "time", type: "timestamp_ms", nullable: false },
      { name: "memory_usage_bytes", type: "int64", nullable: true },
      { name: "cpu_usage_millicores", type: "decimal", scale: 1, nullable: true },
      { name: "pids", type: "int32", nullable: false },
    ],
  };
  const time = new Float64Array([1000, 2000, 3000, 4000]);
  const memory = { values: new Float64Array([4096, 0, 2 ** 40, 8192]), nulls: [0, 1, 0, 0] };
  const cpu = {
    values: new Float64Array([0.1, 2.3, 0, 999.9]),
    nulls: new Uint8Array([0, 0, 1, 0]),
  };
  const pids = new Int32Array([1, 2, 3, 4]);
  const masked = encodeTable(schema, {
    time,
    memory_usage_bytes: memory,
    cpu_usage_millicores: cpu,
    pids,
  }, 4);
  const plain = encodeTable(schema, {
    time: [1000, 2000, 3000, 4000],
    memory_usage_bytes: [4096, null, 2 ** 40, 8192],
    cpu_usage_millicores: [0.1, 2.3, null, 999.9],
    pids: [1, 2, 3, 4],
  }, 4);
  assert.deepEqual(masked, plain);
  const dir = await tempDir();
  try {
    await Deno.writeFile(`${dir}/m.parquet`, masked);
    const back = await readTableFile(`${dir}/m.parquet`);
    assert.deepEqual(back.columns.memory_usage_bytes, [4096, null, 2 ** 40, 8192]);
    assert.deepEqual(back.columns.cpu_usage_millicores, [0.1, 2.3, null, 999.9]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-002: nulls are Parquet nulls (definition levels), not sentinel values", async () => {
  const schema: TableSchema = {
    name: "n",
    columns: [
      { name: "time", type: "timestamp_ms", nullable: false },
      { name: "memory_limit_bytes", type: "int64", nullable: true },
      { name: "memory_pss_bytes", type: "int64", nullable: true },
    ],
  };
  const bytes = encodeTable(schema, {
    time: [1, 2, 3, 4],
    memory_limit_bytes: [null, null, 100, null],
    memory_pss_bytes: [null, null, null, null],
  }, 4);
  const meta = parquetMetadata(bytes.slice().buffer);
  assert.equal(meta.schema[2].repetition_type, "OPTIONAL");
  assert.equal(meta.schema[1].repetition_type, "REQUIRED");
  const stats = meta.row_groups[0].columns[1].meta_data?.statistics;
  assert.equal(stats?.null_count, 3n);
  assert.equal(meta.row_groups[0].columns[2].meta_data?.statistics?.null_count, 4n);
  const dir = await tempDir();
  try {
    await Deno.writeFile(`${dir}/n.parquet`, bytes);
    const rows = await queryParquet(
      `SELECT count(memory_limit_bytes) AS limits, count(memory_pss_bytes) AS pss,
         count(*) FILTER (WHERE memory_limit_bytes IS NULL) AS null_limits
       FROM read_parquet(${sqlString(`${dir}/n.parquet`)})`,
    );
    assert.deepEqual(rows, [{ limits: 1n, pss: 0n, null_limits: 3n }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-002: encodeTable() rejects nulls in non-nullable columns and wrong types", () => {
  const schema: TableSchema = {
    name: "t",
    columns: [
      { name: "time", type: "timestamp_ms", nullable: false },
      { name: "pids", type: "int32", nullable: true },
    ],
  };
  assert.throws(
    () => encodeTable(schema, { time: [1, null], pids: [1, 2] }, 2),
    /column "time" row 1: null in a non-nullable column/,
  );
  assert.throws(
    () => encodeTable(schema, { time: [1, 2], pids: [1.5, 2] }, 2),
    /column "pids" row 0: expected an int32/,
  );
  assert.throws(
    () => encodeTable(schema, { time: [1, 2], pids: [2 ** 31, 2] }, 2),
    /expected an int32/,
  );
  assert.throws(() => encodeTable(schema, { time: [1, 2] }, 2), /column "pids" is missing/);
  assert.throws(
    () => encodeTable(schema, { time: [1], pids: [1] }, 2),
    /column "time" has 1 rows, expected 2/,
  );
  assert.throws(
    () =>
      encodeTable(
        { name: "d", columns: [{ name: "x", type: "decimal", scale: 1, nullable: false }] },
        { x: [1e9] },
        1,
      ),
    /does not fit the decimal's precision/,
  );
});

Deno.test("REQ-STO-003: default encodings: PLAIN numbers, dictionary strings, ZSTD pages", () => {
  const rows = 2000;
  const columns = allTypesColumns(rows);
  const meta = parquetMetadata(encodeTable(ALL_TYPES, columns, rows).slice().buffer);
  const byName = new Map(
    meta.row_groups[0].columns.map((c) => [c.meta_data!.path_in_schema[0], c.meta_data!]),
  );
  for (const c of ALL_TYPES.columns) {
    const md = byName.get(c.name)!;
    assert.equal(md.codec, "ZSTD", c.name);
    const dataEncodings = md.encoding_stats!.filter((e) => e.page_type !== "DICTIONARY_PAGE")
      .map((e) => e.encoding);
    const expected = c.type === "string"
      ? "RLE_DICTIONARY"
      : c.type === "bool"
      ? "RLE"
      : c.type === "double" || c.type === "float"
      ? chooseAdaptiveEncoding(c.type, columns[c.name] as number[])
      : "PLAIN";
    assert.deepEqual(dataEncodings, [expected], c.name);
  }
  assert.equal(DEFAULT_ENCODINGS.int64, "plain");
});

Deno.test("REQ-STO-003: every encoding and codec option is readable by hyparquet and DuckDB", async () => {
  const dir = await tempDir();
  try {
    const rows = 400;
    const columns = allTypesColumns(rows);
    const variants = [
      { codec: "SNAPPY" as const },
      { codec: "UNCOMPRESSED" as const },
      { codec: "GZIP" as const },
      { codec: "BROTLI" as const, level: 4 },
      { codec: "ZSTD" as const, level: 9 },
      { typeEncodings: { int64: "delta", int32: "delta", timestamp_ms: "delta" } as const },
      {
        typeEncodings: {
          int64: "dictionary",
          decimal: "dictionary",
          double: "dictionary",
        } as const,
      },
      {
        typeEncodings: {
          int64: "adaptive",
          decimal: "adaptive",
          double: "byte_stream_split",
        } as const,
      },
      { typeEncodings: { string: "plain", float: "plain", double: "plain" } as const },
      { typeEncodings: { int64: "auto", string: "auto" } as const },
    ];
    for (const [i, options] of variants.entries()) {
      const path = `${dir}/v${i}.parquet`;
      await writeTableFile(path, ALL_TYPES, columns, rows, { ...options, rowGroupRows: 150 });
      const back = await readTableFile(path);
      for (const c of ALL_TYPES.columns) {
        assert.deepEqual(back.columns[c.name], Array.from(columns[c.name]), `${i} ${c.name}`);
      }
      const [sums] = await queryParquet(
        `SELECT count(*) AS n, count(label) AS labels, sum(bytes_i64) AS b,
           CAST(sum(cpu_millicores) AS VARCHAR) AS cpu FROM read_parquet(${sqlString(path)})`,
      );
      const expectedB = (columns.bytes_i64 as (number | null)[]).reduce(
        (a: bigint, v) => v === null ? a : a + BigInt(v),
        0n,
      );
      const expectedCpu = (columns.cpu_millicores as (number | null)[]).reduce(
        (a: number, v) => v === null ? a : a + Math.round(v * 10),
        0,
      );
      assert.equal(sums.n, BigInt(rows), JSON.stringify(options));
      assert.equal(
        sums.labels,
        BigInt(
          columns.label.length -
            (columns.label as unknown[]).filter((v) => v === null).length,
        ),
      );
      assert.equal(sums.b, expectedB);
      assert.equal(sums.cpu, (expectedCpu / 10).toFixed(1));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-004: writeTableFile() leaves only the final file and stores the schema", async () => {
  const dir = await tempDir();
  try {
    const rows = 50;
    const schema: TableSchema = {
      ...ALL_TYPES,
      columns: ALL_TYPES.columns.map((c) => ({
        ...c,
        description: `the ${c.name}`,
        source: "cpu.stat usage_usec",
      })),
    };
    const result = await writeTableFile(`${dir}/seg.parquet`, schema, allTypesColumns(rows), rows, {
      metadata: { "fgm.node": "node-a" },
    });
    assert.equal(result.rows, rows);
    assert.equal(result.bytes, (await Deno.stat(`${dir}/seg.parquet`)).size);
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
    assert.deepEqual(names, ["seg.parquet"]);
    const back = await readTableFile(`${dir}/seg.parquet`);
    assert.deepEqual(back.schema, schema);
    assert.deepEqual(back.metadata, { "fgm.node": "node-a" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("REQ-STO-004: a file with zero rows is valid", async () => {
  const dir = await tempDir();
  try {
    await writeTableFile(`${dir}/empty.parquet`, ALL_TYPES, allTypesColumns(0), 0);
    const back = await readTableFile(`${dir}/empty.parquet`);
    assert.equal(back.rowCount, 0);
    const [r] = await queryParquet(
      `SELECT count(*) AS n FROM read_parquet(${sqlString(`${dir}/empty.parquet`)})`,
    );
    assert.equal(r.n, 0n);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parquetSchemaOf() maps types to Parquet physical and logical types", () => {
  const elements = parquetSchemaOf(ALL_TYPES);
  assert.equal(elements[0].num_children, ALL_TYPES.columns.length);
  const time = elements[1];
  assert.equal(time.type, "INT64");
  assert.deepEqual(time.logical_type, { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" });
  const millicores = elements.find((e) => e.name === "cpu_millicores")!;
  assert.equal(millicores.type, "INT32");
  assert.equal(millicores.scale, 1);
  const seconds = elements.find((e) => e.name === "throttled_seconds")!;
  assert.equal(seconds.type, "INT64");
  assert.equal(seconds.precision, 18);
});

Deno.test("chooseAdaptiveEncoding() picks dictionary for few distinct values, else delta or split", () => {
  assert.equal(chooseAdaptiveEncoding("int64", Array(100).fill(5n)), "RLE_DICTIONARY");
  assert.equal(
    chooseAdaptiveEncoding("int64", Array.from({ length: 100 }, (_, i) => BigInt(i))),
    "DELTA_BINARY_PACKED",
  );
  assert.equal(
    chooseAdaptiveEncoding("double", Array.from({ length: 100 }, (_, i) => i / 3)),
    "BYTE_STREAM_SPLIT",
  );
  assert.equal(chooseAdaptiveEncoding("double", [null, null]), "PLAIN");
});

Deno.test("REQ-STO-011: encodeTable() writes statistics only for the columns asked", () => {
  const columns = allTypesColumns(50);
  const meta = (statistics: boolean | string[]) =>
    parquetMetadata(encodeTable(ALL_TYPES, columns, 50, { statistics }).buffer as ArrayBuffer);
  const withStats = (m: ReturnType<typeof meta>) =>
    m.row_groups[0].columns
      .filter((c) => c.meta_data?.statistics !== undefined)
      .map((c) => c.meta_data!.path_in_schema.join("."));
  const names = ALL_TYPES.columns.map((c) => c.name);
  assert.deepEqual(withStats(meta(true)), names);
  assert.deepEqual(withStats(meta(false)), []);
  assert.deepEqual(withStats(meta(["time"])), ["time"]);
});

Deno.test("REQ-STO-003: encodeTable() refuses a codec it has no compressor for", () => {
  const columns = allTypesColumns(10);
  assert.throws(
    () => encodeTable(ALL_TYPES, columns, 10, { codec: "LZ4" as never }),
    /no compressor for LZ4/,
  );
});
