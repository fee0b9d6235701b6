import assert from "node:assert/strict";
import { type ColumnChunk, parquetMetadata, parquetReadObjects } from "hyparquet";
import { ByteWriter, parquetWriteBuffer } from "hyparquet-writer";
import { compressorsFor, DECOMPRESSORS } from "./codecs.ts";
import { writeNumericChunk } from "./numeric_chunk.ts";
import type { ColumnSpec, TableSchema } from "./schema.ts";
import { type EncodeOptions, encodeTable, parquetSchemaOf, physicalValues } from "./write.ts";
import { queryParquet, sqlString } from "../../tests/support/duckdb.ts";

/** Every numeric type, nullable and not, with values at the edges of what each holds. */
const EDGES: TableSchema = {
  name: "edges",
  columns: [
    { name: "t", type: "timestamp_ms", nullable: false },
    { name: "i32", type: "int32", nullable: true },
    { name: "i32_req", type: "int32", nullable: false },
    { name: "i64", type: "int64", nullable: true },
    { name: "i64_req", type: "int64", nullable: false },
    { name: "f64", type: "double", nullable: true },
    { name: "f32", type: "float", nullable: true },
    { name: "d9", type: "decimal", scale: 1, nullable: true },
    { name: "d18", type: "decimal", scale: 6, precision: 18, nullable: true },
    { name: "all_null", type: "int64", nullable: true },
  ],
};

function edgeColumns(rows: number): Record<string, (number | null)[]> {
  const i64 = [
    0,
    -1,
    1,
    2 ** 32,
    -(2 ** 32),
    2 ** 32 - 1,
    -(2 ** 31) - 1,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
  ];
  const f64 = [0, -0, 1.5, -2.25, 1e308, -1e-308, Number.NaN, Infinity, -Infinity, 0.1];
  const cols: Record<string, (number | null)[]> = {};
  for (const c of EDGES.columns) cols[c.name] = [];
  for (let i = 0; i < rows; i++) {
    const nul = (k: number) => (i * 7 + k) % 5 === 0;
    cols.t.push(1_735_689_600_000 + i * 1000);
    cols.i32.push(nul(1) ? null : i % 3 === 0 ? -2147483648 : i % 3 === 1 ? 2147483647 : i - 50);
    cols.i32_req.push(i % 4);
    cols.i64.push(nul(2) ? null : i64[i % i64.length]);
    cols.i64_req.push(i64[(i * 5) % i64.length]);
    cols.f64.push(nul(3) ? null : f64[i % f64.length]);
    cols.f32.push(nul(4) ? null : Math.fround(f64[(i + 3) % f64.length] / 3));
    cols.d9.push(nul(0) ? null : i % 2 === 0 ? -99_999_999.9 : Math.round(i * 13.7) / 10);
    cols.d18.push(nul(1) ? null : i % 3 === 0 ? 123_456_789.123456 : -0.000001 * i);
    cols.all_null.push(null);
  }
  return cols;
}

/** The same table through hyparquet-writer's own column path (what fgm wrote before). */
function encodeWithLibrary(
  schema: TableSchema,
  columns: Record<string, (number | null)[]>,
  rows: number,
  encoding: "PLAIN" | "RLE_DICTIONARY" | "BYTE_STREAM_SPLIT",
): ArrayBuffer {
  return parquetWriteBuffer({
    schema: parquetSchemaOf(schema),
    codec: "ZSTD",
    compressors: compressorsFor("ZSTD"),
    columnData: schema.columns.map((c) => ({
      name: c.name,
      data: physicalValues(c, columns[c.name], 0, rows),
      encoding: encoding === "BYTE_STREAM_SPLIT" && !isFloat(c) ? "PLAIN" : encoding,
    })),
    rowGroupSize: rows,
  });
}

function isFloat(c: ColumnSpec): boolean {
  return c.type === "double" || c.type === "float";
}

function chunksByName(buffer: ArrayBuffer): Map<string, ColumnChunk> {
  const meta = parquetMetadata(buffer);
  return new Map(meta.row_groups[0].columns.map((c) => [c.meta_data!.path_in_schema[0], c]));
}

const ENCODINGS = [
  ["PLAIN", { typeEncodings: {} }],
  [
    "RLE_DICTIONARY",
    {
      typeEncodings: {
        timestamp_ms: "dictionary",
        int32: "dictionary",
        int64: "dictionary",
        decimal: "dictionary",
        double: "dictionary",
        float: "dictionary",
      },
    },
  ],
  ["BYTE_STREAM_SPLIT", {
    typeEncodings: { double: "byte_stream_split", float: "byte_stream_split" },
  }],
] as const satisfies readonly (readonly [string, EncodeOptions])[];

