import assert from "node:assert/strict";
import {
  formatBytes,
  formatDuration,
  formatLimit,
  formatMillicores,
  formatPercent,
  formatRate,
  plural,
} from "./format.ts";

Deno.test("REQ-MON-020: formatBytes() uses IEC units and shows unknown as a dash", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.50 KiB");
  assert.equal(formatBytes(256 * 1024 * 1024), "256 MiB");
  assert.equal(formatBytes(null), "-");
  assert.equal(formatRate(2048), "2.00 KiB/s");
  assert.equal(formatRate(null), "-");
});

Deno.test("REQ-MON-020: formatLimit() shows null as unlimited, not a magic number", () => {
  assert.equal(formatLimit(null), "unlimited");
  assert.equal(formatLimit(268435456), "256 MiB");
});

Deno.test("REQ-MON-020: formatMillicores() and formatPercent() round sensibly", () => {
  assert.equal(formatMillicores(199.6), "200m");
  assert.equal(formatMillicores(1500), "1.50 cores");
  assert.equal(formatMillicores(null), "-");
  assert.equal(formatPercent(12.345), "12.3%");
});

Deno.test("REQ-MON-020: formatDuration() picks the two or three largest units", () => {
  assert.equal(formatDuration(9.14), "9.1s");
  assert.equal(formatDuration(309), "5m 09s");
  assert.equal(formatDuration(4 * 3600 + 309), "4h 05m 09s");
  assert.equal(formatDuration(3 * 86400 + 4 * 3600 + 300), "3d 4h 05m");
});

Deno.test("REQ-MON-005: plural() agrees the noun with the number", () => {
  assert.equal(plural(1, "container"), "1 container");
  assert.equal(plural(0, "container"), "0 containers");
  assert.equal(plural(3, "user process", "user processes"), "3 user processes");
});
