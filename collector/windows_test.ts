import assert from "node:assert/strict";
import { createFirstTier, type FirstTier } from "./windows.ts";
import { PROCESSES } from "./tables.ts";
import { appendValues, bufferColumns, newBuffer, retainRows } from "./table_buffer.ts";
import { CONTRACT_METADATA_KEY } from "./columns.ts";
import { listDataFiles, partitionDir, segmentName } from "./files.ts";
import { writeTableFile } from "./parquet/write.ts";
import { openTableFile, readTableFile } from "./parquet/read.ts";

// 2026-11-22T10:00:00Z: a 2.5-minute window (37.5-minute span) starts here.
const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const SPAN = 37.5 * 60_000;
const WINDOW = SPAN / 15;

/** Rows of 3 processes per second for seconds [fromS, toS), as the collector buffers them. */
function rowsFor(fromS: number, toS: number) {
  const buffer = newBuffer(PROCESSES);
  for (let s = fromS; s < toS; s++) {
    for (const pid of [1, 2, 3]) {
      appendValues(buffer, {
        time: T0 + s * 1000,
        node: "n",
        container_id: `c${pid}`,
        pid,
        comm: ["sh", "nginx", "redis-server"][pid - 1],
        memory_rss_bytes: 1_000_000 * pid + s,
        cpu_usage_millicores: s % 7 === 0 ? null : Math.round(s * 1.5),
      });
    }
  }
  return buffer;
}

