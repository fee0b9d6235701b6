/**
 * Bytes per stored value of fgm's Parquet tables under different storage choices.
 *
 * ```sh
 * npx deno run -A bench/parquet_size.ts            # 50 containers × 5 processes × 3600 s
 * npx deno run -A bench/parquet_size.ts --seconds=600
 * ```
 *
 * Generates a realistic recording (bench/synthetic_recording.ts), encodes it in memory with
 * `encodeTable()` under each variant and prints a Markdown table: file bytes / (rows × columns),
 * per table and for both tables together, plus encode time. The results and the chosen defaults
 * are in bench/README_parquet.md. Not a unit test: it takes a few minutes.
 *
 * @module
 */

import {
  type EncodeOptions,
  encodeTable,
  type EncodingChoice,
} from "../collector/parquet/write.ts";
import type { Codec } from "../collector/parquet/codecs.ts";
import type { ColumnType, TableSchema } from "../collector/parquet/schema.ts";
import { parquetMetadata } from "hyparquet";
import {
  contract1Tables,
  contract2Tables,
  generateRecording,
  type StoredTable,
} from "./synthetic_recording.ts";

const args = Object.fromEntries(
  Deno.args.filter((a) => a.startsWith("--")).map((a) => {
    const [k, v] = a.slice(2).split("=");
    return [k, v ?? "true"];
  }),
);
const SECONDS = Number(args.seconds ?? 3600);
const CONTAINERS = Number(args.containers ?? 50);
const PROCS = Number(args.processes ?? 5);

/** Both tables of a recording as one contract stores them. */
interface Stored {
  containers: StoredTable;
  processes: StoredTable;
}

/** One storage variant. */
interface Variant {
  label: string;
  options?: EncodeOptions;
  /** Seconds per file (default: the whole recording in one file). */
  spanSeconds?: number;
  /** Reorder rows inside each file: by entity, then time. */
  entityMajor?: boolean;
  /** The tables (default: the recording as data contract 2 stores it). */
  tables?: Stored;
}

/**
 * A contract-2 table with some columns stored another way: `type` replaces the column's type and
 * `map` its values (the alternatives contract 2 was chosen against).
 */
function restyled(
  t: StoredTable,
  pick: (name: string) => boolean,
  type: ColumnType,
  map: (v: number) => number,
): StoredTable {
  const columns: StoredTable["columns"] = { ...t.columns };
  const schema: TableSchema = {
    ...t.schema,
    columns: t.schema.columns.map((c) => (pick(c.name) ? { ...c, type } : c)),
  };
  for (const c of t.schema.columns) {
    if (pick(c.name)) {
      columns[c.name] = t.columns[c.name].map((v) => (typeof v === "number" ? map(v) : v));
    }
  }
  return { schema, rows: t.rows, columns };
}

function slice(
  table: StoredTable,
  start: number,
  end: number,
  entityMajor: boolean,
): StoredTable {
  const columns: StoredTable["columns"] = {};
  let order: number[] | null = null;
  if (entityMajor) {
    const key = table.columns.pid ?? table.columns.container_id;
    order = Array.from({ length: end - start }, (_, i) => start + i);
    // stable sort by entity key; rows of one entity stay in time order
    order.sort((a, b) => (key[a]! < key[b]! ? -1 : key[a]! > key[b]! ? 1 : a - b));
  }
  for (const [name, values] of Object.entries(table.columns)) {
    columns[name] = order ? order.map((i) => values[i]) : values.slice(start, end);
  }
  return { schema: table.schema, rows: end - start, columns };
}

interface Measured {
  bytes: number;
  values: number;
  files: number;
  ms: number;
}

function measureTable(table: StoredTable, rowsPerSecond: number, variant: Variant): Measured {
  const styled = table;
  const schema = table.schema;
  const span = (variant.spanSeconds ?? SECONDS) * rowsPerSecond;
  let bytes = 0;
  let files = 0;
  let ms = 0;
  for (let start = 0; start < styled.rows; start += span) {
    const end = Math.min(styled.rows, start + span);
    const part = slice(styled, start, end, variant.entityMajor ?? false);
    const t0 = performance.now();
    const encoded = encodeTable(schema, part.columns, part.rows, variant.options);
    ms += performance.now() - t0;
    bytes += encoded.byteLength;
    files++;
  }
  return { bytes, values: styled.rows * schema.columns.length, files, ms };
}

function fmt(n: number, digits = 3): string {
  return n.toFixed(digits);
}

const header =
  "| variant | containers B/value | processes B/value | both B/value | files | total bytes | encode ms |";
const rule = "|---|---:|---:|---:|---:|---:|---:|";

function run(variant: Variant, stored: Stored): string {
  const rec = variant.tables ?? stored;
  const c = measureTable(rec.containers, CONTAINERS, variant);
  const p = measureTable(rec.processes, CONTAINERS * PROCS, variant);
  const line = `| ${variant.label} | ${fmt(c.bytes / c.values)} | ${fmt(p.bytes / p.values)} | ${
    fmt((c.bytes + p.bytes) / (c.values + p.values))
  } | ${c.files + p.files} | ${c.bytes + p.bytes} | ${Math.round(c.ms + p.ms)} |`;
  console.log(line);
  return line;
}

