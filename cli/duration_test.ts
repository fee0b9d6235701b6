import assert from "node:assert/strict";
import { describeDurationRange, durationFlag, INTERVAL_RANGE, parseDuration } from "./duration.ts";

Deno.test("REQ-COL-003, REQ-CLI-007: parseDuration() reads seconds and human units", () => {
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("10s"), 10_000);
  assert.equal(parseDuration("1.5"), 1500);
  assert.equal(parseDuration(".5"), 500);
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("2h"), 7_200_000);
  assert.equal(parseDuration("7d"), 604_800_000);
  assert.equal(parseDuration("1w"), 604_800_000);
  assert.equal(parseDuration(" 2s "), 2000);
  // Whole milliseconds: 1.1 s is not 1100.0000000000002.
  assert.equal(parseDuration("1.1"), 1100);
  assert.equal(parseDuration("0.4ms"), 0);
  for (
    const bad of [
      "soon",
      "",
      " ",
      "-1",
      "+1",
      "1e9",
      "1e-9",
      "NaN",
      "Infinity",
      "0x10",
      "1.",
      "2S",
      "2 s",
      "1,5",
      "٣",
    ]
  ) {
    assert.throws(() => parseDuration(bad), TypeError, bad);
  }
});

Deno.test("REQ-CLI-007: durationFlag() accepts its range, both ends included", () => {
  assert.equal(durationFlag("monitor", "--interval", "0.1", INTERVAL_RANGE), 100);
  assert.equal(durationFlag("monitor", "--interval", "100ms", INTERVAL_RANGE), 100);
  assert.equal(durationFlag("collect", "--interval", "0.5", INTERVAL_RANGE), 500);
  assert.equal(durationFlag("collect", "--interval", "24h", INTERVAL_RANGE), 86_400_000);
  assert.equal(durationFlag("collect", "--interval", "86400", INTERVAL_RANGE), 86_400_000);
  const pss = { ...INTERVAL_RANGE, off: true };
  for (const off of ["0", "0s", "0ms", "0.0", ".0"]) {
    assert.equal(durationFlag("collect", "--pss-interval", off, pss), 0, off);
  }
  assert.equal(durationFlag("collect", "--pss-interval", "10s", pss), 10_000);
});

Deno.test("REQ-CLI-007: durationFlag() refuses what is not a duration in its range, with the range", () => {
  const bad = [
    "0",
    "-1",
    "-0.5",
    "99ms",
    "99.6ms",
    "0.0999",
    "24.001h",
    "2d",
    "1e9",
    "1e-9",
    "NaN",
    "Infinity",
    "",
    "   ",
    "9".repeat(400),
    "ünïcödé",
    "1\n2",
  ];
  for (const value of bad) {
    assert.throws(() => durationFlag("monitor", "--interval", value, INTERVAL_RANGE), {
      name: "UsageError",
      message:
        `monitor: --interval takes a duration from 100ms to 24h (seconds, or with a unit: 500ms, 2s, 5m, 2h, 7d), not ${
          JSON.stringify(value)
        }`,
    }, JSON.stringify(value));
  }
  // A newline in the value stays inside the one line of the message.
  assert.throws(() => durationFlag("monitor", "--watch", "1\n2", INTERVAL_RANGE), {
    message: /not "1\\n2"$/,
  });
  // 0 is off only where the flag says so, and nothing else between 0 and the minimum is.
  const pss = { ...INTERVAL_RANGE, off: true };
  assert.throws(() => durationFlag("collect", "--pss-interval", "0.0004", pss), {
    name: "UsageError",
    message:
      /^collect: --pss-interval takes 0 \(off\) or a duration from 100ms to 24h .*not "0.0004"$/,
  });
  assert.throws(() => durationFlag("collect", "--flush", true, INTERVAL_RANGE), {
    name: "UsageError",
  });
  assert.throws(() => durationFlag("collect", "--flush", undefined, INTERVAL_RANGE), {
    name: "UsageError",
  });
});

Deno.test("REQ-CLI-007: describeDurationRange() words a range for the help", () => {
  assert.equal(describeDurationRange(INTERVAL_RANGE), "100ms to 24h");
  assert.equal(describeDurationRange({ ...INTERVAL_RANGE, off: true }), "0 (off) or 100ms to 24h");
});
