import assert from "node:assert/strict";
import {
  bytePower,
  compactNumber,
  formatClock,
  formatDay,
  formatInstant,
  formatPercent,
  formatPeriod,
  formatSpan,
  formatSpread,
  formatValue,
  kindPhrase,
  unitLabel,
} from "./format.ts";

Deno.test("REQ-VIEW-043: compactNumber keeps about three significant digits", () => {
  assert.equal(compactNumber(0), "0");
  assert.equal(compactNumber(1.5), "1.5");
  assert.equal(compactNumber(1.234), "1.23");
  assert.equal(compactNumber(12.34), "12.3");
  assert.equal(compactNumber(12), "12");
  assert.equal(compactNumber(512.4), "512");
  assert.equal(compactNumber(1234.5), "1235");
  assert.equal(compactNumber(-2.5), "-2.5");
  assert.equal(compactNumber(0.0042), "0.0042");
  assert.equal(compactNumber(-0.00001), "0");
});

Deno.test("REQ-VIEW-043: bytes in binary units", () => {
  assert.equal(bytePower(1023), 0);
  assert.equal(bytePower(1024), 1);
  assert.equal(bytePower(5 * 1024 ** 3), 3);
  assert.equal(formatValue(512, "bytes"), "512 B");
  assert.equal(formatValue(1536, "bytes"), "1.5 KiB");
  assert.equal(formatValue(256 * 1024 ** 2, "bytes"), "256 MiB");
  assert.equal(formatValue(1.25 * 1024 ** 3, "bytes"), "1.25 GiB");
  // An axis scaled by its largest tick keeps one unit for every tick.
  assert.equal(formatValue(512 * 1024, "bytes", 2 * 1024 ** 2), "0.5 MiB");
});

Deno.test("REQ-VIEW-043: millicores as m below one CPU, cores above", () => {
  assert.equal(formatValue(250, "millicores"), "250m");
  assert.equal(formatValue(12.34, "millicores"), "12.3m");
  assert.equal(formatValue(1000, "millicores"), "1 core");
  assert.equal(formatValue(1500, "millicores"), "1.5 cores");
  assert.equal(formatValue(500, "millicores", 2000), "0.5 cores");
});

Deno.test("REQ-VIEW-043: microseconds as µs, ms or s; percent, counts, tasks", () => {
  assert.equal(formatValue(350, "microseconds"), "350 µs");
  assert.equal(formatValue(2500, "microseconds"), "2.5 ms");
  assert.equal(formatValue(1_250_000, "microseconds"), "1.25 s");
  assert.equal(formatValue(12.5, "percent"), "12.5 %");
  assert.equal(formatValue(42, "count"), "42");
  assert.equal(formatValue(12_345, "count"), "12.3k");
  assert.equal(formatValue(2_500_000, "count"), "2.5M");
  assert.equal(formatValue(1.25, "tasks"), "1.25");
  assert.equal(formatValue(4242, "id"), "4242");
  assert.equal(formatValue(null, "bytes"), "–");
  assert.equal(formatValue(NaN, "bytes"), "–");
});

Deno.test("REQ-VIEW-043: kinds and units in words", () => {
  assert.equal(kindPhrase("interval"), "in the interval");
  assert.equal(kindPhrase("rate"), "average over the interval");
  assert.equal(kindPhrase("total"), "since start");
  assert.equal(kindPhrase("gauge"), "");
  assert.equal(kindPhrase(null), "");
  assert.equal(unitLabel("microseconds"), "µs");
  assert.equal(unitLabel("percent"), "%");
  assert.equal(unitLabel("bytes"), "bytes");
  assert.equal(unitLabel(null), "");
});

Deno.test("REQ-VIEW-043: instants, clocks and days in UTC", () => {
  const t = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  assert.equal(formatInstant(t, true), "2026-01-02 03:04:05 UTC");
  assert.equal(formatClock(t, true), "03:04:05");
  assert.equal(formatClock(t, true, false), "03:04");
  assert.equal(formatDay(t, true), "Jan 02");
  const local = new Date(t);
  assert.equal(
    formatClock(t, false).slice(3, 8),
    `${String(local.getMinutes()).padStart(2, "0")}:05`,
  );
});

Deno.test("REQ-VIEW-043: spans, periods and confidences", () => {
  assert.equal(formatSpan(850), "850 ms");
  assert.equal(formatSpan(45_000), "45 s");
  assert.equal(formatSpan(1500), "1.5 s");
  assert.equal(formatSpan(5 * 60_000), "5 min");
  assert.equal(formatSpan(5 * 60_000 + 30_000), "5 min 30 s");
  assert.equal(formatSpan(90 * 60_000), "1 h 30 min");
  assert.equal(formatSpan(86_400_000), "1 d");
  assert.equal(formatSpan(86_400_000 + 4 * 3_600_000), "1 d 4 h");
  assert.equal(formatPeriod(10), "10.0 s");
  assert.equal(formatPeriod(90), "1.5 min");
  assert.equal(formatPeriod(7200), "2.0 h");
  assert.equal(formatPercent(0.873), "87 %");
});

Deno.test("REQ-VIEW-043: a min-max spread names its unit once", () => {
  assert.equal(formatSpread(1.2 * 1024, 1.5 * 1024, "bytes"), "1.2–1.5 KiB");
  assert.equal(formatSpread(250, 300, "millicores"), "250–300m");
  assert.equal(formatSpread(745, 1060, "millicores"), "0.745–1.06 cores");
  assert.equal(formatSpread(5, 5, "count"), "5");
  assert.equal(formatSpread(null, 5, "count"), "– – 5");
  assert.equal(formatSpread(900, 12_000, "count"), "0.9–12k");
});
