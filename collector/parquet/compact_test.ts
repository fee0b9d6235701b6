import assert from "node:assert/strict";
import {
  commonMetadata,
  compactFiles,
  COMPACTION_ID_KEY,
  type CompactOptions,
  type CompactStep,
  encodeCompacted,
  journalName,
  mergeSchemas,
  recoverCompactions,
} from "./compact.ts";
import { listTableFiles, readTableFile } from "./read.ts";
import { type CellValue, type ColumnData, encodeTable, vectorAt, writeTableFile } from "./write.ts";
import { SAMPLES, samples } from "./testing_tables.ts";
import type { TableSchema } from "./schema.ts";
import { queryParquet, sqlString } from "../../tests/support/duckdb.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "fgm_parquet_compact_" });
}

/** The directories the tests compact in. */
function dirsOf(root: string): string[] {
  return [root, `${root}/containers`];
}

/** Rows of a table as JSON strings, in file order. */
function rowsOf(schema: TableSchema, columns: ColumnData, rows: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows; i++) {
    out.push(JSON.stringify(schema.columns.map((c) => vectorAt(columns[c.name], i) ?? null)));
  }
  return out;
}

/** Every row of every complete *.parquet file under `root`. */
async function allRows(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const path of await listTableFiles(root)) {
    const t = await readTableFile(path);
    out.push(...rowsOf(t.schema, t.columns, t.rowCount));
  }
  return out;
}

/** Row groups of a file, as DuckDB sees them. */
async function rowGroupsOf(path: string): Promise<number> {
  const groups = await queryParquet(
    `SELECT DISTINCT row_group_id FROM parquet_metadata(${sqlString(path)})`,
  );
  return groups.length;
}

/** Every file under `root`, relative, sorted. */
async function allFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await allFiles(root, path));
    else out.push(path.slice(root.length + 1));
  }
  return out.sort();
}

/** Writes three 10 s segments of SAMPLES under `${root}/containers/` (in the order 2, 0, 1). */
async function threeSegments(root: string): Promise<{ paths: string[]; expected: string[] }> {
  await Deno.mkdir(`${root}/containers`, { recursive: true });
  const paths: string[] = [];
  const expected: string[] = [];
  for (const k of [0, 1, 2]) {
    const { columns, rows } = samples(k * 10, k * 10 + 10);
    const path = `${root}/containers/seg-${k}.parquet`;
    await writeTableFile(path, SAMPLES, columns, rows);
    paths.push(path);
    expected.push(...rowsOf(SAMPLES, columns, rows));
  }
  return { paths: [paths[2], paths[0], paths[1]], expected };
}

