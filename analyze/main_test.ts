import assert from "node:assert/strict";
import { parseAnalyzeArgs, resolveTime } from "./main.ts";
import { UsageError } from "../cli/errors.ts";
import { runFgm } from "../tests/support/fgm.ts";
import { T0, writeStudyRecording } from "./testing_recording.ts";

Deno.test("REQ-ANA-050: fgm analyze flags", () => {
  const o = parseAnalyzeArgs([
    "data",
    "--study",
    "correlation",
    "--metric",
    "cpu_throttled_usec",
    "--container",
    "web",
    "--max-lag",
    "10s",
    "--top",
    "3",
    "--from",
    "-1h",
    "--json",
  ]);
  assert.ok(o !== "help");
  assert.deepEqual(
    [
      o.path,
      o.json,
      o.from,
      o.params.study,
      o.params.container,
      o.params.maxLagSeconds,
      o.params.top,
    ],
    ["data", true, "-1h", "correlation", "web", 10, 3],
  );
  assert.equal(parseAnalyzeArgs(["-h"]), "help");
  const bad: [string[], RegExp][] = [
    [["--study", "periodicity", "--metric", "m"], /which recording/],
    [["d", "--metric", "m"], /--study takes periodicity, changepoint, correlation \(required\)/],
    [["d", "--study", "fft", "--metric", "m"], /not "fft"/],
    [["d", "--study", "changepoint"], /--metric needs a column/],
    [
      ["d", "--study", "changepoint", "--metric", "m", "--cost", "l1"],
      /--cost takes mean or meanvar/,
    ],
    [
      ["d", "--study", "changepoint", "--metric", "m", "--points", "5"],
      /--points takes a whole number/,
    ],
    [["d", "--study", "correlation", "--metric", "m", "--max-lag", "2h"], /--max-lag takes/],
    [["d", "--study", "correlation", "--metric", "m", "--container", ""], /--container needs/],
    [["d", "--study", "correlation", "--metric", "m", "--bogus"], /analyze: /],
  ];
  for (const [args, message] of bad) {
    assert.throws(
      () => parseAnalyzeArgs(args),
      (e) => e instanceof UsageError && message.test(e.message),
      args.join(" "),
    );
  }
});

Deno.test("REQ-ANA-050: --from/--to: ISO dates, epoch ms, +duration from the start, -duration from the end", () => {
  const range = { startMs: 1_000_000, endMs: 4_599_999 };
  assert.equal(resolveTime("--from", "2026-12-04T10:00:00Z", range), T0);
  assert.equal(resolveTime("--from", "1796378400000", range), 1796378400000);
  assert.equal(resolveTime("--from", "+10m", range), 1_600_000);
  assert.equal(resolveTime("--from", "-1h", range), 1_000_000);
  assert.throws(() => resolveTime("--to", "yesterday", range), /--to takes an ISO date/);
  assert.throws(() => resolveTime("--to", "-1h", null), /the recording is empty/);
});

Deno.test("REQ-ANA-051: fgm analyze end to end: text for a terminal, --json as specified, errors in one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_analyze_cli_" });
  try {
    await writeStudyRecording(dir, {
      seconds: 600,
      containers: [
        {
          name: "spiky",
          values: { cpu_usage_millicores: (s) => (s % 10 === 0 ? 900 : 100) + (s % 3) },
        },
        {
          name: "steady",
          values: { cpu_usage_millicores: (s) => (s < 300 ? 200 : 450) + ((s * 7) % 5) },
        },
      ],
    });
    const text = await runFgm([
      "analyze",
      dir,
      "--study",
      "periodicity",
      "--metric",
      "cpu_usage_millicores",
    ]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^periodicity of containers\.cpu_usage_millicores \(millicores\)/);
    assert.match(
      text.stdout,
      /\nspiky {2}node-a\/node-a-spiky-id\n {2}period 10 s {2}confidence \d+ %/,
    );
    assert.match(text.stdout, /\nsteady {2}node-a\/node-a-steady-id\n {2}no period/);

    const cp = await runFgm([
      "analyze",
      dir,
      "--study",
      "changepoint",
      "--metric",
      "cpu_usage_millicores",
      "--container",
      "steady",
      "--json",
    ]);
    assert.equal(cp.code, 0, cp.stderr);
    const j = JSON.parse(cp.stdout);
    assert.deepEqual(Object.keys(j), [
      "study",
      "table",
      "metric",
      "unit",
      "kind",
      "increments",
      "fromMs",
      "toMs",
      "stepMs",
      "notes",
      "parameters",
      "results",
    ]);
    assert.equal(j.results.length, 1);
    assert.equal(j.results[0].changepoints[0].atMs, T0 + 300_000);

    const missing = await runFgm([
      "analyze",
      dir,
      "--study",
      "changepoint",
      "--metric",
      "cpu_usage_millicores",
      "--container",
      "nope",
    ]);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr.trim(),
      `fgm: analyze: no container "nope" in the range (2 containers there)`,
    );
    const usage = await runFgm(["analyze", dir, "--metric", "x"]);
    assert.equal(usage.code, 2);
    const nothing = await runFgm([
      "analyze",
      `${dir}/nope`,
      "--study",
      "changepoint",
      "--metric",
      "x",
    ]);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /^fgm: Cannot open ".*nope": /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
