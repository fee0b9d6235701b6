import assert from "node:assert/strict";
import { advance, cadenceDue, flushDue, nextTick, sleepUntil } from "./schedule.ts";

Deno.test("REQ-COL-001: nextTick() lands on whole multiples of the interval", () => {
  assert.equal(nextTick(1_000_500, 1000), 1_001_000);
  assert.equal(nextTick(1_001_000, 1000), 1_002_000);
  assert.equal(nextTick(7_250, 5000), 10_000);
});

Deno.test("REQ-COL-002: advance() keeps the schedule and counts missed ticks", () => {
  // On time: the sweep took 30 ms.
  assert.deepEqual(advance(10_000, 10_030, 1000), { next: 11_000, missed: 0, steppedBackMs: 0 });
  // Late by 2.5 intervals: ticks 11 000 and 12 000 are missed, the next is 13 000, not 13 530.
  assert.deepEqual(advance(10_000, 12_530, 1000), { next: 13_000, missed: 2, steppedBackMs: 0 });
  // Woken early (timer jitter): still the next multiple after the scheduled tick.
  assert.deepEqual(advance(10_000, 9_990, 1000), { next: 11_000, missed: 0, steppedBackMs: 0 });
});

Deno.test("REQ-COL-034: advance() follows a wall clock stepped back by more than an interval", () => {
  // An NTP step of one hour back during the tick at 3 610 000: the next tick is the next whole
  // second of the clock as it now reads, not an hour away.
  assert.deepEqual(advance(3_610_000, 10_250, 1000), {
    next: 11_000,
    missed: 0,
    steppedBackMs: 3_599_750,
  });
  // Less than an interval behind is timer jitter, not a step.
  assert.equal(advance(10_000, 9_001, 1000).steppedBackMs, 0);
});

Deno.test("REQ-COL-034: sleepUntil() stops waiting when the wall clock is stepped back during the wait", async () => {
  const never = new AbortController().signal;
  let offset = 0;
  const now = () => Date.now() + offset;
  const target = now() + 100;
  const started = performance.now();
  setTimeout(() => offset = -3_600_000, 30); // the clock jumps back an hour
  await sleepUntil(target, never, { slackMs: 100, now });
  const waited = performance.now() - started;
  assert.ok(waited >= 150 && waited < 1000, `waited ${waited} ms`);
  assert.ok(now() < target, "gave up on the wall clock, as planned");
  // Without a step it waits for the wall clock, timers firing early or not.
  const t2 = Date.now() + 80;
  await sleepUntil(t2, never, { slackMs: 100 });
  assert.ok(Date.now() >= t2);
  // An abort ends the wait at once.
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 20);
  const t3 = performance.now();
  await sleepUntil(Date.now() + 60_000, abort.signal);
  assert.ok(performance.now() - t3 < 1000);
});

Deno.test("REQ-COL-034: flushDue() and cadenceDue() are due at once after a step back", () => {
  assert.equal(flushDue(20_000, 10_000, 10_000), true);
  assert.equal(flushDue(19_000, 10_000, 10_000), false);
  assert.equal(flushDue(5_000, 3_610_000, 10_000), true, "clock went back past the last flush");
  assert.equal(cadenceDue(10_000, 10_000, 10_000), true);
  assert.equal(cadenceDue(9_000, 10_000, 10_000), false);
  assert.equal(cadenceDue(10_000, 3_610_000, 10_000), true, "the plan is an hour ahead");
});
