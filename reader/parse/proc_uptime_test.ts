import assert from "node:assert/strict";
import { parseUptime } from "./proc_uptime.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-113: parseUptime() reads the real /proc/uptime", () => {
  assert.deepEqual(parseUptime(fixture("uptime_real.txt")), {
    uptimeSeconds: 140.36,
    idleSeconds: 256.34,
  });
});

Deno.test("REQ-RDR-118: parseUptime() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parseUptime("3600.00 7000.12\n\n").uptimeSeconds, 3600);
  for (const text of ["", "140.36", "140.36 x", "1 2 3"]) {
    assert.throws(() => parseUptime(text), /Cannot parse "\/proc\/uptime"/, text);
  }
});