/** Per-column compressed bytes per value of one encoded table (where the bytes go). */
function perColumn(table: StoredTable, options?: EncodeOptions): string[] {
  const styled = table;
  const schema = table.schema;
  const bytes = encodeTable(schema, styled.columns, styled.rows, options);
  const meta = parquetMetadata(bytes.slice().buffer);
  const sizes = new Map<string, number>();
  const encodings = new Map<string, Set<string>>();
  for (const rg of meta.row_groups) {
    for (const col of rg.columns) {
      const name = col.meta_data!.path_in_schema[0];
      sizes.set(name, (sizes.get(name) ?? 0) + Number(col.meta_data!.total_compressed_size));
      const set = encodings.get(name) ?? new Set();
      for (const e of col.meta_data!.encoding_stats ?? []) {
        if (e.page_type !== "DICTIONARY_PAGE") set.add(e.encoding);
      }
      encodings.set(name, set);
    }
  }
  const lines = [
    `| ${schema.name} column | type | B/value | encodings used |`,
    "|---|---|---:|---|",
  ];
  for (const col of schema.columns) {
    const type = col.type === "decimal" ? `decimal(${col.precision ?? 9},${col.scale})` : col.type;
    lines.push(
      `| ${col.name} | ${type} | ${fmt((sizes.get(col.name) ?? 0) / styled.rows)} | ${
        [...(encodings.get(col.name) ?? [])].join(", ")
      } |`,
    );
  }
  const footer = bytes.byteLength - [...sizes.values()].reduce((a, b) => a + b, 0);
  lines.push(`| (footer, indexes, magic) | | ${fmt(footer / styled.rows)} | |`);
  return lines;
}

const t0 = performance.now();
const recording = generateRecording({
  containers: CONTAINERS,
  processesPerContainer: PROCS,
  seconds: SECONDS,
});
const alignedRecording = generateRecording({
  containers: CONTAINERS,
  processesPerContainer: PROCS,
  seconds: SECONDS,
  alignedPss: true,
});
const v2: Stored = contract2Tables(recording);
const v1: Stored = contract1Tables(recording);
const aligned: Stored = contract2Tables(alignedRecording);
const both = (f: (t: StoredTable) => StoredTable): Stored => ({
  containers: f(v2.containers),
  processes: f(v2.processes),
});
console.log(
  `Recording: ${CONTAINERS} containers × ${PROCS} processes × ${SECONDS} s: ` +
    `${recording.containers.rows} container rows × ${v2.containers.schema.columns.length} columns, ` +
    `${recording.processes.rows} process rows × ${v2.processes.schema.columns.length} columns ` +
    `(generated in ${Math.round(performance.now() - t0)} ms)\n`,
);

const ints = (e: EncodingChoice): EncodeOptions["typeEncodings"] => ({
  timestamp_ms: e,
  int32: e,
  int64: e,
});
const codecs: [Codec, number | undefined, string][] = [
  ["UNCOMPRESSED", undefined, "UNCOMPRESSED"],
  ["SNAPPY", undefined, "SNAPPY"],
  ["GZIP", undefined, "GZIP (level 6)"],
  ["BROTLI", 5, "BROTLI (quality 5)"],
  ["BROTLI", undefined, "BROTLI (quality 11)"],
  ["ZSTD", 1, "ZSTD level 1"],
  ["ZSTD", undefined, "ZSTD level 3 (default)"],
  ["ZSTD", 9, "ZSTD level 9"],
  ["ZSTD", 19, "ZSTD level 19"],
];

/** A contract-2 table with contract 1's 0.1-m millicores, stored as doubles. */
function millicoresAsDouble(t2: StoredTable, t1: StoredTable): StoredTable {
  const pick = (n: string) => n.endsWith("_millicores");
  return {
    schema: {
      ...t2.schema,
      columns: t2.schema.columns.map((c) => (pick(c.name) ? { ...c, type: "double" } : c)),
    },
    rows: t2.rows,
    columns: {
      ...t2.columns,
      ...Object.fromEntries(Object.entries(t1.columns).filter(([n]) => pick(n))),
    },
  };
}

