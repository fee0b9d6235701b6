import assert from "node:assert/strict";
import { advance, nextTick, parseDuration, parseSize } from "./schedule.ts";

Deno.test("REQ-COL-001: nextTick() lands on whole multiples of the interval", () => {
  assert.equal(nextTick(1_000_500, 1000), 1_001_000);
  assert.equal(nextTick(1_001_000, 1000), 1_002_000);
  assert.equal(nextTick(7_250, 5000), 10_000);
});

Deno.test("REQ-COL-002: advance() keeps the schedule and counts missed ticks", () => {
  // On time: the sweep took 30 ms.
  assert.deepEqual(advance(10_000, 10_030, 1000), { next: 11_000, missed: 0 });
  // Late by 2.5 intervals: ticks 11 000 and 12 000 are missed, the next is 13 000, not 13 530.
  assert.deepEqual(advance(10_000, 12_530, 1000), { next: 13_000, missed: 2 });
  // Woken early (timer jitter): still the next multiple after the scheduled tick.
  assert.deepEqual(advance(10_000, 9_990, 1000), { next: 11_000, missed: 0 });
});

Deno.test("REQ-COL-003: parseDuration() and parseSize() read human units", () => {
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("10s"), 10_000);
  assert.equal(parseDuration("1.5"), 1500);
  assert.equal(parseDuration("2h"), 7_200_000);
  assert.equal(parseDuration("7d"), 604_800_000);
  assert.throws(() => parseDuration("soon"), TypeError);
  assert.equal(parseSize("1024"), 1024);
  assert.equal(parseSize("500M"), 500 * 1024 * 1024);
  assert.equal(parseSize("1.5GiB"), 1.5 * 1024 ** 3);
  assert.throws(() => parseSize("lots"), TypeError);
});
