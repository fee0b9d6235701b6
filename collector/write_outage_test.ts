import assert from "node:assert/strict";
import { nextWriteOutage, OUTAGE_REPORT_MS, type WriteOutage } from "./write_outage.ts";

const ERR = '"/d/host-x.parquet": No space left on device (os error 28)';

Deno.test("REQ-COL-030: a write outage is said when it starts, counted once a minute, and said when it ends", () => {
  let state: WriteOutage | null = null;
  const said: string[] = [];
  const flush = (ms: number, failed: number, rowsWaiting = 100) => {
    const r = nextWriteOutage(state, ms, {
      failed,
      error: failed ? ERR : undefined,
      written: failed ? 0 : 3,
      rowsWaiting,
    });
    state = r.state;
    said.push(...r.lines);
  };
  flush(0, 0);
  assert.deepEqual(said, [], "nothing to say while writing works");
  // 19 flushes of 3 failing files in 95 s: one line at the start, one count at the minute.
  for (let k = 0; k < 19; k++) flush(k * 5000, 3, 300 + k * 300);
  assert.equal(said.length, 2, said.join("\n"));
  assert.match(said[0], /^cannot write "\/d\/host-x\.parquet": No space left on device/);
  assert.match(said[1], /^still cannot write after 60 s: 39 failed file writes, 3900 rows waiting/);
  assert.equal(state!.failures, 57);
  flush(100_000, 0, 0);
  assert.equal(said.length, 3);
  assert.equal(said[2], "writing works again after 57 failed file writes over 100 s");
  assert.equal(state, null);
  // A later outage starts afresh.
  flush(200_000, 1);
  assert.equal(said.length, 4);
  assert.match(said[3], /^cannot write /);
  assert.equal(OUTAGE_REPORT_MS, 60_000);
});
