import assert from "node:assert/strict";
import { parseMeminfo } from "./proc_meminfo.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

const KB = 1024;

Deno.test("REQ-RDR-111: parseMeminfo() reads the real /proc/meminfo in bytes", () => {
  const info = parseMeminfo(fixture("meminfo_real.txt"));
  assert.equal(info.memTotalBytes, 24684084 * KB);
  assert.equal(info.memFreeBytes, 24302376 * KB);
  assert.equal(info.memAvailableBytes, 24394968 * KB);
  assert.equal(info.buffersBytes, 9664 * KB);
  assert.equal(info.cachedBytes, 286692 * KB);
  assert.equal(info.swapTotalBytes, 0);
  assert.equal(info.swapFreeBytes, 0);
  assert.equal(info.shmemBytes, 8872 * KB);
  assert.equal(info.sReclaimableBytes, 20296 * KB);
  assert.equal(info.fields["Active(anon)"], 1516 * KB);
  assert.equal(info.fields["VmallocTotal"], 34359738367 * KB);
  assert.equal(info.fields["Hugepagesize"], 2048 * KB);
  assert.equal(Object.keys(info.fields).length, 54);
});

Deno.test("REQ-RDR-111: parseMeminfo() keeps HugePages_* as counts", () => {
  const text = fixture("meminfo_real.txt").replace(
    "HugePages_Total:       0",
    "HugePages_Total:      16",
  );
  const info = parseMeminfo(text);
  assert.equal(info.fields["HugePages_Total"], 16);
  assert.equal(info.fields["HugePages_Free"], 0);
});

Deno.test("REQ-RDR-111: parseMeminfo() gives null for lines an old kernel lacks", () => {
  const info = parseMeminfo(fixture("meminfo_linux3_10.txt"));
  assert.equal(info.memAvailableBytes, null);
  assert.equal(info.memTotalBytes, 1882064 * KB);
  assert.equal(info.swapTotalBytes, 2097148 * KB);
  assert.equal(info.fields["MemAvailable"], undefined);
});

Deno.test("REQ-RDR-118: parseMeminfo() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parseMeminfo(fixture("meminfo_real.txt") + "\n\n").memTotalBytes, 24684084 * KB);
  assert.throws(() => parseMeminfo(""), /Cannot parse "\/proc\/meminfo": no fields/);
  assert.throws(() => parseMeminfo("MemTotal: lots"), /Cannot parse "\/proc\/meminfo": MemTotal/);
  assert.throws(() => parseMeminfo("MemTotal:       24684084 kB\nMemFr"), SyntaxError);
});

Deno.test("REQ-RDR-304: parseMeminfo() refuses a negative size and one whose bytes pass 2^64-1", () => {
  const real = fixture("meminfo_real.txt");
  const total = /^MemTotal:.*$/m;
  const cases: [string, RegExp][] = [
    [`MemTotal:       ${"9".repeat(400)} kB`, /MemTotal \(kB\) is above 2\^64-1 bytes/],
    ["MemTotal:       18014398509481984 kB", /MemTotal \(kB\) is above 2\^64-1 bytes/],
    ["MemTotal:       -5 kB", /Cannot parse "\/proc\/meminfo": MemTotal is negative: "-5 kB"/],
    ["HugePages_Total:   -1", /HugePages_Total is negative/],
    ["HugePages_Total:   18446744073709551616", /HugePages_Total is above 2\^64-1/],
  ];
  for (const [line, message] of cases) {
    assert.throws(() => parseMeminfo(real.replace(total, line)), message, line);
  }
  const largest = parseMeminfo(real.replace(total, "MemTotal:       18014398509481983 kB"));
  assert.equal(largest.memTotalBytes, 18014398509481983 * 1024);
});