const sections: { title: string; variants: Variant[] }[] = [
  {
    title:
      "Data contract 1 (DECIMAL columns, before 2026-12) and 2 (plain integers and doubles), " +
      "defaults, 1 h file",
    variants: [
      { label: "contract 1: 0.1 m, avg10 and seconds as DECIMAL", tables: v1 },
      { label: "contract 2: whole m and µs as integers, avg10 as double (default)" },
    ],
  },
  {
    title: "Codec (default encodings: PLAIN integers, dictionary strings; contract 2; 1 h file)",
    variants: codecs.map(([codec, level, label]) => ({ label, options: { codec, level } })),
  },
  {
    title: "Encoding of integers, timestamps and decimals (strings: dictionary), ZSTD 3",
    variants: [
      { label: "PLAIN (default)", options: {} },
      {
        label: "auto: dictionary if it halves, else PLAIN",
        options: { typeEncodings: ints("auto") },
      },
      { label: "dictionary everywhere", options: { typeEncodings: ints("dictionary") } },
      { label: "DELTA_BINARY_PACKED everywhere", options: { typeEncodings: ints("delta") } },
      {
        label: "adaptive: dictionary if few distinct, else delta",
        options: { typeEncodings: ints("adaptive") },
      },
      {
        label: "PLAIN, timestamps DELTA_BINARY_PACKED",
        options: { typeEncodings: { timestamp_ms: "delta" } },
      },
      {
        label: "BYTE_STREAM_SPLIT everywhere (DuckDB 1.5 cannot read it: rejected)",
        options: { typeEncodings: ints("byte_stream_split") },
      },
    ],
  },
  {
    title: "The same encodings with SNAPPY",
    variants: [
      { label: "PLAIN + SNAPPY", options: { codec: "SNAPPY" } },
      { label: "auto + SNAPPY", options: { codec: "SNAPPY", typeEncodings: ints("auto") } },
      { label: "delta + SNAPPY", options: { codec: "SNAPPY", typeEncodings: ints("delta") } },
      { label: "adaptive + SNAPPY", options: { codec: "SNAPPY", typeEncodings: ints("adaptive") } },
    ],
  },
  {
    title: "Encoding of strings (ZSTD 3)",
    variants: [
      { label: "dictionary (default)", options: {} },
      {
        label: "auto: dictionary if it halves, else PLAIN",
        options: { typeEncodings: { string: "auto" } },
      },
      { label: "PLAIN", options: { typeEncodings: { string: "plain" } } },
    ],
  },
  {
    title: "Millicores, pressure and stall time: representation and precision (ZSTD 3)",
    variants: [
      { label: "contract 2 (default)" },
      {
        label: "µs columns as int32 (at most 2 147 s per interval)",
        tables: both((t) => restyled(t, (n) => n.endsWith("_usec"), "int32", (v) => v)),
      },
      {
        label: "avg10 as int32 hundredths of a percent",
        tables: both((t) =>
          restyled(t, (n) => n.endsWith("_avg10"), "int32", (v) => Math.round(v * 100))
        ),
      },
      {
        label: "avg10 as float",
        tables: both((t) => restyled(t, (n) => n.endsWith("_avg10"), "float", (v) => v)),
      },
      {
        label: "millicores as double, 0.1 m (contract 1's precision)",
        tables: {
          containers: millicoresAsDouble(v2.containers, v1.containers),
          processes: millicoresAsDouble(v2.processes, v1.processes),
        },
      },
    ],
  },
  {
    title: "Row group size (1 h file)",
    variants: [10_000, 50_000, 100_000, 250_000, 1_000_000].map((n) => ({
      label: `${n} rows per row group`,
      options: { rowGroupRows: n },
    })),
  },
  {
    title: "Page size (1 h file)",
    variants: [64 << 10, 256 << 10, 1 << 20, 8 << 20].map((n) => ({
      label: `${n >> 10} KiB pages`,
      options: { pageBytes: n },
    })),
  },
  {
    title: "File span (sum of all files)",
    variants: [
      { label: "10 s segments", spanSeconds: 10 },
      { label: "10 s segments, SNAPPY", spanSeconds: 10, options: { codec: "SNAPPY" } },
      { label: "10 s segments, no statistics", spanSeconds: 10, options: { statistics: false } },
      { label: "60 s segments", spanSeconds: 60 },
      { label: "5 min files", spanSeconds: 300 },
      { label: "1 h files", spanSeconds: 3600 },
      { label: "1 h files, ZSTD 9", spanSeconds: 3600, options: { level: 9 } },
    ],
  },
  {
    title: "Row order and PSS phase (1 h file)",
    variants: [
      { label: "time order, PSS phase spread over 10 s (default)" },
      { label: "time order, PSS sampled in the same second", tables: aligned },
      { label: "entity then time inside the file", entityMajor: true },
      {
        label: "entity then time, PSS same second",
        entityMajor: true,
        tables: aligned,
      },
      {
        label: "entity then time, adaptive encodings",
        entityMajor: true,
        options: { typeEncodings: ints("adaptive") },
      },
    ],
  },
];

for (const section of sections) {
  console.log(`### ${section.title}\n`);
  console.log(header);
  console.log(rule);
  for (const variant of section.variants) run(variant, v2);
  console.log();
}

if (args.columns !== "false") {
  console.log("### Where the bytes go (defaults, 1 h file)\n");
  for (const line of perColumn(v2.containers)) console.log(line);
  console.log();
  for (const line of perColumn(v2.processes)) console.log(line);
  console.log();
}
