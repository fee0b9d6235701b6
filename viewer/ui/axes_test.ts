import assert from "node:assert/strict";
import { formatTimeTick, niceStep, timeTicks, valueRange, valueTicks } from "./axes.ts";

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);

Deno.test("REQ-VIEW-043: time ticks fall on whole steps of the time zone", () => {
  const hour = timeTicks(T0 + 7_000, T0 + 3_600_000, 7, true);
  assert.equal(hour.stepMs, 600_000);
  assert.deepEqual(hour.ticks.slice(0, 2), [T0 + 600_000, T0 + 1_200_000]);
  assert.equal(hour.ticks.at(-1), T0 + 3_600_000);
  const fiveMin = timeTicks(T0, T0 + 300_000, 8, true);
  assert.equal(fiveMin.stepMs, 60_000);
  const day = timeTicks(T0, T0 + 86_400_000, 8, true);
  assert.equal(day.stepMs, 6 * 3_600_000);
  for (const t of day.ticks) assert.equal(t % (6 * 3_600_000), 0);
  const tenSeconds = timeTicks(T0 + 1, T0 + 10_000, 6, true);
  assert.equal(tenSeconds.stepMs, 2000);
  assert.deepEqual(timeTicks(T0, T0, 5, true), { stepMs: 0, ticks: [] });
});

Deno.test("REQ-VIEW-043: local time ticks fall on local whole hours", () => {
  const { ticks } = timeTicks(T0, T0 + 12 * 3_600_000, 7, false);
  for (const t of ticks) {
    const d = new Date(t);
    assert.equal(d.getMinutes(), 0);
    assert.equal(d.getSeconds(), 0);
  }
});

Deno.test("REQ-VIEW-043: time tick labels by step", () => {
  assert.equal(formatTimeTick(T0 + 5000, 5000, true), "10:00:05");
  assert.equal(formatTimeTick(T0 + 600_000, 600_000, true), "10:10");
  assert.equal(formatTimeTick(Date.UTC(2026, 0, 2), 3_600_000, true), "Jan 02");
  assert.equal(formatTimeTick(Date.UTC(2026, 0, 2), 86_400_000, true), "Jan 02");
  assert.equal(formatTimeTick(T0 + 200, 200, true), "10:00:00.200");
});

Deno.test("REQ-VIEW-043: nice steps", () => {
  assert.equal(niceStep(100, 4), 25);
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(7, 4), 2);
  assert.equal(niceStep(1, 4), 0.25);
  assert.equal(niceStep(0, 4), 1);
});

Deno.test("REQ-VIEW-043: value ticks in the labels' unit", () => {
  assert.deepEqual(valueTicks(0, 1000, 6, "millicores"), [0, 200, 400, 600, 800, 1000]);
  const MiB = 1024 ** 2;
  assert.deepEqual(valueTicks(0, 300 * MiB, 5, "bytes"), [0, 100 * MiB, 200 * MiB, 300 * MiB]);
  const ticks = valueTicks(0, 7, 5, "count");
  assert.ok(ticks.length <= 5, `${ticks}`);
  assert.deepEqual(valueTicks(5, 5, 5, "count"), [5]);
});

Deno.test("REQ-VIEW-043: value range from zero, rounded up, constant series given room", () => {
  assert.deepEqual(valueRange(120, 830, "millicores"), { min: 0, max: 1000 });
  assert.deepEqual(valueRange(null, null, "millicores"), { min: 0, max: 1 });
  assert.deepEqual(valueRange(null, null, "percent"), { min: 0, max: 100 });
  // A constant: a flat line in the middle of the chart, not on its edge.
  const flat = valueRange(64 * 1024 ** 2, 64 * 1024 ** 2, "bytes");
  assert.equal(flat.min, 0);
  assert.ok(flat.max > 64 * 1024 ** 2 * 1.2, `${flat.max}`);
  const zero = valueRange(0, 0, "count");
  assert.ok(zero.max > 0);
  const negative = valueRange(-5, -5, "count");
  assert.ok(negative.min < -5 && negative.max === 0);
  const mixed = valueRange(-3, 8, "count");
  assert.ok(mixed.min <= -3 && mixed.max >= 8);
});
