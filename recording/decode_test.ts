import assert from "node:assert/strict";
import { decodeChunk, type DecodedColumn, readHybrid, UnsupportedChunk } from "./decode.ts";
import { readFooter, readRange } from "./footer.ts";
import { type EncodeOptions, encodeTable } from "../collector/parquet/write.ts";
import { readTableFile } from "../collector/parquet/read.ts";
import { ALL_TYPES, allTypesColumns } from "../collector/parquet/testing_tables.ts";
import { queryParquet, sqlString } from "../tests/support/duckdb.ts";

/** Every chunk of every row group of `path` decoded, columns concatenated: value or null per row. */
async function decodeAll(path: string): Promise<Record<string, unknown[]>> {
  const file = await Deno.open(path);
  try {
    const { size } = await file.stat();
    const footer = readFooter(file, size, path);
    const out: Record<string, unknown[]> = {};
    for (const rg of footer.rowGroups) {
      for (const column of footer.schema.columns) {
        const loc = rg.chunks.get(column.name)!;
        let decoded: DecodedColumn;
        try {
          decoded = decodeChunk(readRange(file, loc.offset, loc.length), {
            type: loc.type,
            codec: loc.codec,
            optional: loc.optional,
            rows: rg.rows,
            scale: column.type === "decimal" ? column.scale : undefined,
          });
        } catch (error) {
          if (error instanceof UnsupportedChunk) {
            (out[column.name] ??= []).push(...new Array(rg.rows).fill("<unsupported>"));
            continue;
          }
          throw error;
        }
        const cells = out[column.name] ??= [];
        for (let i = 0; i < rg.rows; i++) {
          if (decoded.kind === "number") cells.push(decoded.nulls?.[i] ? null : decoded.values[i]);
          else cells.push(decoded.indices[i] < 0 ? null : decoded.dictionary[decoded.indices[i]]);
        }
      }
    }
    return out;
  } finally {
    file.close();
  }
}

const VARIANTS: [string, EncodeOptions][] = [
  ["defaults (ZSTD, PLAIN ints, dictionary strings, adaptive doubles)", {}],
  ["dictionary everywhere, SNAPPY, small pages and row groups", {
    codec: "SNAPPY",
    typeEncodings: {
      int32: "dictionary",
      int64: "dictionary",
      timestamp_ms: "dictionary",
      double: "dictionary",
      float: "dictionary",
      decimal: "dictionary",
    },
    pageBytes: 256,
    rowGroupRows: 37,
  }],
  ["PLAIN strings, BYTE_STREAM_SPLIT doubles, GZIP", {
    codec: "GZIP",
    typeEncodings: { string: "plain", double: "byte_stream_split", float: "byte_stream_split" },
  }],
  ["UNCOMPRESSED, no statistics", { codec: "UNCOMPRESSED", statistics: false }],
  ["BROTLI", { codec: "BROTLI", level: 1 }],
];

for (const [label, options] of VARIANTS) {
  Deno.test(`REQ-REC-002: decodeChunk() reads what hyparquet reads: ${label}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "fgm_decode_" });
    try {
      const path = `${dir}/t.parquet`;
      const rows = 301;
      await Deno.writeFile(path, encodeTable(ALL_TYPES, allTypesColumns(rows), rows, options));
      const mine = await decodeAll(path);
      const theirs = await readTableFile(path);
      for (const c of ALL_TYPES.columns) {
        if (c.type === "bool") {
          assert.ok(mine[c.name].every((v) => v === "<unsupported>"), "booleans are not taken");
          continue;
        }
        assert.deepEqual(mine[c.name], theirs.columns[c.name], `${label}: ${c.name}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("REQ-REC-002: decodeChunk() reads a file DuckDB wrote (data pages v1, its own dictionaries)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_decode_" });
  try {
    const path = `${dir}/duck.parquet`;
    await queryParquet(`COPY (
      SELECT i::INTEGER AS n, (i * 1000000007)::BIGINT AS big, i / 7 AS ratio,
             CASE WHEN i % 5 = 0 THEN NULL ELSE 'c' || (i % 4) END AS name,
             CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS sparse
      FROM range(5000) t(i)) TO ${sqlString(path)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    const mine = await decodeAll(path);
    const theirs = await readTableFile(path);
    for (const name of ["n", "big", "ratio", "name", "sparse"]) {
      assert.deepEqual(mine[name], theirs.columns[name], name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readHybrid() decodes RLE runs and bit-packed groups of any width", () => {
  // Bit-packed, width 3: one group of 8 values 0..7 = header (1 << 1) | 1, then 3 bytes.
  const packed = new Uint8Array([3, 0b10001000, 0b11000110, 0b11111010]);
  const out = new Int32Array(8);
  readHybrid(packed, 0, packed.length, 3, out, 8);
  assert.deepEqual([...out], [0, 1, 2, 3, 4, 5, 6, 7]);
  // RLE, width 12 (two bytes): 300 × 0xABC.
  const rle = new Uint8Array([0xd8, 0x04, 0xbc, 0x0a]);
  const many = new Int32Array(300);
  readHybrid(rle, 0, rle.length, 12, many, 300);
  assert.ok(many.every((v) => v === 0xabc));
  assert.throws(
    () => readHybrid(rle, 0, rle.length, 12, new Int32Array(301), 301),
    UnsupportedChunk,
  );
});
