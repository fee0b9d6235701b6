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
import type { TableSchema } from "../collector/parquet/schema.ts";
import { parquetMetadata } from "hyparquet";
import {
  containersSchema,
  generateRecording,
  type NumericStyle,
  processesSchema,
  RECOMMENDED_STYLE,
  type Recording,
  type TableColumns,
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

/** One storage variant. */
interface Variant {
  label: string;
  style?: NumericStyle;
  options?: EncodeOptions;
  /** Seconds per file (default: the whole recording in one file). */
  spanSeconds?: number;
  /** Reorder rows inside each file: by entity, then time. */
  entityMajor?: boolean;
  recording?: Recording;
}

/** Rounds the fractional columns the way a variant stores them, so all variants keep the same information. */
function applyStyle(table: TableColumns, schema: TableSchema, style: NumericStyle): TableColumns {
  const columns: TableColumns["columns"] = {};
  for (const col of schema.columns) {
    const src = table.columns[col.name];
    const isFraction = col.name.endsWith("_millicores") || col.name.endsWith("_avg10") ||
      col.name.endsWith("_seconds");
    if (!isFraction) {
      columns[col.name] = src;
      continue;
    }
    const digits = col.name.endsWith("_millicores")
      ? style.millicoreScale
      : col.name.endsWith("_avg10")
      ? 2
      : 6;
    const f = 10 ** digits;
    columns[col.name] = src.map((v) => {
      if (v === null || typeof v !== "number") return v;
      const r = Math.round(v * f) / f;
      return style.fractional === "float" ? Math.fround(r) : r;
    });
  }
  return { rows: table.rows, columns };
}

function slice(
  table: TableColumns,
  start: number,
  end: number,
  entityMajor: boolean,
): TableColumns {
  const columns: TableColumns["columns"] = {};
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
  return { rows: end - start, columns };
}

interface Measured {
  bytes: number;
  values: number;
  files: number;
  ms: number;
}

function measureTable(
  table: TableColumns,
  schema: TableSchema,
  rowsPerSecond: number,
  variant: Variant,
): Measured {
  const style = variant.style ?? RECOMMENDED_STYLE;
  const styled = applyStyle(table, schema, style);
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

function run(variant: Variant, recording: Recording): string {
  const style = variant.style ?? RECOMMENDED_STYLE;
  const rec = variant.recording ?? recording;
  const c = measureTable(rec.containers, containersSchema(style), CONTAINERS, variant);
  const p = measureTable(rec.processes, processesSchema(style), CONTAINERS * PROCS, variant);
  const line = `| ${variant.label} | ${fmt(c.bytes / c.values)} | ${fmt(p.bytes / p.values)} | ${
    fmt((c.bytes + p.bytes) / (c.values + p.values))
  } | ${c.files + p.files} | ${c.bytes + p.bytes} | ${Math.round(c.ms + p.ms)} |`;
  console.log(line);
  return line;
}

/** Per-column compressed bytes per value of one encoded table (where the bytes go). */
function perColumn(table: TableColumns, schema: TableSchema, options?: EncodeOptions): string[] {
  const styled = applyStyle(table, schema, RECOMMENDED_STYLE);
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
    const type = col.type === "decimal" ? `decimal(${col.scale})` : col.type;
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
console.log(
  `Recording: ${CONTAINERS} containers × ${PROCS} processes × ${SECONDS} s: ` +
    `${recording.containers.rows} container rows × 36 columns, ` +
    `${recording.processes.rows} process rows × 17 columns ` +
    `(generated in ${Math.round(performance.now() - t0)} ms)\n`,
);

const ints = (e: EncodingChoice): EncodeOptions["typeEncodings"] => ({
  timestamp_ms: e,
  int32: e,
  int64: e,
  decimal: e,
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

const sections: { title: string; variants: Variant[] }[] = [
  {
    title: "Codec (default encodings: PLAIN numbers, dictionary strings; decimal 0.1 m; 1 h file)",
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
    title: "Millicores, pressure and seconds: representation and precision (ZSTD 3)",
    variants: [
      {
        label: "double, 0.1 m, adaptive (dictionary or BYTE_STREAM_SPLIT)",
        style: { fractional: "double", millicoreScale: 1 },
      },
      {
        label: "double, 0.1 m, BYTE_STREAM_SPLIT",
        style: { fractional: "double", millicoreScale: 1 },
        options: { typeEncodings: { double: "byte_stream_split" } },
      },
      {
        label: "double, 0.1 m, PLAIN",
        style: { fractional: "double", millicoreScale: 1 },
        options: { typeEncodings: { double: "plain" } },
      },
      {
        label: "float, 0.1 m, BYTE_STREAM_SPLIT",
        style: { fractional: "float", millicoreScale: 1 },
        options: { typeEncodings: { float: "byte_stream_split" } },
      },
      { label: "decimal (scaled int), 1 m", style: { fractional: "decimal", millicoreScale: 0 } },
      { label: "decimal (scaled int), 0.1 m (default)", style: RECOMMENDED_STYLE },
      {
        label: "decimal (scaled int), 0.01 m",
        style: { fractional: "decimal", millicoreScale: 2 },
      },
      {
        label: "double, full precision (no rounding), adaptive",
        style: { fractional: "double", millicoreScale: 12 },
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
      { label: "time order, PSS sampled in the same second", recording: alignedRecording },
      { label: "entity then time inside the file", entityMajor: true },
      {
        label: "entity then time, PSS same second",
        entityMajor: true,
        recording: alignedRecording,
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
  for (const variant of section.variants) run(variant, recording);
  console.log();
}

if (args.columns !== "false") {
  console.log("### Where the bytes go (defaults, 1 h file)\n");
  for (const line of perColumn(recording.containers, containersSchema())) console.log(line);
  console.log();
  for (const line of perColumn(recording.processes, processesSchema())) console.log(line);
  console.log();
}
