import assert from "node:assert/strict";
import { parseCollectArgs } from "./main.ts";
import { UsageError } from "../cli/errors.ts";

Deno.test("REQ-COL-003: parseCollectArgs() reads durations, sizes and defaults", () => {
  const o = parseCollectArgs([
    "--out",
    "/data/",
    "--interval",
    "500ms",
    "--retention",
    "7d",
    "--max-disk",
    "2G",
    "--identifier",
    "node-a",
  ]);
  assert.ok(o !== "help");
  assert.equal(o.out, "/data");
  assert.equal(o.intervalMs, 500);
  assert.equal(o.retentionMs, 7 * 86_400_000);
  assert.equal(o.maxDiskBytes, 2 * 1024 ** 3);
  assert.equal(o.node, "node-a");
  assert.equal(o.pssIntervalMs, 10_000);
  assert.equal(o.flushMs, 10_000);
  assert.equal(o.durationMs, null);
  const d = parseCollectArgs([]);
  assert.ok(d !== "help");
  assert.equal(d.out, "./fgm-data");
  assert.equal(d.intervalMs, 1000);
  assert.equal(d.retentionMs, null);
});

Deno.test("REQ-COL-003: parseCollectArgs() refuses bad values with usage errors", () => {
  assert.throws(() => parseCollectArgs(["--interval", "soon"]), UsageError);
  assert.throws(() => parseCollectArgs(["--interval", "10ms"]), UsageError);
  assert.throws(() => parseCollectArgs(["--max-disk", "lots"]), UsageError);
  assert.throws(() => parseCollectArgs(["--bogus"]), UsageError);
  assert.throws(() => parseCollectArgs(["extra"]), UsageError);
  // REQ-COL-010: the identifier names a directory.
  for (const bad of ["", ".", "..", "a/b", "../x", "a\0b"]) {
    assert.throws(() => parseCollectArgs(["--identifier", bad]), UsageError, `"${bad}"`);
  }
  assert.equal(
    (parseCollectArgs(["--identifier", "node-a.example"]) as { node: string }).node,
    "node-a.example",
  );
  assert.equal(parseCollectArgs(["--help"]), "help");
});
