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

Deno.test("REQ-RDR-303: parseUptime() refuses negative, mis-formatted and too large values", () => {
  const cases: [string, RegExp][] = [
    ["-1.00 2.00", /Cannot parse "\/proc\/uptime": uptime is negative/],
    ["1.00 -2.00", /idle time is negative/],
    ["1e3 2.00", /uptime is not a number with two decimals/],
    ["140 256.34", /uptime is not a number with two decimals/],
    [`${"9".repeat(400)}.00 2.00`, /uptime is above 2\^64-1/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseUptime(text), message, text);
  }
});
