import assert from "node:assert/strict";
import {
  createMaintainer,
  FAILED_MERGE_BACKOFF_MS,
  type Maintainer,
  type MaintainerOptions,
  selfInvocation,
} from "./maintenance.ts";
import { listDataFiles, partitionDir, segmentName } from "./files.ts";
import { openTableFile, readTableFile } from "./parquet/read.ts";
import { writeTableFile } from "./parquet/write.ts";
import { SAMPLES, samples } from "./parquet/testing_tables.ts";
import type { TableName } from "./columns.ts";

Deno.test("REQ-COL-016: selfInvocation() runs a compiled binary as itself and mod.ts under deno", () => {
  assert.deepEqual(selfInvocation(["_compact", "x"], { execPath: "/usr/local/bin/fgm" }), {
    command: "/usr/local/bin/fgm",
    args: ["_compact", "x"],
  });
  const url = "file:///src/fgm/collector/maintenance.ts";
  assert.deepEqual(selfInvocation(["_compact"], { execPath: "/opt/deno/deno", moduleUrl: url }), {
    command: "/opt/deno/deno",
    args: [
      "run",
      "-A",
      "--quiet",
      "--config",
      "/src/fgm/deno.json",
      "/src/fgm/mod.ts",
      "_compact",
    ],
  });
});

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

/** Writes `n` 10-s segments of SAMPLES from T0 into `out`'s partition; returns their paths. */
async function segments(
  out: string,
  n: number,
  table: TableName = "containers",
): Promise<string[]> {
  const dir = partitionDir(out, table, "2026-11-22", "node-a");
  await Deno.mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let k = 0; k < n; k++) {
    const { columns, rows } = samples(k * 10, k * 10 + 10);
    columns.time = (columns.time as number[]).map((_, i) => T0 + (k * 10 + i) * 1000);
    const path = `${dir}/${segmentName(table, T0 + k * 10_000)}`;
    await writeTableFile(path, SAMPLES, columns, rows);
    paths.push(path);
  }
  return paths;
}

