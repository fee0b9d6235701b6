import assert from "node:assert/strict";
import {
  compactedName,
  type DataFile,
  dayOf,
  hasContract1Files,
  listDataFiles,
  listPartitions,
  parseFileName,
  partitionDir,
  planCompactions,
  planRetention,
  segmentName,
} from "./files.ts";
import type { TableName } from "./columns.ts";

const T0 = Date.UTC(2026, 10, 22, 23, 58, 0);

function file(table: TableName, startS: number, endS = startS, size = 1000, dt?: string): DataFile {
  const startMs = T0 + startS * 1000;
  const endMs = T0 + endS * 1000;
  const day = dt ?? dayOf(startMs);
  const name = endS === startS ? segmentName(table, startMs) : compactedName(table, startMs, endMs);
  return {
    path: `/out/${table}/dt=${day}/identifier=n/${name}`,
    dt: day,
    identifier: "n",
    table,
    startMs,
    endMs,
    compacted: endS !== startS,
    sizeBytes: size,
  };
}

Deno.test("REQ-COL-010: file names carry table and UTC times and parse back", () => {
  assert.equal(segmentName("containers", T0), "containers-20261122T235800Z.parquet");
  assert.equal(
    compactedName("host", T0, T0 + 3600_000),
    "host-20261122T235800Z-20261123T005800Z.parquet",
  );
  assert.deepEqual(parseFileName("host-20261122T235800Z.parquet"), {
    table: "host",
    startMs: T0,
    endMs: T0,
    compacted: false,
  });
  // A second segment starting in the same second is named to the millisecond.
  assert.equal(
    segmentName("host", T0 + 502, { millis: true }),
    "host-20261122T235800.502Z.parquet",
  );
  assert.deepEqual(parseFileName("host-20261122T235800.502Z.parquet"), {
    table: "host",
    startMs: T0 + 502,
    endMs: T0 + 502,
    compacted: false,
  });
  assert.equal(parseFileName("host-20261122T235800.5Z.parquet"), null);
  assert.equal(parseFileName("host-20261122T235800Z.parquet.tmp"), null);
  assert.equal(parseFileName(".host-20261122T235800Z.parquet.fgm-tmp"), null);
  assert.equal(parseFileName("session.json"), null);
  assert.equal(parseFileName("metrics-20261122T235800Z.parquet"), null, "not one of our tables");
  assert.equal(
    partitionDir("/d", "containers", "2026-11-22", "node a/b"),
    "/d/containers/dt=2026-11-22/identifier=node_a_b",
  );
});

Deno.test("REQ-COL-011: planCompactions() merges segments per small window, never across dt=", () => {
  // Segments every 10 s from 23:58:00 to 00:01:50 (crossing midnight), for two tables.
  const files: DataFile[] = [];
  for (let s = 0; s < 240; s += 10) files.push(file("host", s), file("containers", s));
  const now = T0 + 600_000;
  // Span 15 min: segments merge per aligned 1-minute window.
  const plans = planCompactions(files, now, { minAgeMs: 60_000, maxSpanMs: 900_000, minFiles: 4 });
  assert.equal(plans.length, 8, "two tables × four minutes");
  for (const p of plans) {
    assert.equal(new Set(p.sources.map((f) => f.dt)).size, 1);
    assert.equal(new Set(p.sources.map((f) => f.table)).size, 1);
    assert.equal(p.sources.length, 6);
    assert.match(p.target, /-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.parquet$/);
  }
  assert.ok(plans[0].sources[0].startMs <= plans[7].sources[0].startMs, "oldest first");
});

