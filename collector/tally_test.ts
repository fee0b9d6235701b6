import assert from "node:assert/strict";
import { collectorFigures, RunTally } from "./tally.ts";

Deno.test("REQ-COL-006: RunTally counts each error once for the run and once for the next host row", () => {
  const t = new RunTally();
  t.error(); // an unreadable cgroup file
  t.error(2); // API failures
  t.error(0);
  t.writeFailed(3); // failed segment writes: errors too, and counted apart
  t.missed(4);
  assert.deepEqual(t.takeRow(), { errors: 6, writeErrors: 3, missedTicks: 4 });
  assert.deepEqual(t.takeRow(), { errors: 0, writeErrors: 0, missedTicks: 0 }, "a new row");
  t.error();
  t.missed(1);
  assert.deepEqual(t.takeRow(), { errors: 1, writeErrors: 0, missedTicks: 1 });
  assert.equal(t.errors, 7, "the run's total");
  assert.equal(t.missedTicks, 5);
});

Deno.test("REQ-COL-006: collectorFigures() gives the collector's CPU between two samples of its stat, null at the first", () => {
  const counts = { errors: 2, writeErrors: 1, missedTicks: 0 };
  const measured = { rssBytes: 50 << 20, sweepMs: 12.5, pssMs: null };
  // 3 ticks of 10 ms over 2 s: 15 ms per second, 15 millicores.
  assert.deepEqual(
    collectorFigures(
      { before: { ticks: 100, ms: 1000 }, now: { ticks: 103, ms: 3000 } },
      measured,
      counts,
    ),
    {
      cpuMillicores: 15,
      rssBytes: 50 << 20,
      sweepMs: 12.5,
      pssMs: null,
      missedTicks: 0,
      errors: 2,
      writeErrors: 1,
    },
  );
  const first = collectorFigures({ before: null, now: { ticks: 1, ms: 1 } }, measured, counts);
  assert.equal(first.cpuMillicores, null);
  const unknown = collectorFigures({ before: { ticks: 1, ms: 1 }, now: null }, measured, counts);
  assert.equal(unknown.cpuMillicores, null);
});
