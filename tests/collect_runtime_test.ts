/**
 * `fgm collect` against real containers under a private dockerd: known limits and workloads read
 * back with DuckDB (an independent reader) and hyparquet; SIGTERM, SIGKILL, restart recovery,
 * container churn, compaction and retention.
 */

import { lockMachine } from "./support/machine_lock.ts";
import assert from "node:assert/strict";
import { requireRuntime } from "./support/available.ts";
import { startDockerd } from "./support/dockerd.ts";
import { queryParquet, sqlString } from "./support/duckdb.ts";
import { readTableFile } from "../collector/parquet/read.ts";
import { isCompleteParquet } from "../collector/parquet/read.ts";
import { listDataFiles } from "../collector/files.ts";
import { spawnFgm } from "./support/fgm.ts";

const MiB = 1024 * 1024;

function spawnCollect(out: string, extra: string[]): Deno.ChildProcess {
  return spawnFgm(["collect", "--out", out, "--identifier", "test-node", ...extra]);
}

async function finish(child: Deno.ChildProcess): Promise<{ code: number; stderr: string }> {
  const out = await child.output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A table's files, as the README tells users to read them (REQ-DATA-001). */
function glob(out: string, table: string): string {
  return sqlString(`${out}/${table}/**/*.parquet`);
}

Deno.test({
  name: "REQ-COL-020: collect records a docker busy loop and a 100 MiB allocation at 1 Hz",
  ignore: !requireRuntime("docker"),
  sanitizeResources: false,
  fn: async (t) => {
    // It asserts on what the recording holds: no other test's containers meanwhile.
    await using _machine = await lockMachine("exclusive");
    const daemon = await startDockerd();
    const out = Deno.makeTempDirSync({ prefix: "fgm-collect-" });
    try {
      const busy = await daemon.run({ name: "busy", cpus: 0.2, memory: "256m" });
      const mem = await daemon.run({
        name: "mem",
        memory: "512m",
        cmd: [
          "sh",
          "-c",
          "sleep 3; dd if=/dev/zero of=/tmp/blob bs=1M count=100; sleep 3600; true",
        ],
      });
      let churn = "";

      await t.step("REQ-COL-021: SIGTERM writes everything within 2 s and exits 0", async () => {
        const child = spawnCollect(out, ["--flush", "3s", "--pss-interval", "2s"]);
        await sleep(4000);
        churn = await daemon.run({ name: "churn", cpus: 0.5 });
        await sleep(5000);
        const killedAt = Date.now();
        child.kill("SIGTERM");
        const r = await finish(child);
        assert.ok(Date.now() - killedAt < 2000, `exit took ${Date.now() - killedAt} ms`);
        assert.equal(r.code, 0, r.stderr);
        const [last] = await queryParquet(
          `SELECT max(time) AS t FROM read_parquet(${glob(out, "host")})`,
        );
        const lastMs = (last.t as Date).getTime();
        assert.ok(killedAt - lastMs < 1500, `last row ${killedAt - lastMs} ms before SIGTERM`);
      });

      await t.step(
        "REQ-COL-022: one row per container per second, values near the truth",
        async () => {
          const rows = await queryParquet(`
          SELECT container_name, count(*) AS n, count(DISTINCT epoch(time)::BIGINT) AS seconds,
                 avg(cpu_usage_millicores) AS cpu, sum(cpu_throttled_periods) AS throttled,
                 max(cpu_limit_millicores) AS limit_m, max(memory_limit_bytes) AS mem_limit,
                 max(memory_usage_bytes) AS mem_max, min(memory_usage_bytes) AS mem_min,
                 count(cpu_usage_millicores) AS rated, max(memory_pss_bytes) AS pss,
                 any_value(node) AS node, any_value(dt) AS dt, any_value(identifier) AS ident,
                 count(cpu_pressure_some_usec) AS stall_rated,
                 avg(cpu_pressure_some_usec) AS stall, max(cpu_pressure_some_usec) AS stall_max
          FROM read_parquet(${glob(out, "containers")}, hive_partitioning = true)
          GROUP BY container_name ORDER BY container_name`);
          const by = new Map(rows.map((r) => [r.container_name, r]));
          const b = by.get("busy")!;
          assert.ok(b, "busy container recorded");
          assert.equal(Number(b.n), Number(b.seconds), "one row per second");
          assert.ok(Number(b.n) >= 7, `${b.n} rows`);
          assert.equal(Number(b.rated), Number(b.n) - 1, "first sample has null rates");
          assert.ok(Math.abs(Number(b.cpu) - 200) <= 20, `busy averaged ${b.cpu} m`);
          assert.ok(Number(b.throttled) > 0);
          // REQ-COL-032: throttled 80 % of the time, its runnable task waits: CPU stall time
          // every interval after the first, none longer than the interval (1 s) and a little.
          assert.equal(Number(b.stall_rated), Number(b.n) - 1, "stall time from the 2nd sample");
          assert.ok(Number(b.stall) > 100_000, `busy stalled ${b.stall} µs per interval`);
          assert.ok(Number(b.stall_max) <= 1_200_000, `busy stalled ${b.stall_max} µs at once`);
          assert.equal(Number(b.limit_m), 200);
          assert.equal(Number(b.mem_limit), 256 * MiB);
          assert.ok(Number(b.pss) > 0, "PSS sampled");
          assert.equal(b.node, "test-node");
          assert.equal(b.ident, "test-node");
          const m = by.get("mem")!;
          assert.ok(Number(m.mem_max) - Number(m.mem_min) >= 95 * MiB, "100 MiB shows in memory");
          const c = by.get("churn")!;
          assert.ok(c && Number(c.n) >= 3 && Number(c.n) < Number(b.n), "container churn shows");

          const procs = await queryParquet(`
          SELECT container_id, count(DISTINCT pid) AS pids, max(cpu_usage_millicores) AS cpu
          FROM read_parquet(${glob(out, "processes")}) WHERE container_id = ${sqlString(busy)}
          GROUP BY container_id`);
          assert.equal(Number(procs[0].pids), 3);
          assert.ok(Number(procs[0].cpu) > 150);

          const host = await queryParquet(`
          SELECT count(*) AS n, max(collector_rss_bytes) AS rss, avg(collector_sweep_usec) AS sweep,
                 sum(collector_missed_ticks) AS missed, max(containers) AS containers
          FROM read_parquet(${glob(out, "host")})`);
          assert.ok(Number(host[0].rss) > 0 && Number(host[0].sweep) > 0);
          assert.ok(Number(host[0].containers) >= 3);
          void mem;
        },
      );

      await t.step("REQ-COL-023: hyparquet and DuckDB read the same values", async () => {
        const file = listDataFiles(out).find((f) => f.table === "containers")!;
        const mine = await readTableFile(file.path);
        const duck = await queryParquet(
          `SELECT container_id, epoch_ms(time) AS t, memory_usage_bytes AS m, cpu_usage_millicores AS c
           FROM read_parquet(${sqlString(file.path)})`,
        );
        assert.equal(duck.length, mine.rowCount);
        for (let i = 0; i < mine.rowCount; i++) {
          assert.equal(duck[i].container_id, mine.columns.container_id[i]);
          assert.equal(Number(duck[i].t), Number(mine.columns.time[i]));
          assert.equal(Number(duck[i].m), Number(mine.columns.memory_usage_bytes[i]));
          const c = mine.columns.cpu_usage_millicores[i];
          assert.equal(
            duck[i].c === null ? null : Number(duck[i].c),
            c === null ? null : Number(c),
          );
        }
      });

      await t.step(
        "REQ-COL-024: SIGKILL loses at most the last flush; restart recovers",
        async () => {
          const before = Number(
            (await queryParquet(`SELECT count(*) AS n FROM read_parquet(${glob(out, "host")})`))[0]
              .n,
          );
          const child = spawnCollect(out, ["--flush", "2s"]);
          await sleep(6500);
          const killedAt = Date.now();
          child.kill("SIGKILL");
          await finish(child);
          // A crash mid-write leaves at most a temporary file: plant one as the kernel would.
          const host = listDataFiles(out).find((f) => f.table === "host")!;
          const dir = host.path.replace(/\/[^/]+$/, "");
          Deno.writeTextFileSync(`${dir}/.host-20261122T000000Z.parquet.fgm-tmp`, "PAR1 cut short");
          for (const f of listDataFiles(out)) assert.ok(isCompleteParquet(f.path), f.path);
          const [last] = await queryParquet(
            `SELECT max(time) AS t FROM read_parquet(${glob(out, "host")})`,
          );
          assert.ok(
            killedAt - (last.t as Date).getTime() <= 10_000,
            "at most 10 s lost",
          );
          const restarted = spawnCollect(out, ["--duration", "3s"]);
          const r = await finish(restarted);
          assert.equal(r.code, 0, r.stderr);
          // The planted file, and one more when the kill landed while a segment was being written.
          const removed = Number(r.stderr.match(/(\d+) temporary files removed/)?.[1] ?? 0);
          assert.ok(removed >= 1 && removed <= 4, r.stderr);
          const tmp = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".fgm-tmp"));
          assert.deepEqual(tmp, []);
          const after = Number(
            (await queryParquet(`SELECT count(*) AS n FROM read_parquet(${glob(out, "host")})`))[0]
              .n,
          );
          assert.ok(after > before + 5);
          const dup = await queryParquet(
            `SELECT time, count(*) AS n FROM read_parquet(${
              glob(out, "host")
            }) GROUP BY time HAVING count(*) > 1`,
          );
          assert.deepEqual(dup, [], "no duplicate rows");
        },
      );

      await t.step(
        "REQ-COL-025, REQ-COL-027: compaction merges segments without loss or duplicates",
        async () => {
          const rowsBefore = await queryParquet(
            `SELECT count(*) AS n FROM read_parquet(${glob(out, "containers")})`,
          );
          const segmentsBefore = listDataFiles(out).filter((f) => !f.compacted).length;
          const r = await finish(
            // Span 30 s: segments (one a second) merge per aligned 5 s window.
            spawnCollect(out, [
              "--duration",
              "14s",
              "--flush",
              "1s",
              "--compact-after",
              "1s",
              "--compact-span",
              "30s",
            ]),
          );
          assert.equal(r.code, 0, r.stderr);
          // REQ-COL-027: this run's first-tier windows come from memory, not from child merges.
          const inMemory = Number(r.stderr.match(/(\d+) windows compacted in memory/)?.[1]);
          assert.ok(inMemory >= 3, r.stderr);
          const files = listDataFiles(out);
          assert.ok(files.some((f) => f.compacted), "compacted files exist");
          assert.ok(files.filter((f) => !f.compacted).length < segmentsBefore + 3 * 14);
          const [n] = await queryParquet(
            `SELECT count(*) AS n, count(DISTINCT (container_id, time)) AS u FROM read_parquet(${
              glob(out, "containers")
            })`,
          );
          assert.equal(Number(n.n), Number(n.u), "no duplicates");
          assert.ok(Number(n.n) > Number(rowsBefore[0].n), "nothing lost");
        },
      );

      await t.step(
        "REQ-COL-026: --max-disk deletes the oldest files and keeps collecting",
        async () => {
          const total = listDataFiles(out).reduce((s, f) => s + f.sizeBytes, 0);
          const budget = Math.floor(total / 3);
          const r = await finish(
            spawnCollect(out, ["--duration", "4s", "--flush", "1s", "--max-disk", String(budget)]),
          );
          assert.equal(r.code, 0, r.stderr);
          const left = listDataFiles(out);
          const size = left.reduce((s, f) => s + f.sizeBytes, 0);
          assert.ok(size <= budget + 64 * 1024, `${size} bytes left for a ${budget} budget`);
          const [last] = await queryParquet(
            `SELECT max(time) AS t FROM read_parquet(${glob(out, "host")})`,
          );
          assert.ok(Date.now() - (last.t as Date).getTime() < 5000, "still collecting");
        },
      );
      void churn;
    } finally {
      await daemon.stop();
      Deno.removeSync(out, { recursive: true });
    }
  },
});