Deno.test("REQ-COL-011: planCompactions() merges first-tier files once the big window closed", () => {
  // Six 1-minute files of one 15-minute window.
  const files: DataFile[] = [];
  // T0 + 120 s is 00:00:00, where a 15-minute window starts.
  for (let m = 0; m < 6; m++) files.push(file("host", 120 + m * 60, 120 + m * 60 + 50));
  const policy = { minAgeMs: 30_000, maxSpanMs: 900_000, minFiles: 4 };
  // The window 00:00–00:15 ends at T0 + 1020 s; not yet 30 s old at + 1040 s.
  assert.deepEqual(planCompactions(files, T0 + 1_040_000, policy), []);
  const plans = planCompactions(files, T0 + 1_060_000, policy);
  assert.equal(plans.length, 1);
  assert.equal(plans[0].sources.length, 6);
  assert.equal(plans[0].tier, 2);
  // Segments still to be merged in that window hold the big merge back until they moved up.
  const late = [...files, ...[440, 450, 460, 470].map((s) => file("host", s))];
  assert.deepEqual(planCompactions(late, T0 + 1_060_000, policy).map((p) => p.tier), [1]);
  // So does a segment the collector compacts itself (reserved), which is never planned.
  const reserved = new Set([late.at(-1)!.path]);
  assert.deepEqual(planCompactions(late, T0 + 1_060_000, { ...policy, reserved }), []);
  // Too few to merge alone (a run stopped early in the window), they move up as they are.
  const lone = planCompactions([...files, file("host", 470)], T0 + 1_060_000, policy);
  assert.deepEqual(lone.map((p) => [p.tier, p.sources.length]), [[2, 7]]);
  // The merged file is alone in its window: done.
  assert.deepEqual(planCompactions([file("host", 120, 470)], T0 + 9_000_000, policy), []);
});

Deno.test("REQ-COL-012: planRetention() deletes by age, then oldest first down to the size budget", () => {
  const files = [file("host", 0, 0, 100), file("host", 100, 100, 100), file("host", 200, 200, 100)];
  const now = T0 + 250_000;
  assert.deepEqual(planRetention(files, now, { retentionMs: 200_000 }).map((f) => f.startMs), [T0]);
  assert.deepEqual(
    planRetention(files, now, { maxDiskBytes: 150 }).map((f) => f.startMs),
    [T0, T0 + 100_000],
  );
  assert.deepEqual(planRetention(files, now, {}), []);
});

Deno.test("REQ-COL-010: listDataFiles() finds only our files in <table>/dt=/identifier=, never through a symlink", () => {
  const out = Deno.makeTempDirSync();
  const outside = Deno.makeTempDirSync();
  try {
    const dir = `${out}/host/dt=2026-11-22/identifier=n`;
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(`${dir}/host-20261122T235800Z.parquet`, "x");
    Deno.writeTextFileSync(`${dir}/.host-20261122T235810Z.parquet.fgm-tmp`, "x");
    // A containers file in the host folder is not a host file, nor a containers one.
    Deno.writeTextFileSync(`${dir}/containers-20261122T235800Z.parquet`, "x");
    Deno.writeTextFileSync(`${out}/session.json`, "{}");
    // A partition behind a symbolic link, and a file that is one: never listed.
    const away = `${outside}/identifier=n`;
    Deno.mkdirSync(away);
    Deno.writeTextFileSync(`${away}/host-20261122T235900Z.parquet`, "x");
    Deno.symlinkSync(away, `${out}/host/dt=2026-11-22/identifier=m`);
    Deno.symlinkSync(
      `${away}/host-20261122T235900Z.parquet`,
      `${dir}/host-20261122T235910Z.parquet`,
    );
    // The first layout's files are not this layout's.
    Deno.mkdirSync(`${out}/dt=2026-11-22/identifier=n`, { recursive: true });
    assert.equal(hasContract1Files(out), false);
    Deno.writeTextFileSync(`${out}/dt=2026-11-22/identifier=n/host-20261122T235000Z.parquet`, "x");
    assert.equal(hasContract1Files(out), true);
    const files = listDataFiles(out);
    assert.deepEqual(files.map((f) => f.path), [`${dir}/host-20261122T235800Z.parquet`]);
    assert.equal(files[0].table, "host");
    assert.equal(files[0].sizeBytes, 1);
    assert.deepEqual(listPartitions(out).map((p) => [p.table, p.dt, p.identifier]), [
      ["host", "2026-11-22", "n"],
    ]);
  } finally {
    Deno.removeSync(out, { recursive: true });
    Deno.removeSync(outside, { recursive: true });
  }
});