/** Waits until no merge runs. */
async function settled(m: Maintainer): Promise<void> {
  for (let i = 0; i < 6000 && m.running !== null; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A maintainer whose log lines and counted errors the test reads. */
function watched(o: MaintainerOptions) {
  const logs: string[] = [];
  let errors = 0;
  const m = createMaintainer(o, { log: (s) => logs.push(s), error: () => errors++ });
  return { m, logs, counted: () => errors };
}

function policy(out: string, extra: Partial<MaintainerOptions> = {}): MaintainerOptions {
  return {
    out,
    compactMinAgeMs: 0,
    compactSpanMs: 15 * 60_000,
    retentionMs: null,
    maxDiskBytes: null,
    ...extra,
  };
}

Deno.test("REQ-COL-016: Maintainer merges in a child process and returns without waiting", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_maintenance_" });
  try {
    const paths = await segments(out, 6);
    const rows = samples(0, 10).rows * 6;
    const { m, logs, counted } = watched(policy(out));
    m.run(T0 + 3600_000);
    // run() returned while the child still merges: it did not wait for it.
    assert.notEqual(m.running, null, "a merge is running in the background");
    assert.equal(m.merges, 0);
    await m.stop(60_000);
    assert.equal(m.merges, 1, logs.join("\n"));
    assert.equal(counted(), 0, logs.join("\n"));
    const files = listDataFiles(out);
    assert.equal(files.length, 1);
    assert.ok(files[0].compacted);
    for (const p of paths) assert.ok(!files.some((f) => f.path === p));
    const merged = await readTableFile(files[0].path);
    assert.equal(merged.rowCount, rows);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("REQ-STO-012: second-tier merges copy the first-tier files' row groups; reserved files are left alone", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_maintenance_" });
  try {
    // Six segments that follow each other in time (3 rows per second).
    const dir = partitionDir(out, "containers", "2026-11-22", "node-a");
    await Deno.mkdir(dir, { recursive: true });
    const paths: string[] = [];
    for (let k = 0; k < 6; k++) {
      const { columns, rows } = samples(k * 10, k * 10 + 10);
      columns.time = columns.time.map((_, i) => T0 + k * 10_000 + Math.floor(i / 3) * 1000);
      paths.push(`${dir}/${segmentName("containers", T0 + k * 10_000)}`);
      await writeTableFile(paths[k], SAMPLES, columns, rows);
    }
    const { m, logs, counted } = watched(policy(out, { compactSpanMs: 60_000 }));
    // Reserved (the collector compacts them itself): no merge.
    m.run(T0 + 3600_000, new Set(paths));
    assert.equal(m.running, null);
    // 10-s first-tier windows at a 1-minute span: every segment is alone in its window, so they
    // move up as they are and are concatenated, one row group each.
    m.run(T0 + 3600_000);
    await m.stop(60_000);
    assert.equal(counted(), 0, logs.join("\n"));
    const files = listDataFiles(out);
    assert.equal(files.length, 1);
    const merged = await openTableFile(files[0].path);
    merged.close();
    assert.equal(merged.rowCount, samples(0, 10).rows * 6);
    assert.equal(merged.rowGroups.length, 6);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("REQ-COL-016: a failing merge is logged, counted, and its window left alone", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_maintenance_" });
  try {
    const paths = await segments(out, 3);
    Deno.writeTextFileSync(paths[1], "PAR1 garbage, not a Parquet file"); // corrupt a source
    const { m, logs, counted } = watched(policy(out));
    m.run(T0 + 3600_000);
    await settled(m);
    assert.equal(counted(), 1);
    m.run(T0 + 3600_000 + 10_000);
    assert.equal(m.running, null, "the failed window is not retried at once");
    m.run(T0 + 3600_000 + FAILED_MERGE_BACKOFF_MS);
    assert.notEqual(m.running, null, "it is retried after the back-off");
    await m.stop(60_000);
    assert.equal(counted(), 2);
    assert.match(logs.join("\n"), /compaction into ".*containers-.*\.parquet" failed \(exit 1\)/);
    assert.match(logs.join("\n"), /not a complete Parquet file/);
    // Sources untouched.
    for (const p of paths) assert.ok(Deno.statSync(p).isFile);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("REQ-COL-016: retention never deletes a file a running merge uses; stop() kills a slow merge", async () => {
  const out = await Deno.makeTempDir({ prefix: "fgm_maintenance_" });
  const children: Deno.ChildProcess[] = [];
  try {
    const containers = await segments(out, 4, "containers");
    const processes = await segments(out, 4, "processes");
    let errors = 0;
    const o = policy(out);
    const m = createMaintainer(o, {
      log: () => {},
      error: () => errors++,
      // A merge that takes its time: a real process that sleeps.
      spawn: () => {
        const child = new Deno.Command("sleep", { args: ["30"], stderr: "piped" }).spawn();
        children.push(child);
        return child;
      },
    });
    m.run(T0 + 3600_000);
    assert.notEqual(m.running, null);
    // While it runs, a budget of 1 byte deletes every file but the ones the merge uses.
    o.maxDiskBytes = 1;
    m.run(T0 + 3600_000);
    const left = listDataFiles(out).map((f) => f.path).sort();
    const merging = left[0].includes("/containers-") ? containers : processes;
    assert.deepEqual(left, [...merging].sort());
    assert.equal(children.length, 1, "no second merge while one runs");
    await m.stop(100);
    assert.equal(m.running, null);
    assert.equal((await children[0].status).signal, "SIGKILL");
    assert.equal(errors, 0, "a merge killed at stop is not an error");
  } finally {
    for (const c of children) {
      try {
        c.kill("SIGKILL");
      } catch { /* exited */ }
      await c.status;
    }
    await Deno.remove(out, { recursive: true });
  }
});
