/**
 * Churn soak: `fgm collect` (default settings, its own process) records a private dockerd in which
 * a short-lived container is started every second and the oldest removed, so that about
 * `--live` containers run at any time and hundreds come and go. Every `--sample` seconds the
 * collector's RSS and open file descriptors are read from /proc; at the end it is stopped with
 * SIGTERM and every file it wrote is read back (hyparquet and DuckDB). Prints a Markdown report:
 * ticks, missed ticks, errors, containers seen, RSS and fds over time (growth between the first and
 * last quarter), files and rows. Needs root and the packages of `.ci/install_system_packages.sh`.
 *
 * ```sh
 * npx deno task soak                         # 10 minutes
 * npx deno run -A bench/churn_soak.ts --minutes=2 --live=5
 * ```
 *
 * @module
 */

import { startDockerd } from "../tests/support/dockerd.ts";
import { spawnFgm } from "../tests/support/fgm.ts";
import { queryParquet, sqlString } from "../tests/support/duckdb.ts";
import { listDataFiles } from "../collector/files.ts";
import { readTableFile } from "../collector/parquet/read.ts";
import { markdownTable } from "./table.ts";

const args = Object.fromEntries(
  Deno.args.filter((a) => a.startsWith("--")).map((a) => {
    const [k, v] = a.slice(2).split("=");
    return [k, v ?? "true"];
  }),
);
const MINUTES = Number(args.minutes ?? 10);
const LIVE = Number(args.live ?? 8);
const SAMPLE_S = Number(args.sample ?? 10);

/** RSS (kB) and open fds of a process, or `null` once it exited. */
function sampleProcess(pid: number): { rssKiB: number; fds: number } | null {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const rss = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? NaN);
    let fds = 0;
    for (const _ of Deno.readDirSync(`/proc/${pid}/fd`)) fds++;
    return { rssKiB: rss, fds };
  } catch {
    return null;
  }
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;

const daemon = await startDockerd();
const out = Deno.makeTempDirSync({ prefix: "fgm-soak-" });
let collector: Deno.ChildProcess | null = null;
const stop = async () => {
  try {
    collector?.kill("SIGKILL");
  } catch { /* exited */ }
  await daemon.stop();
  Deno.removeSync(out, { recursive: true });
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => stop().finally(() => Deno.exit(130)));
}
try {
  collector = spawnFgm(["collect", "--out", out, "--identifier", "soak"], {
    stdout: "null",
    stderr: "piped",
  });
  const stderr = new Response(collector.stderr).text();
  const samples: { s: number; rssKiB: number; fds: number }[] = [];
  const live: string[] = [];
  let started = 0;
  let failedStarts = 0;
  const t0 = performance.now();
  const endMs = t0 + MINUTES * 60_000;
  let nextSample = t0 + SAMPLE_S * 1000;
  let nextStart = t0;
  while (performance.now() < endMs) {
    const now = performance.now();
    if (now >= nextSample) {
      const s = sampleProcess(collector.pid);
      if (s === null) throw new Error("the collector exited during the soak");
      samples.push({ s: Math.round((now - t0) / 1000), ...s });
      nextSample += SAMPLE_S * 1000;
    }
    if (now >= nextStart) {
      nextStart += 1000;
      try {
        live.push(await daemon.run({ cmd: ["sh", "-c", "sleep 3600; true"] }));
        started++;
      } catch {
        failedStarts++;
      }
      if (live.length > LIVE) await daemon.remove(live.shift()!).catch(() => {});
    }
    await new Promise((r) =>
      setTimeout(r, Math.max(0, Math.min(nextStart, nextSample) - performance.now()))
    );
  }
  collector.kill("SIGTERM");
  const status = await collector.status;
  const said = (await stderr).trim().split("\n");

  // Every file readable by two readers; the host table's own figures.
  const files = listDataFiles(out);
  let rows = 0;
  for (const f of files) rows += (await readTableFile(f.path)).rowCount;
  const [host] = await queryParquet(`
    SELECT count(*) AS ticks, sum(collector_missed_ticks) AS missed, sum(collector_errors) AS errors,
           sum(collector_write_errors) AS write_errors, max(containers) AS max_containers,
           quantile_cont(collector_sweep_usec, 0.5) / 1000 AS sweep_ms,
           quantile_cont(collector_sweep_usec, 0.99) / 1000 AS sweep_p99_ms
    FROM read_parquet(${sqlString(`${out}/host/**/*.parquet`)})`);
  const [seen] = await queryParquet(`
    SELECT count(DISTINCT container_id) AS n FROM read_parquet(${
    sqlString(`${out}/containers/**/*.parquet`)
  })`);
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const first = samples.slice(0, quarter);
  const last = samples.slice(-quarter);
  console.log(`## Churn soak: ${MINUTES} min, a container started every second, ${LIVE} alive\n`);
  console.log(markdownTable([
    ["figure", "value"],
    ["collector exit", `${status.code}${status.signal ? ` (${status.signal})` : ""}`],
    ["containers started (failed starts)", `${started} (${failedStarts})`],
    ["containers in the data", String(seen.n)],
    ["ticks recorded (host rows)", String(host.ticks)],
    ["missed ticks", String(host.missed)],
    ["errors (of which write errors)", `${host.errors} (${host.write_errors})`],
    [
      "sweep median / p99",
      `${Number(host.sweep_ms).toFixed(1)} / ${Number(host.sweep_p99_ms).toFixed(1)} ms`,
    ],
    ["files, rows (all read back by hyparquet and DuckDB)", `${files.length}, ${rows}`],
    [
      "RSS min / max (MiB)",
      `${(Math.min(...samples.map((x) => x.rssKiB)) / 1024).toFixed(0)} / ${
        (Math.max(...samples.map((x) => x.rssKiB)) / 1024).toFixed(0)
      }`,
    ],
    [
      "RSS median, first → last quarter (MiB)",
      `${(median(first.map((x) => x.rssKiB)) / 1024).toFixed(0)} → ${
        (median(last.map((x) => x.rssKiB)) / 1024).toFixed(0)
      }`,
    ],
    [
      "fds min / max",
      `${Math.min(...samples.map((x) => x.fds))} / ${Math.max(...samples.map((x) => x.fds))}`,
    ],
    [
      "fds median, first → last quarter",
      `${median(first.map((x) => x.fds))} → ${median(last.map((x) => x.fds))}`,
    ],
    ["stderr lines", String(said.filter((l) => l !== "").length)],
  ]));
  console.log("\nRSS (MiB) and fds over time:\n");
  console.log(markdownTable([
    ["s", "RSS MiB", "fds"],
    ...samples.map((x) => [String(x.s), (x.rssKiB / 1024).toFixed(0), String(x.fds)]),
  ]));
  console.log("\nstderr of the collector (last 10 lines):\n");
  for (const line of said.slice(-10)) console.log(`    ${line}`);
} finally {
  await stop();
}