Deno.test("REQ-STO-007: compacting 3 files equals their concatenation in time order", async () => {
  const root = await tempDir();
  try {
    const { paths, expected } = await threeSegments(root);
    const target = `${root}/containers/hour-00.parquet`;
    const result = await compactFiles(paths, target, {
      encode: { rowGroupRows: 25 },
    });
    assert.equal(result.rows, 90);
    assert.equal(result.sources, 3);
    assert.equal(result.timeMinMs, 1_735_689_600_000);
    assert.equal(result.timeMaxMs, 1_735_689_600_000 + 29_000);
    const back = await readTableFile(target);
    assert.deepEqual(back.schema, SAMPLES);
    assert.deepEqual(rowsOf(back.schema, back.columns, back.rowCount), expected);
    assert.deepEqual(await allFiles(root), ["containers/hour-00.parquet"]);
    const [duck] = await queryParquet(
      `SELECT count(*) AS n, count(memory_pss_bytes) AS pss, count(DISTINCT memory_usage_bytes) AS u,
         bool_and(time >= lag_time) AS ordered
       FROM (SELECT *, lag(time, 1, time) OVER (ORDER BY file_row_number) AS lag_time
             FROM read_parquet(${sqlString(target)}, file_row_number = true))`,
    );
    assert.deepEqual(duck, { n: 90n, pss: 9n, u: 90n, ordered: true });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-012: method concat copies the row groups of sources that follow each other in time", async () => {
  const root = await tempDir();
  try {
    const { paths, expected } = await threeSegments(root);
    const sizes = paths.map((p) => Deno.statSync(p).size);
    const target = `${root}/containers/hour-00.parquet`;
    const result = await compactFiles(paths, target, {
      method: "concat",
    });
    assert.equal(result.rows, 90);
    assert.equal(result.timeMinMs, 1_735_689_600_000);
    assert.equal(result.timeMaxMs, 1_735_689_600_000 + 29_000);
    const back = await readTableFile(target);
    assert.deepEqual(back.schema, SAMPLES);
    assert.deepEqual(rowsOf(back.schema, back.columns, back.rowCount), expected);
    assert.deepEqual(await allFiles(root), ["containers/hour-00.parquet"]);
    // Not re-encoded: one row group per source, and about the sources' bytes.
    assert.equal(await rowGroupsOf(target), 3);
    const total = sizes.reduce((a, b) => a + b, 0);
    assert.ok(result.bytes < total && result.bytes > total / 2, `${result.bytes} vs ${total}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-012: method concat merges sources that overlap in time", async () => {
  const root = await tempDir();
  try {
    const a = samples(0, 20, 2);
    const b = samples(10, 30, 3);
    await writeTableFile(`${root}/a.parquet`, SAMPLES, a.columns, a.rows);
    await writeTableFile(`${root}/b.parquet`, SAMPLES, b.columns, b.rows);
    const target = `${root}/merged.parquet`;
    await compactFiles([`${root}/b.parquet`, `${root}/a.parquet`], target, {
      method: "concat",
    });
    const back = await readTableFile(target);
    const times = back.columns.time as number[];
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] <= times[i], `row ${i}`);
    assert.equal(back.rowCount, a.rows + b.rows);
    assert.equal(await rowGroupsOf(target), 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-012: contents encoded in memory replace the sources without reading them", async () => {
  const root = await tempDir();
  try {
    const { paths, expected } = await threeSegments(root);
    const all = samples(0, 30);
    assert.deepEqual(rowsOf(SAMPLES, all.columns, all.rows), expected);
    const contents = encodeCompacted(SAMPLES, all.columns, all.rows);
    assert.equal(contents.timeMinMs, 1_735_689_600_000);
    assert.equal(contents.timeMaxMs, 1_735_689_600_000 + 29_000);
    const target = `${root}/containers/hour-00.parquet`;
    const result = await compactFiles(paths, target, { contents });
    assert.deepEqual([result.rows, result.bytes], [90, contents.bytes.byteLength]);
    const back = await readTableFile(target);
    assert.equal(back.metadata[COMPACTION_ID_KEY], contents.id);
    assert.deepEqual(rowsOf(back.schema, back.columns, back.rowCount), expected);
    assert.deepEqual(await allFiles(root), ["containers/hour-00.parquet"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-007: overlapping and unsorted sources merge into one stable time order", async () => {
  const root = await tempDir();
  try {
    const a = samples(0, 20, 2); // c0, c1 for 0..19 s
    const b = samples(10, 30, 3); // c0..c2 for 10..29 s (overlaps a in 10..19 s)
    // c: 5 rows in reverse time order.
    const c = samples(3, 8, 1);
    const reversed: Record<string, CellValue[]> = {};
    for (const [k, v] of Object.entries(c.columns)) reversed[k] = Array.from(v).reverse();
    await writeTableFile(`${root}/a.parquet`, SAMPLES, a.columns, a.rows, { rowGroupRows: 7 });
    await writeTableFile(`${root}/b.parquet`, SAMPLES, b.columns, b.rows, { rowGroupRows: 11 });
    await writeTableFile(`${root}/c.parquet`, SAMPLES, reversed, c.rows);
    const target = `${root}/merged.parquet`;
    await compactFiles([`${root}/b.parquet`, `${root}/c.parquet`, `${root}/a.parquet`], target, {
      encode: { rowGroupRows: 16 },
    });
    const back = await readTableFile(target);
    assert.equal(back.rowCount, a.rows + b.rows + c.rows);
    const times = back.columns.time as number[];
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] <= times[i], `row ${i}`);
    // Multiset equality.
    const expected = [
      ...rowsOf(SAMPLES, a.columns, a.rows),
      ...rowsOf(SAMPLES, b.columns, b.rows),
      ...rowsOf(SAMPLES, c.columns, c.rows),
    ].sort();
    assert.deepEqual(rowsOf(SAMPLES, back.columns, back.rowCount).slice().sort(), expected);
    // Stable ties: at 15 s, a's rows (a starts earlier) come before b's, each in file order.
    const at15 = back.columns.container_id.filter((_, i) => times[i] === 1_735_689_615_000);
    assert.deepEqual(at15, ["c0", "c1", "c0", "c1", "c2"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-007: the target may be one of the sources (appending to a compacted file)", async () => {
  const root = await tempDir();
  try {
    const { paths, expected } = await threeSegments(root);
    const target = `${root}/containers/hour-00.parquet`;
    await compactFiles(paths.slice(0, 2), target);
    const more = samples(30, 40);
    await writeTableFile(`${root}/containers/seg-3.parquet`, SAMPLES, more.columns, more.rows);
    await compactFiles([`${root}/containers/seg-3.parquet`, target, paths[2]], target, {});
    assert.deepEqual(await allFiles(root), ["containers/hour-00.parquet"]);
    assert.deepEqual(await allRows(root), [
      ...expected,
      ...rowsOf(SAMPLES, more.columns, more.rows),
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-007: a column added by a newer collector is null in older rows", async () => {
  const root = await tempDir();
  try {
    const old = samples(0, 5);
    const newer: TableSchema = {
      ...SAMPLES,
      columns: [...SAMPLES.columns, { name: "pids", type: "int32", nullable: false }],
    };
    const fresh = samples(5, 10);
    const pids = Array.from({ length: fresh.rows }, (_, i) => i);
    await writeTableFile(`${root}/old.parquet`, SAMPLES, old.columns, old.rows);
    await writeTableFile(`${root}/new.parquet`, newer, { ...fresh.columns, pids }, fresh.rows);
    await compactFiles([`${root}/new.parquet`, `${root}/old.parquet`], `${root}/all.parquet`, {});
    const back = await readTableFile(`${root}/all.parquet`);
    assert.deepEqual(back.schema.columns.at(-1), { name: "pids", type: "int32", nullable: true });
    assert.deepEqual(back.columns.pids, [...Array(old.rows).fill(null), ...pids]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-007: compactFiles() refuses unusable inputs and changes nothing", async () => {
  const root = await tempDir();
  try {
    const { paths } = await threeSegments(root);
    const before = await allFiles(root);
    const opts = {};
    // The target exists and is not a source.
    await assert.rejects(() => compactFiles(paths.slice(1), paths[0], opts), /it exists/);
    // A truncated source.
    const bytes = await Deno.readFile(paths[0]);
    await Deno.writeFile(`${root}/containers/cut.parquet`, bytes.subarray(0, 40));
    await assert.rejects(
      () =>
        compactFiles(
          [paths[1], `${root}/containers/cut.parquet`],
          `${root}/containers/x.parquet`,
          opts,
        ),
      /not a complete Parquet file/,
    );
    await Deno.remove(`${root}/containers/cut.parquet`);
    // Incompatible types: fails while writing the temporary file, which is removed.
    const other: TableSchema = {
      ...SAMPLES,
      columns: SAMPLES.columns.map((c) =>
        c.name === "memory_usage_bytes" ? { ...c, type: "double" } : c
      ),
    };
    const s = samples(50, 51);
    await writeTableFile(`${root}/containers/other.parquet`, other, s.columns, s.rows);
    await assert.rejects(
      () =>
        compactFiles(
          [paths[1], `${root}/containers/other.parquet`],
          `${root}/containers/y.parquet`,
          opts,
        ),
      /changes type from int64 to double/,
    );
    await Deno.remove(`${root}/containers/other.parquet`);
    assert.deepEqual(await allFiles(root), before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

class Killed extends Error {}

const STEPS: CompactStep[] = [
  "tmp-written",
  "journal-written",
  "renamed",
  "source-deleted",
  "sources-deleted",
  "journal-deleted",
];

/** How a crash test's compaction produces its target. */
type How = "merge" | "concat" | "contents";

/** The options of `how`; for "contents", the rows of {@linkcode threeSegments} encoded in memory. */
function optionsFor(how: How): Partial<CompactOptions> {
  if (how === "merge") return {};
  if (how === "concat") return { method: "concat" };
  const all = samples(0, 30);
  return { contents: encodeCompacted(SAMPLES, all.columns, all.rows) };
}

for (const how of ["merge", "concat", "contents"] as const) {
  for (const appending of how === "contents" ? [false] : [false, true]) {
    for (const step of STEPS) {
      Deno.test(
        `REQ-STO-008: killed after "${step}"${appending ? " (target is a source)" : ""}${
          how === "merge" ? "" : ` (${how})`
        }, recoverCompactions() leaves one copy of every row`,
        async () => {
          const root = await tempDir();
          try {
            const { paths, expected } = await threeSegments(root);
            const target = `${root}/containers/hour-00.parquet`;
            let sources = paths;
            if (appending) {
              await compactFiles(paths.slice(0, 2), target);
              sources = [target, paths[2]];
            }
            let seen = 0;
            await assert.rejects(
              () =>
                compactFiles(sources, target, {
                  ...optionsFor(how),
                  onStep(s) {
                    // Kill at the first occurrence of `step` (the first source deletion).
                    if (s === step && seen++ === 0) throw new Killed(s);
                  },
                }),
              Killed,
            );
            const report = await recoverCompactions(dirsOf(root));
            assert.deepEqual(report.problems, []);
            const files = await allFiles(root);
            assert.equal(files.filter((f) => f.endsWith(".fgm-tmp")).length, 0, files.join());
            assert.equal(
              files.filter((f) => f.includes(".fgm-compaction-")).length,
              0,
              files.join(),
            );
            const rows = await allRows(root);
            assert.deepEqual(rows.slice().sort(), expected.slice().sort());
            const committed = step !== "tmp-written" && step !== "journal-written";
            assert.deepEqual(
              files,
              committed
                ? ["containers/hour-00.parquet"]
                : (appending ? ["containers/hour-00.parquet", paths[2].slice(root.length + 1)] : [
                  "containers/seg-0.parquet",
                  "containers/seg-1.parquet",
                  "containers/seg-2.parquet",
                ]),
            );
            if (step === "journal-written") assert.equal(report.rolledBack.length, 1);
            if (step === "renamed" || step === "source-deleted" || step === "sources-deleted") {
              assert.equal(report.finished.length, 1);
            }
            // A second recovery has nothing left to do.
            const again = await recoverCompactions(dirsOf(root));
            assert.deepEqual(
              [again.finished, again.rolledBack, again.deletedSources, again.deletedTmp],
              [[], [], [], []],
            );
          } finally {
            await Deno.remove(root, { recursive: true });
          }
        },
      );
    }
  }
}

Deno.test("REQ-STO-008: recoverCompactions() deletes a half-written temporary file and a half-written journal", async () => {
  const root = await tempDir();
  try {
    const { paths, expected } = await threeSegments(root);
    // A kill while the target was being written: a truncated tmp, no journal.
    const full = encodeTable(SAMPLES, samples(0, 30).columns, 90);
    await Deno.writeFile(`${root}/containers/.hour-00.parquet.fgm-tmp`, full.subarray(0, 100));
    // A kill while the journal was being written: its own temporary file.
    const journal = journalName(crypto.randomUUID());
    await Deno.writeTextFile(`${root}/containers/.${journal}.fgm-tmp`, '{"vers');
    // A kill while a segment was being written.
    await Deno.writeFile(`${root}/containers/.seg-3.parquet.fgm-tmp`, full.subarray(0, 10));
    const report = await recoverCompactions(dirsOf(root));
    assert.equal(report.deletedTmp.length, 3);
    assert.deepEqual(await allFiles(root), [
      "containers/seg-0.parquet",
      "containers/seg-1.parquet",
      "containers/seg-2.parquet",
    ]);
    assert.deepEqual((await allRows(root)).sort(), expected.slice().sort());
    assert.equal(paths.length, 3);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-008: a journal whose target holds other data is rolled back, not finished", async () => {
  const root = await tempDir();
  try {
    const { paths, expected } = await threeSegments(root);
    const target = `${root}/containers/hour-00.parquet`;
    await compactFiles(paths.slice(0, 2), target);
    // Kill the second compaction (target is a source) after its journal: the old target is
    // present but carries the first compaction's id, so the sources must be kept.
    await assert.rejects(() =>
      compactFiles([target, paths[2]], target, {
        onStep(s) {
          if (s === "journal-written") throw new Killed(s);
        },
      }), Killed);
    const report = await recoverCompactions(dirsOf(root));
    assert.equal(report.rolledBack.length, 1);
    assert.deepEqual(report.deletedSources, []);
    assert.deepEqual((await allRows(root)).sort(), expected.slice().sort());
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-008: sources and target share one directory, which holds the journal", async () => {
  const root = await tempDir();
  try {
    const { paths, expected } = await threeSegments(root);
    await assert.rejects(
      () => compactFiles(paths, `${root}/hour-00.parquet`),
      /sources and target must share a directory/,
    );
    let journal = "";
    await assert.rejects(() =>
      compactFiles(paths, `${root}/containers/hour-00.parquet`, {
        onStep(s, detail) {
          if (s === "journal-written") journal = detail.path!;
          if (s === "renamed") throw new Killed(s);
        },
      }), Killed);
    assert.match(journal, /\/containers\/\.fgm-compaction-[0-9a-f-]{36}\.json$/);
    const report = await recoverCompactions([`${root}/containers`]);
    assert.equal(report.finished.length, 1);
    assert.deepEqual(await allFiles(root), ["containers/hour-00.parquet"]);
    assert.deepEqual(await allRows(root), expected);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mergeSchemas() unions columns and keeps the newest descriptions", () => {
  const a: TableSchema = {
    name: "t",
    columns: [
      { name: "time", type: "timestamp_ms", nullable: false, description: "old" },
      { name: "x", type: "decimal", scale: 1, nullable: false },
    ],
  };
  const b: TableSchema = {
    name: "t",
    columns: [
      { name: "time", type: "timestamp_ms", nullable: false, description: "new" },
      { name: "y", type: "string", nullable: false },
    ],
  };
  assert.deepEqual(mergeSchemas([a, b]), {
    name: "t",
    columns: [
      {
        name: "time",
        type: "timestamp_ms",
        nullable: false,
        description: "new",
        source: undefined,
      },
      { name: "x", type: "decimal", scale: 1, nullable: true },
      { name: "y", type: "string", nullable: true },
    ],
  });
  assert.throws(
    () =>
      mergeSchemas([a, {
        ...a,
        columns: [{ name: "x", type: "decimal", scale: 2, nullable: false }],
      }]),
    /changes type/,
  );
  assert.throws(() => mergeSchemas([a, { ...b, name: "u" }]), /Cannot compact tables "t" and "u"/);
});

Deno.test("REQ-STO-008: recovery leaves a journal naming files it does not own, and other programs' temporary files", async () => {
  const root = await tempDir();
  try {
    const { paths } = await threeSegments(root);
    const dir = `${root}/containers`;
    const id = crypto.randomUUID();
    // Journal-shaped, but naming a file outside its directory and one that is not ours.
    await Deno.writeTextFile(
      `${dir}/${journalName(id)}`,
      JSON.stringify({ version: 2, id, target: "../../etc/passwd", sources: ["seg-0.parquet"] }),
    );
    const other = crypto.randomUUID();
    await Deno.writeTextFile(
      `${dir}/${journalName(other)}`,
      JSON.stringify({ version: 2, id: other, target: "x.parquet", sources: ["notes.txt"] }),
    );
    await Deno.writeTextFile(`${dir}/x.tmp`, "another program's");
    await Deno.writeTextFile(`${dir}/.notes.txt.fgm-tmp`, "not a name we own");
    const report = await recoverCompactions([dir]);
    assert.equal(report.problems.length, 2, JSON.stringify(report.problems));
    assert.deepEqual([report.finished, report.rolledBack, report.deletedTmp], [[], [], []]);
    assert.deepEqual(
      await allFiles(root),
      [
        `containers/${journalName(id)}`,
        `containers/${journalName(other)}`,
        "containers/.notes.txt.fgm-tmp",
        "containers/seg-0.parquet",
        "containers/seg-1.parquet",
        "containers/seg-2.parquet",
        "containers/x.tmp",
      ].sort(),
    );
    assert.equal(paths.length, 3);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("REQ-STO-007: a merge keeps the key-value metadata all its sources agree on", async () => {
  assert.deepEqual(
    commonMetadata([
      { "fgm.contract_version": "2", a: "1", [COMPACTION_ID_KEY]: "x" },
      { "fgm.contract_version": "2", a: "2", [COMPACTION_ID_KEY]: "x" },
    ]),
    { "fgm.contract_version": "2" },
  );
  assert.deepEqual(commonMetadata([]), {});
  const root = await tempDir();
  try {
    await Deno.mkdir(`${root}/containers`);
    const paths: string[] = [];
    for (const k of [0, 1]) {
      const { columns, rows } = samples(k * 10, k * 10 + 10);
      paths.push(`${root}/containers/seg-${k}.parquet`);
      await writeTableFile(paths[k], SAMPLES, columns, rows, {
        metadata: { "fgm.contract_version": "2", run: `r${k}` },
      });
    }
    for (const method of ["merge", "concat"] as const) {
      const target = `${root}/containers/${method}.parquet`;
      const sources = method === "merge" ? paths : [`${root}/containers/merge.parquet`];
      await compactFiles(sources, target, { method });
      const back = await readTableFile(target);
      assert.equal(back.metadata["fgm.contract_version"], "2", method);
      assert.equal(back.metadata.run, undefined, `${method}: sources disagree`);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
