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
