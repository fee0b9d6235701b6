import assert from "node:assert/strict";
import { ArgumentError } from "./errors.ts";
import { parseTimeArg, resolveRange } from "./time.ts";

const whole = { startMs: Date.UTC(2026, 11, 5, 10), endMs: Date.UTC(2026, 11, 5, 11) };

Deno.test("REQ-MCP-010: times are epoch ms or ISO 8601, anything else is refused", () => {
  assert.equal(parseTimeArg("from", 5), 5);
  assert.equal(parseTimeArg("from", "1764928800000"), 1764928800000);
  assert.equal(parseTimeArg("from", "2026-12-05T10:00:00Z"), whole.startMs);
  assert.throws(() => parseTimeArg("from", "yesterday"), ArgumentError);
  assert.throws(() => parseTimeArg("to", Number.NaN), /to must be epoch milliseconds/);
});

Deno.test("REQ-MCP-010: ranges: whole, last, defaults, and refusals", () => {
  assert.deepEqual(resolveRange({}, whole), { fromMs: whole.startMs, toMs: whole.endMs + 1000 });
  assert.deepEqual(resolveRange({ last: "5m" }, whole), {
    fromMs: whole.endMs + 1000 - 300_000,
    toMs: whole.endMs + 1000,
  });
  assert.deepEqual(resolveRange({}, whole, 10_000), {
    fromMs: whole.endMs - 9000,
    toMs: whole.endMs + 1000,
  });
  const to = whole.startMs + 60_000;
  assert.deepEqual(resolveRange({ to }, whole, 10_000), { fromMs: whole.startMs, toMs: to });
  assert.throws(() => resolveRange({ last: "5m", from: 1 }, whole), /either last or from\/to/);
  assert.throws(() => resolveRange({ last: "soon" }, whole), /last: "soon" is not a duration/);
  assert.throws(() => resolveRange({ from: to, to: whole.startMs }, whole), /must be after from/);
  assert.throws(
    () => resolveRange({ from: "2001-01-01", to: "2001-01-02" }, whole),
    /lies outside the recording, which holds 2026-12-05T10:00:00.000Z to 2026-12-05T11:00:00.000Z/,
  );
  assert.throws(() => resolveRange({ from: whole.endMs + 1 }, whole), ArgumentError);
});