for (const [encoding, options] of ENCODINGS) {
  Deno.test(`REQ-STO-003: writeNumericChunk() writes ${encoding} chunks hyparquet-writer's way: same values, statistics, encodings`, async () => {
    const rows = 997;
    const columns = edgeColumns(rows);
    const ours = encodeTable(EDGES, columns, rows, {
      ...options,
      typeEncodings: { double: "plain", float: "plain", ...options.typeEncodings },
    });
    const theirs = encodeWithLibrary(EDGES, columns, rows, encoding);
    const [a, b] = await Promise.all([
      parquetReadObjects({ file: ours.slice().buffer, compressors: DECOMPRESSORS }),
      parquetReadObjects({ file: theirs, compressors: DECOMPRESSORS }),
    ]);
    assert.equal(a.length, rows);
    // NaN and -0 compare as themselves: Object.is through deepEqual's SameValue on numbers.
    assert.deepEqual(a, b);
    // Every column went through writeNumericChunk(), none fell back to the library's path.
    const elements = parquetSchemaOf(EDGES);
    EDGES.columns.forEach((c, i) => {
      const chunkEncoding = encoding === "BYTE_STREAM_SPLIT" && !isFloat(c) ? "PLAIN" : encoding;
      const written = writeNumericChunk(
        new ByteWriter(),
        c,
        elements[i + 1],
        { values: columns[c.name] },
        0,
        rows,
        chunkEncoding,
        {
          codec: "ZSTD",
          compressors: compressorsFor("ZSTD"),
          statistics: true,
          pageBytes: 1 << 20,
        },
      );
      assert.ok(written !== null, c.name);
    });
    const mine = chunksByName(ours.slice().buffer);
    const lib = chunksByName(theirs);
    for (const c of EDGES.columns) {
      const m = mine.get(c.name)!.meta_data!;
      const l = lib.get(c.name)!.meta_data!;
      assert.deepEqual(m.statistics, l.statistics, `${c.name} statistics`);
      if (c.name === "all_null" && encoding === "RLE_DICTIONARY") {
        // No value, no dictionary: hyparquet-writer writes an empty one.
        assert.deepEqual(m.encodings, ["PLAIN"]);
      } else {
        assert.deepEqual(m.encodings, l.encodings, `${c.name} encodings`);
        assert.deepEqual(m.encoding_stats, l.encoding_stats, `${c.name} encoding stats`);
      }
      assert.equal(m.num_values, l.num_values, c.name);
      assert.equal(m.type, l.type, c.name);
    }
  });
}

Deno.test("REQ-STO-003: DuckDB reads numeric chunks of every encoding, across many pages", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_numeric_chunk_" });
  try {
    const rows = 1500;
    const columns = edgeColumns(rows);
    for (const [encoding, options] of ENCODINGS) {
      // 256-byte pages: a chunk of 1 500 rows spans 24–47 pages and gets an offset index.
      const bytes = encodeTable(EDGES, columns, rows, { ...options, pageBytes: 256 });
      const chunk = chunksByName(bytes.slice().buffer).get("i64")!;
      assert.ok(chunk.offset_index_offset !== undefined, `${encoding}: an offset index`);
      const path = `${dir}/${encoding}.parquet`;
      await Deno.writeFile(path, bytes);
      const back = await queryParquet(
        `SELECT epoch_ms(t) AS t, i32, i32_req, i64, i64_req, f64, f32,
           CAST(d9 AS VARCHAR) AS d9, CAST(d18 AS VARCHAR) AS d18, all_null
         FROM read_parquet(${sqlString(path)}) ORDER BY t`,
      );
      assert.equal(back.length, rows, encoding);
      const int = (v: number | null) => v === null ? null : BigInt(v);
      for (let i = 0; i < rows; i++) {
        const r = back[i];
        const at = `${encoding} row ${i}`;
        assert.equal(r.t, BigInt(columns.t[i]!), at);
        assert.equal(r.i32, columns.i32[i], at);
        assert.equal(r.i32_req, columns.i32_req[i], at);
        assert.equal(r.i64, int(columns.i64[i]), at);
        assert.equal(r.i64_req, int(columns.i64_req[i]), at);
        // DuckDB hands -0 over as 0; hyparquet keeps the sign (the test above).
        const same = (x: unknown, y: number | null) => x === y || Object.is(x, y);
        assert.ok(same(r.f64, columns.f64[i]), `${at}: ${r.f64} vs ${columns.f64[i]}`);
        assert.ok(same(r.f32, columns.f32[i]), `${at}: ${r.f32} vs ${columns.f32[i]}`);
        const d9 = columns.d9[i];
        assert.equal(r.d9, d9 === null ? null : d9.toFixed(1), at);
        const d18 = columns.d18[i];
        assert.equal(r.d18, d18 === null ? null : d18.toFixed(6), at);
        assert.equal(r.all_null, null, at);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeNumericChunk() writes nothing and returns null for a cell it does not take", () => {
  const [root, element] = parquetSchemaOf({
    name: "x",
    columns: [{ name: "x", type: "int64", nullable: false }],
  });
  assert.equal(root.name, "root");
  const column: ColumnSpec = { name: "x", type: "int64", nullable: false };
  const options = {
    codec: "ZSTD" as const,
    compressors: compressorsFor("ZSTD"),
    statistics: true,
    pageBytes: 1 << 20,
  };
  const cases: unknown[][] = [
    [1, 2 ** 53], // not a safe integer
    [1, 2n ** 60n], // a BigInt beyond 2^53
    [1, null], // a null in a required column
    [1, "2"], // not a number
    [1, 1.5], // not an integer
  ];
  for (const values of cases) {
    const writer = new ByteWriter();
    const result = writeNumericChunk(writer, column, element, { values }, 0, 2, "PLAIN", options);
    assert.equal(result, null, String(values[1]));
    assert.equal(writer.offset, 0, String(values[1]));
  }
  const writer = new ByteWriter();
  const ok = writeNumericChunk(
    writer,
    column,
    element,
    { values: [1n, -(2n ** 53n) + 1n] },
    0,
    2,
    "PLAIN",
    options,
  );
  assert.ok(ok !== null);
  assert.deepEqual(ok.chunk.meta_data!.statistics?.min_value, -(2n ** 53n) + 1n);
  // Strings and booleans are not numeric chunks.
  assert.equal(
    writeNumericChunk(
      new ByteWriter(),
      { name: "s", type: "string", nullable: false },
      element,
      { values: ["a"] },
      0,
      1,
      "PLAIN",
      options,
    ),
    null,
  );
});
