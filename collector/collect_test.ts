import assert from "node:assert/strict";
import { collect, type CollectOptions, takeUnstorable } from "./collect.ts";
import { listDataFiles } from "./files.ts";
import { readTableFile } from "./parquet/read.ts";
import { CONTAINERS, HOST, PROCESSES } from "./tables.ts";
import { appendValues, newBuffer } from "./table_buffer.ts";

const isRoot = Deno.uid() === 0;
const ci = Deno.env.get("CI") === "true";
if (!isRoot && !ci) console.warn("skipped: REQ-COL-030 needs root to mount a tiny tmpfs");

function options(out: string, extra: Partial<CollectOptions> = {}): CollectOptions {
  return {
    out,
    node: "test",
    intervalMs: 500,
    pssIntervalMs: 0,
    flushMs: 500,
    compactMinAgeMs: 3_600_000,
    compactSpanMs: 3_600_000,
    retentionMs: null,
    maxDiskBytes: null,
    hostProcesses: true,
    roots: {},
    durationMs: 4000,
    ...extra,
  };
}

async function run(cmd: string, ...args: string[]) {
  const r = await new Deno.Command(cmd, { args, stderr: "piped" }).output();
  if (!r.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  }
}

Deno.test({
  name: "REQ-COL-030: a full disk is reported and counted, and collection goes on",
  ignore: !isRoot && !ci,
  sanitizeResources: false,
  fn: async () => {
    const out = Deno.makeTempDirSync({ prefix: "fgm-full-" });
    await run("mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", out);
    const messages: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => messages.push(args.join(" "));
    try {
      // Room again 2.5 s into the run: the rows kept in memory reach the disk at the next flush.
      const roomAgain = setTimeout(() => run("mount", "-o", "remount,size=8m", out), 2500);
      const summary = await collect(
        options(out, { durationMs: 5000 }),
        new AbortController().signal,
      );
      clearTimeout(roomAgain);
      assert.ok(summary.ticks >= 9, `${summary.ticks} ticks despite the full disk`);
      assert.ok(summary.errors > 0, "write errors counted");
      const cannot = messages.filter((m) => /cannot write ".*\.parquet"/.test(m));
      assert.equal(cannot.length, 1, `one line when it starts: ${messages.join(" | ")}`);
      const again = messages.filter((m) =>
        /writing works again after \d+ failed file writes/.test(m)
      );
      assert.equal(again.length, 1, `one line when it ends: ${messages.join(" | ")}`);
      // The count is in the host table, and the rows held during the outage were written.
      let failed = 0;
      const times: number[] = [];
      for (const f of listDataFiles(out).filter((f) => f.table === "host")) {
        const t = await readTableFile(f.path);
        failed += (t.columns.collector_write_errors as (number | null)[]).reduce<number>(
          (a, b) => a + (b ?? 0),
          0,
        );
        times.push(...(t.columns.time as number[]));
      }
      assert.ok(failed > 0, "collector_write_errors counts the failed writes");
      assert.equal(new Set(times).size, times.length, "no duplicate rows");
      assert.ok(times.length >= summary.ticks - 1, `${times.length} of ${summary.ticks} rows kept`);
    } finally {
      console.error = original;
      await run("umount", out);
      Deno.removeSync(out, { recursive: true });
    }
  },
});

Deno.test("REQ-COL-010: collect() writes session.json with run id, node, version and config", async () => {
  const out = Deno.makeTempDirSync({ prefix: "fgm-session-" });
  const original = console.error;
  console.error = () => {};
  try {
    const first = await collect(options(out, { durationMs: 600 }), new AbortController().signal);
    const second = await collect(options(out, { durationMs: 600 }), new AbortController().signal);
    const session = JSON.parse(Deno.readTextFileSync(`${out}/session.json`));
    assert.equal(session.runId, second.runId);
    assert.equal(session.node, "test");
    assert.equal(session.config.intervalMs, 500);
    assert.match(session.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(session.previousRuns.map((r: { runId: string }) => r.runId), [first.runId]);
  } finally {
    console.error = original;
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("REQ-COL-033: takeUnstorable() sums what every buffer stored as null and names the last column", () => {
  const buffers = {
    containers: newBuffer(CONTAINERS),
    processes: newBuffer(PROCESSES),
    host: newBuffer(HOST),
  };
  assert.deepEqual(takeUnstorable(buffers), { count: 0, column: null });
  appendValues(buffers.containers, { time: 0, node: "n", container_id: "c", cpu_periods: 2 ** 40 });
  appendValues(buffers.host, { time: 0, node: "n", collector_missed_ticks: -(2 ** 33) });
  assert.deepEqual(takeUnstorable(buffers), {
    count: 2,
    column: "host.collector_missed_ticks",
  });
  // Taken: the next call counts from there.
  assert.deepEqual(takeUnstorable(buffers), { count: 0, column: null });
});

Deno.test("REQ-DATA-004, REQ-COL-010: collect() leaves contract-1 files and a foreign session.json as they are, and says so", async () => {
  const out = Deno.makeTempDirSync({ prefix: "fgm-old-layout-" });
  const messages: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => messages.push(args.join(" "));
  try {
    const old = `${out}/dt=2026-11-22/identifier=n/host-20261122T000000Z.parquet`;
    Deno.mkdirSync(`${out}/dt=2026-11-22/identifier=n`, { recursive: true });
    Deno.writeTextFileSync(old, "an old file");
    Deno.writeTextFileSync(`${out}/session.json`, '{"someone":"else"}');
    await collect(
      options(out, { durationMs: 600, retentionMs: 1, maxDiskBytes: 1 }),
      new AbortController().signal,
    );
    assert.equal(Deno.readTextFileSync(old), "an old file", "retention never reaches it");
    assert.equal(Deno.readTextFileSync(`${out}/session.json`), '{"someone":"else"}');
    assert.equal(
      messages.filter((m) => m.includes("fgm's first layout")).length,
      1,
      messages.join("\n"),
    );
    assert.ok(messages.some((m) => /session\.json" is not fgm's/.test(m)), messages.join("\n"));
  } finally {
    console.error = original;
    Deno.removeSync(out, { recursive: true });
  }
});
