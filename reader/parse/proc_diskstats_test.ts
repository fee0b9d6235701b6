import assert from "node:assert/strict";
import { isPhysicalDisk, parseDiskstats } from "./proc_diskstats.ts";

Deno.test("REQ-RDR-119: parseDiskstats() reads sectors as bytes and times in ms", () => {
  const text = "   8       0 sda 100 5 2000 30 50 2 800 40 0 60 70 0 0 0 0 0 0\n" +
    "   8       1 sda1 10 0 80 3 5 0 40 4 0 6 7\n";
  const [sda, sda1] = parseDiskstats(text);
  assert.equal(sda.name, "sda");
  assert.equal(sda.readBytes, 2000 * 512);
  assert.equal(sda.writeBytes, 800 * 512);
  assert.equal(sda.ioTimeMs, 60);
  assert.equal(sda1.readsCompleted, 10);
});

Deno.test("REQ-RDR-119: parseDiskstats() reads this machine's file", () => {
  const text = Deno.readTextFileSync(
    new URL("../../tests/fixtures/proc/diskstats_real.txt", import.meta.url),
  );
  const disks = parseDiskstats(text);
  assert.ok(disks.length > 0);
  assert.ok(disks.every((d) => d.readBytes % 512 === 0));
});

Deno.test("REQ-RDR-119: parseDiskstats() rejects a truncated line", () => {
  assert.throws(() => parseDiskstats("8 0 sda 1 2 3\n"), SyntaxError);
});

Deno.test("REQ-RDR-119: isPhysicalDisk() skips partitions, loop and stacked devices", () => {
  const whole = new Set(["sda", "vda", "loop0", "dm-0", "nvme0n1"]);
  assert.equal(isPhysicalDisk("sda", whole), true);
  assert.equal(isPhysicalDisk("nvme0n1", whole), true);
  assert.equal(isPhysicalDisk("sda1", whole), false);
  assert.equal(isPhysicalDisk("loop0", whole), false);
  assert.equal(isPhysicalDisk("dm-0", whole), false);
});

Deno.test("REQ-RDR-304: parseDiskstats() refuses negative counters and sectors whose bytes pass 2^64-1", () => {
  const line = (sectors: string, reads = "100") =>
    `   8       0 sda ${reads} 5 ${sectors} 30 50 2 800 40 0 60 70 0 0 0 0 0 0\n`;
  assert.equal(parseDiskstats(line("36028797018963967"))[0].readBytes, 36028797018963967 * 512);
  assert.throws(
    () => parseDiskstats(line("36028797018963968")),
    /Cannot parse "\/proc\/diskstats": sectors read is above 2\^64-1 bytes/,
  );
  assert.throws(() => parseDiskstats(line("2000", "-1")), /reads completed is negative/);
  assert.throws(() => parseDiskstats(line("2000", "9".repeat(400))), /above 2\^64-1/);
});
