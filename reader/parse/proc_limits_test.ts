import assert from "node:assert/strict";
import { parseLimits } from "./proc_limits.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-117: parseLimits() reads the real /proc/<pid>/limits", () => {
  const limits = parseLimits(fixture("pid_limits_real.txt"));
  assert.equal(Object.keys(limits).length, 16);
  assert.deepEqual(limits["Max open files"], { soft: 20000, hard: 20000, unit: "files" });
  assert.deepEqual(limits["Max stack size"], { soft: 8388608, hard: null, unit: "bytes" });
  assert.deepEqual(limits["Max cpu time"], { soft: null, hard: null, unit: "seconds" });
  assert.deepEqual(limits["Max nice priority"], { soft: 0, hard: 0, unit: null });
  assert.deepEqual(limits["Max realtime timeout"], { soft: null, hard: null, unit: "us" });
});

Deno.test("REQ-RDR-118: parseLimits() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parseLimits(fixture("pid_limits_real.txt") + "\n\n")["Max processes"].soft, 96365);
  assert.throws(() => parseLimits(""), /Cannot parse "\/proc\/<pid>\/limits": no limits/);
  const header = fixture("pid_limits_real.txt").split("\n")[0];
  assert.throws(() => parseLimits(header), SyntaxError);
  assert.throws(
    () => parseLimits(`${header}\nMax open files            20000`),
    /Cannot parse "\/proc\/<pid>\/limits": row/,
  );
  assert.throws(() => parseLimits(`${header}\nMax open files  lots  lots  files`), SyntaxError);
});

Deno.test("REQ-RDR-301: parseLimits() refuses limits above 2^64-1", () => {
  const text = `Max open files            ${
    "9".repeat(400)
  }                 524288               files\n`;
  assert.throws(
    () => parseLimits(text),
    /Cannot parse "\/proc\/<pid>\/limits": Max open files soft limit is above 2\^64-1/,
  );
  const largest = `Max open files            18446744073709551615 524288               files\n`;
  assert.equal(parseLimits(largest)["Max open files"].soft, 2 ** 64);
  assert.throws(() => parseLimits("Max open files            -1  524288  files\n"), /Cannot parse/);
});
