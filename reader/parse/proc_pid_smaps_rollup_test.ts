import assert from "node:assert/strict";
import { parseSmapsRollup } from "./proc_pid_smaps_rollup.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

const KB = 1024;

Deno.test("REQ-RDR-104: parseSmapsRollup() reads a real rollup in bytes", () => {
  assert.deepEqual(parseSmapsRollup(fixture("pid_smaps_rollup_real.txt")), {
    rss: 22720 * KB,
    pss: 21376 * KB,
    pssDirty: 15692 * KB,
    pssAnon: 15692 * KB,
    pssFile: 5684 * KB,
    pssShmem: 0,
    sharedClean: 1688 * KB,
    sharedDirty: 0,
    privateClean: 5340 * KB,
    privateDirty: 15692 * KB,
    referenced: 22720 * KB,
    anonymous: 15692 * KB,
    swap: 0,
    swapPss: 0,
    locked: 0,
  });
});

Deno.test("REQ-RDR-104: parseSmapsRollup() gives null for fields an older kernel lacks", () => {
  const rollup = parseSmapsRollup(fixture("pid_smaps_rollup_linux4_14.txt"));
  assert.equal(rollup.pssDirty, null);
  assert.equal(rollup.pssAnon, null);
  assert.equal(rollup.pssFile, null);
  assert.equal(rollup.pssShmem, null);
  assert.equal(rollup.rss, 2048 * KB);
  assert.equal(rollup.pss, 1024 * KB);
  assert.equal(rollup.swap, 64 * KB);
  assert.equal(rollup.swapPss, 32 * KB);
});

Deno.test("REQ-RDR-118: parseSmapsRollup() tolerates trailing newlines", () => {
  assert.equal(parseSmapsRollup(fixture("pid_smaps_rollup_real.txt") + "\n\n").rss, 22720 * KB);
});

Deno.test("REQ-RDR-118: parseSmapsRollup() throws SyntaxError on empty, truncated or garbage text", () => {
  const real = fixture("pid_smaps_rollup_real.txt");
  assert.throws(
    () => parseSmapsRollup(""),
    /Cannot parse "\/proc\/<pid>\/smaps_rollup": no fields/,
  );
  assert.throws(
    () => parseSmapsRollup(real.slice(0, real.indexOf("Referenced:"))),
    /Cannot parse "\/proc\/<pid>\/smaps_rollup": no "Referenced:" line/,
  );
  assert.throws(() => parseSmapsRollup(real.replace("Pss:  ", "Pss   ")), SyntaxError);
  assert.throws(() => parseSmapsRollup(real.replace("21376 kB", "21376 MB")), SyntaxError);
});

Deno.test("REQ-RDR-304: parseSmapsRollup() refuses a negative size and one whose bytes pass 2^64-1", () => {
  const real = fixture("pid_smaps_rollup_real.txt");
  const rss = /^Rss:.*$/m;
  assert.throws(
    () => parseSmapsRollup(real.replace(rss, "Rss:                -1 kB")),
    /Cannot parse "\/proc\/<pid>\/smaps_rollup": Rss is negative/,
  );
  assert.throws(
    () => parseSmapsRollup(real.replace(rss, `Rss:                ${"9".repeat(25)} kB`)),
    /Rss \(kB\) is above 2\^64-1 bytes/,
  );
});
