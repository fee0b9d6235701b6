/**
 * The viewer's speed and memory (REQ-VIEW-030), on the day of 50 containers × 5 processes that
 * bench/viewer_dataset.ts lays out and compacts as `fgm collect` does, measured side by side with
 * DuckDB (`@duckdb/node-api`, a multi-threaded C++ engine) answering the same questions on the same
 * files, interleaved round by round (the machine is noisy: compare within a round, never across
 * runs):
 *
 * - **day**: one metric of all 50 containers over the whole 24 h, reduced to ~1000 buckets of
 *   min/max/mean — fgm cold (a recording opened anew: footers and chunks read), fgm warm (the same
 *   query again: decoded chunks cached), fgm with another metric (footers known, chunks not),
 *   DuckDB (the bucketed `GROUP BY` over `read_parquet` with the same bucket width and range);
 * - **5 min**: a zoomed query at the end of the day (fgm answers with the samples themselves);
 * - **containers**: the container list of the day (fgm cold and warm; DuckDB `SELECT DISTINCT`).
 *
 * Then, in its own process as a user runs it: `fgm view` on the directory, timed from spawn until
 * Chromium has drawn the first panel (`data-state="ready"`), and its peak RSS (VmHWM) after a
 * session of every default panel, 20 metrics over the whole day, zooms and the container list.
 *
 * ```sh
 * npx deno run -A bench/viewer_dataset.ts --out=/tmp/fgm-day --hours=24   # once, ~70 s
 * npx deno run -A bench/viewer_bench.ts --dir=/tmp/fgm-day --rounds=5
 * ```
 *
 * @module
 */

import { DuckDBInstance } from "@duckdb/node-api";
import { openRecording } from "../recording/recording.ts";
import { spawnFgm } from "../tests/support/fgm.ts";
import { launchBrowser } from "../tests/support/browser.ts";
import { markdownTable } from "./table.ts";
import { waitForPanels } from "../tests/support/view_page.ts";

const args = Object.fromEntries(
  Deno.args.filter((a) => a.startsWith("--")).map((a) => {
    const [k, v] = a.slice(2).split("=");
    return [k, v ?? "true"];
  }),
);
const DIR = args.dir ?? "/tmp/fgm-day";
const ROUNDS = Number(args.rounds ?? 5);
const METRIC = "cpu_usage_millicores";
const OTHER = "memory_working_set_bytes";

