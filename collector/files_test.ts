import assert from "node:assert/strict";
import {
  compactedName,
  type DataFile,
  dayOf,
  listDataFiles,
  parseFileName,
  partitionDir,
  planCompactions,
  planRetention,
  segmentName,
} from "./files.ts";

const T0 = Date.UTC(2026, 10, 22, 23, 58, 0);

function file(table: string, startS: number, endS = startS, size = 1000, dt?: string): DataFile {
  const startMs = T0 + startS * 1000;
  const endMs = T0 + endS * 1000;
  const day = dt ?? dayOf(startMs);
  const name = endS === startS ? segmentName(table, startMs) : compactedName(table, startMs, endMs);
  return {
    path: `/out/dt=${day}/identifier=n/${name}`,
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
  assert.equal(parseFileName("host-20261122T235800Z.parquet.tmp"), null);
  assert.equal(parseFileName("session.json"), null);
  assert.equal(
    partitionDir("/d", "2026-11-22", "node a/b"),
    "/d/dt=2026-11-22/identifier=node_a_b",
  );
});

Deno.test("REQ-COL-011: planCompactions() merges old segments per table, never across dt=", () => {
  // Segments every 10 s from 23:58:00 to 00:01:50 (crossing midnight), for two tables.
  const files: DataFile[] = [];
  for (let s = 0; s < 240; s += 10) files.push(file("host", s), file("containers", s));
  const now = T0 + 600_000;
  const plans = planCompactions(files, now, { minAgeMs: 60_000, maxSpanMs: 3600_000, minFiles: 4 });
  assert.equal(plans.length, 4, "two tables × two days");
  for (const p of plans) {
    const days = new Set(p.sources.map((f) => f.dt));
    assert.equal(days.size, 1);
    const tables = new Set(p.sources.map((f) => f.table));
    assert.equal(tables.size, 1);
    assert.match(p.target, /-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.parquet$/);
  }
  const hostDay1 = plans.find((p) =>
    p.sources[0].table === "host" && p.sources[0].dt === "2026-11-22"
  )!;
  assert.equal(hostDay1.sources.length, 12); // 23:58:00 … 23:59:50
});

Deno.test("REQ-COL-011: planCompactions() leaves young files and full compacted files alone", () => {
  const files = [file("host", 0, 3600), file("host", 3610), file("host", 3620), file("host", 3630)];
  const now = T0 + 3640_000;
  assert.deepEqual(
    planCompactions(files, now, { minAgeMs: 60_000, maxSpanMs: 3600_000, minFiles: 2 }),
    [],
  );
  const later = planCompactions(files, now + 120_000, {
    minAgeMs: 60_000,
    maxSpanMs: 3600_000,
    minFiles: 2,
  });
  assert.equal(later.length, 1);
  assert.equal(later[0].sources.length, 3, "the full hour file is not merged again");
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

Deno.test("REQ-COL-010: listDataFiles() finds only our files under dt=/identifier=", () => {
  const out = Deno.makeTempDirSync();
  try {
    const dir = `${out}/dt=2026-11-22/identifier=n`;
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(`${dir}/host-20261122T235800Z.parquet`, "x");
    Deno.writeTextFileSync(`${dir}/host-20261122T235810Z.parquet.tmp`, "x");
    Deno.writeTextFileSync(`${out}/session.json`, "{}");
    const files = listDataFiles(out);
    assert.equal(files.length, 1);
    assert.equal(files[0].table, "host");
    assert.equal(files[0].sizeBytes, 1);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});