/** Writes seconds [fromS, toS) as one segment and tells `tier`; returns its path and rows. */
async function segment(out: string, tier: FirstTier, fromS: number, toS: number, id = "n") {
  const buffer = rowsFor(fromS, toS);
  const dir = partitionDir(out, "processes", "2026-11-22", id);
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/${segmentName("processes", T0 + fromS * 1000)}`;
  const columns = bufferColumns(buffer);
  await writeTableFile(path, PROCESSES, columns, buffer.rows);
  tier.written(PROCESSES, path, T0 + fromS * 1000, columns, buffer.rows);
  const rows = (await readTableFile(path)).columns;
  retainRows(buffer, []); // what the collector does after a flush: the arrays are reused
  return { path, rows };
}

Deno.test("REQ-COL-027: a first-tier window is encoded from memory and committed once old enough", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_windows_" });
  try {
    const tier = createFirstTier({ compactMinAgeMs: 120_000, compactSpanMs: SPAN });
    // 0..150 s in 10-s segments (the last one reaches past the window's end), then the next
    // window's first segment.
    const segs = [];
    for (let s = 0; s < 150; s += 10) segs.push(await segment(out, tier, s, s + 10));
    const last = await segment(out, tier, 150, 155);
    assert.equal(tier.rowsHeld, 15 * 30 + 15);
    assert.equal(tier.reserved().size, 16);

    // Over, but not old enough: encoded, not committed.
    let report = await tier.commitDue(T0 + WINDOW + 5_000);
    assert.deepEqual(report, { committed: [], failures: [], encoded: 1 });
    assert.equal(tier.rowsHeld, 15, "the closed window is held as encoded bytes only");
    assert.equal(listDataFiles(out).length, 16);

    report = await tier.commitDue(T0 + WINDOW + 120_000);
    assert.equal(report.failures.length, 0, report.failures.join("\n"));
    assert.equal(report.committed.length, 1);
    const files = listDataFiles(out);
    assert.deepEqual(files.map((f) => f.path).sort(), [report.committed[0], last.path].sort());
    assert.deepEqual([...tier.reserved()], [last.path]);

    // The first-tier file holds exactly the segments' rows, in one row group.
    const merged = await readTableFile(report.committed[0]);
    assert.equal(merged.rowCount, 15 * 30);
    assert.equal(merged.metadata[CONTRACT_METADATA_KEY], "2", "the data contract's version");
    for (const column of PROCESSES.columns) {
      assert.deepEqual(
        merged.columns[column.name],
        segs.flatMap((s) => s.rows[column.name]),
        column.name,
      );
    }
    const file = await openTableFile(report.committed[0]);
    file.close();
    assert.equal(file.rowGroups.length, 1);
    assert.match(report.committed[0], /processes-20261122T100000Z-20261122T100229Z\.parquet$/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("REQ-COL-027: a segment of an earlier window or a lone segment leaves the window to the maintainer", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_windows_" });
  try {
    const tier = createFirstTier({ compactMinAgeMs: 0, compactSpanMs: SPAN });
    await segment(out, tier, 0, 10);
    await segment(out, tier, 10, 20);
    await segment(out, tier, 150, 160); // the next window: the first one is over
    // A failed flush retried later: rows of the first window in a segment written now.
    const late = await segment(out, tier, 20, 30);
    assert.ok(!tier.reserved().has(late.path));
    const report = await tier.commitDue(T0 + 2 * WINDOW);
    assert.deepEqual(report, { committed: [], failures: [], encoded: 0 });
    // Nothing reserved any more: the first window's segments were released, the lone segment
    // of the second window too.
    assert.equal(tier.reserved().size, 0);
    assert.equal(tier.rowsHeld, 0);
    assert.equal(listDataFiles(out).length, 4);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("REQ-COL-027: a window whose segment retention deleted is not written back", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_windows_" });
  try {
    const tier = createFirstTier({ compactMinAgeMs: 0, compactSpanMs: SPAN });
    const a = await segment(out, tier, 0, 10);
    const b = await segment(out, tier, 10, 20);
    Deno.removeSync(a.path);
    const report = await tier.commitDue(T0 + WINDOW);
    assert.deepEqual(report, { committed: [], failures: [], encoded: 0 });
    assert.deepEqual(listDataFiles(out).map((f) => f.path), [b.path]);
    assert.equal(tier.reserved().size, 0);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("REQ-COL-027: at the end of a run a window not due yet is not encoded", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_windows_" });
  try {
    const tier = createFirstTier({ compactMinAgeMs: 120_000, compactSpanMs: SPAN });
    await segment(out, tier, 0, 10);
    await segment(out, tier, 10, 20);
    const report = await tier.commitDue(T0 + WINDOW + 1000, { final: true });
    assert.deepEqual(report, { committed: [], failures: [], encoded: 0 });
    assert.equal(tier.rowsHeld, 60, "still rows, not encoded");
    assert.equal(listDataFiles(out).length, 2);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("REQ-COL-027: windows that end together are encoded one per flush", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_windows_" });
  try {
    const tier = createFirstTier({ compactMinAgeMs: 0, compactSpanMs: SPAN });
    for (const id of ["a", "b"]) {
      await segment(out, tier, 0, 10, id);
      await segment(out, tier, 10, 20, id);
    }
    assert.equal(tier.rowsHeld, 120);
    let report = await tier.commitDue(T0 + WINDOW);
    assert.deepEqual([report.encoded, report.committed.length, tier.rowsHeld], [1, 1, 60]);
    report = await tier.commitDue(T0 + WINDOW + 10_000);
    assert.deepEqual([report.encoded, report.committed.length, tier.rowsHeld], [1, 1, 0]);
    assert.equal(listDataFiles(out).length, 2);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("REQ-COL-027: a segment whose rows cannot be kept releases its window", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_windows_" });
  try {
    const tier = createFirstTier({ compactMinAgeMs: 0, compactSpanMs: SPAN });
    const a = await segment(out, tier, 0, 10);
    const rows = rowsFor(10, 20);
    const all = bufferColumns(rows);
    const columns = { ...all, pid: all.comm };
    assert.throws(
      () => tier.written(PROCESSES, `${a.path}.other`, T0 + 10_000, columns, rows.rows),
      TypeError,
    );
    assert.equal(tier.reserved().size, 0);
    assert.equal(tier.rowsHeld, 0);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