if (!Deno.statSync(`${DIR}/_dataset.json`).isFile) {
  throw new Error(`Cannot find a complete dataset in "${DIR}": run bench/viewer_dataset.ts first`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
};

const probe = await openRecording(DIR);
const whole = (await probe.range())!;
const dayQuery = {
  table: "containers",
  fromMs: whole.startMs,
  toMs: whole.endMs + 1,
  points: 1000,
};
const zoom = { ...dayQuery, fromMs: whole.endMs + 1 - 5 * 60_000 };
const step = (await probe.series({ ...dayQuery, metric: METRIC })).stepMs;
probe.close();

const duck = await DuckDBInstance.create(":memory:");
const conn = await duck.connect();
const glob = `'${DIR}/containers/**/*.parquet'`;
const iso = (ms: number) =>
  `TIMESTAMP '${new Date(ms).toISOString().replace("T", " ").slice(0, 23)}'`;
const duckDay = (metric: string, fromMs: number, toMs: number, stepMs: number) =>
  conn.runAndReadAll(`
    SELECT container_id, time_bucket(INTERVAL '${stepMs / 1000} seconds', time, ${iso(0)}) AS b,
           min(${metric}) AS lo, max(${metric}) AS hi, avg(${metric}) AS mean
    FROM read_parquet(${glob})
    WHERE time >= ${iso(fromMs)} AND time < ${iso(toMs)}
    GROUP BY ALL ORDER BY container_id, b`);
const duckZoom = () =>
  conn.runAndReadAll(`
    SELECT container_id, time, ${METRIC} FROM read_parquet(${glob})
    WHERE time >= ${iso(zoom.fromMs)} AND time < ${iso(zoom.toMs)} ORDER BY container_id, time`);
const duckList = () =>
  conn.runAndReadAll(
    `SELECT DISTINCT container_id, container_name, namespace, pod_name FROM read_parquet(${glob})`,
  );

const times: Record<string, number[]> = {};
const add = (k: string, ms: number) => (times[k] ??= []).push(ms);
let checked = false;
// `--browser-only`: skip the queries side by side, measure the viewer as a user runs it.
for (let r = 0; r < (args["browser-only"] ? 0 : ROUNDS); r++) {
  // fgm, cold: a recording opened anew (the OS page cache is warm for both engines).
  const [open, rec] = await time(() => openRecording(DIR));
  add("fgm open (walk the directory)", open);
  const [cold, day] = await time(() => rec.series({ ...dayQuery, metric: METRIC }));
  add("day, fgm cold (footers + chunks read)", cold);
  const [warm] = await time(() => rec.series({ ...dayQuery, metric: METRIC }));
  add("day, fgm warm (chunks cached)", warm);
  const [other] = await time(() => rec.series({ ...dayQuery, metric: OTHER }));
  add("day, fgm another metric (footers known)", other);
  const [zoomMs, z] = await time(() => rec.series({ ...zoom, metric: METRIC }));
  add("5 min, fgm", zoomMs);
  const [listMs, list] = await time(() => rec.entities(dayQuery));
  add("containers, fgm first", listMs);
  const [list2] = await time(() => rec.entities(dayQuery));
  add("containers, fgm again", list2);
  rec.close();
  // DuckDB, the same questions.
  const [dd, duckRows] = await time(() => duckDay(METRIC, dayQuery.fromMs, dayQuery.toMs, step));
  add("day, DuckDB", dd);
  const [ddOther] = await time(() => duckDay(OTHER, dayQuery.fromMs, dayQuery.toMs, step));
  add("day, DuckDB another metric", ddOther);
  const [dz] = await time(duckZoom);
  add("5 min, DuckDB", dz);
  const [dl, duckListRows] = await time(duckList);
  add("containers, DuckDB", dl);
  if (!checked) {
    // The same answer: as many series, buckets and containers.
    const buckets = day.series.reduce(
      (n, s) => n + s.t.filter((_, i) => s.max[i] !== null).length,
      0,
    );
    if (day.series.length !== 50 || buckets !== duckRows.currentRowCount) {
      throw new Error(
        `fgm and DuckDB disagree: ${day.series.length} series, ${buckets} buckets vs ${duckRows.currentRowCount} rows`,
      );
    }
    if (list.length !== duckListRows.currentRowCount || z.stepMs !== 0) {
      throw new Error(`containers ${list.length} vs ${duckListRows.currentRowCount}`);
    }
    checked = true;
  }
}
conn.closeSync();
duck.closeSync();

// The viewer as a user runs it: spawn → first chart in Chromium; peak RSS over a session.
const browser = await launchBrowser();
const firstChart: number[] = [];
const urlShown: number[] = [];
let hwmKiB = 0;
try {
  for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
    const started = performance.now();
    const child = spawnFgm(["view", DIR, "--port", "0"], { stderr: "null" });
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    let url: string | null = null;
    while (url === null) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`fgm view printed no URL: ${out}`);
      out += value;
      url = out.match(/(http:\/\/\S+\/)/)?.[1] ?? null;
    }
    urlShown.push(performance.now() - started);
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector("[data-testid=panel][data-state=ready]", { timeout: 60_000 });
    firstChart.push(performance.now() - started);
    if (r === 0) {
      // A session: every panel drawn, 20 metrics of all containers over the day, zooms, the list.
      await waitForPanels(page, 5, 60_000);
      const metrics = (await (await fetch(`${url}api/metrics`)).json()).metrics as {
        table: string;
        name: string;
      }[];
      for (const m of metrics.filter((m) => m.table !== "host").slice(0, 20)) {
        await (await fetch(
          `${url}api/timeseries?table=${m.table}&metric=${m.name}&points=1500`,
        )).arrayBuffer();
      }
      for (let k = 1; k <= 8; k++) {
        const to = whole.endMs - k * 3_600_000;
        await (await fetch(
          `${url}api/timeseries?metric=${METRIC}&from=${to - 600_000}&to=${to}&points=1500`,
        )).arrayBuffer();
      }
      await (await fetch(`${url}api/containers`)).arrayBuffer();
      const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      hwmKiB = Number(status.match(/^VmHWM:\s+(\d+) kB/m)?.[1]);
    }
    await page.close();
    child.kill("SIGTERM");
    await reader.cancel();
    await child.status;
  }
} finally {
  await browser.close();
}

const rows = Object.entries(times).map(([k, v]) => [
  k,
  median(v).toFixed(1),
  Math.min(...v).toFixed(1),
  Math.max(...v).toFixed(1),
]);
console.log(
  `\n${DIR}: day = ${new Date(whole.startMs).toISOString()} … ${
    new Date(whole.endMs).toISOString()
  }, bucket ${step / 1000} s, ${ROUNDS} rounds interleaved\n`,
);
console.log(markdownTable([["query", "median ms", "min", "max"], ...rows]));
if (times["day, DuckDB"]) {
  const ratio = median(times["day, fgm cold (footers + chunks read)"]) /
    median(times["day, DuckDB"]);
  console.log(`\nday cold: fgm / DuckDB = ${ratio.toFixed(2)} (≤ 1 is the target)`);
  console.log(
    `day warm: fgm / DuckDB = ${
      (median(times["day, fgm warm (chunks cached)"]) / median(times["day, DuckDB"])).toFixed(2)
    }`,
  );
}
console.log(
  `fgm view spawn → URL printed: ${urlShown.map((x) => x.toFixed(0)).join(", ")} ms`,
);
console.log(
  `fgm view spawn → first chart drawn in Chromium: ${
    firstChart.map((x) => x.toFixed(0)).join(", ")
  } ms (target ≤ 1000)`,
);
console.log(`fgm view peak RSS over the session: ${(hwmKiB / 1024).toFixed(0)} MiB (target ≤ 300)`);
