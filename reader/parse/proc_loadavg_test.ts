import assert from "node:assert/strict";
import { parseLoadavg } from "./proc_loadavg.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-112: parseLoadavg() reads the real /proc/loadavg", () => {
  assert.deepEqual(parseLoadavg(fixture("loadavg_real.txt")), {
    load1: 0.14,
    load5: 0.1,
    load15: 0.04,
    runnable: 2,
    total: 82,
    lastPid: 2569,
  });
});

Deno.test("REQ-RDR-118: parseLoadavg() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parseLoadavg("12.50 8.00 4.25 17/1234 99999\n\n").load1, 12.5);
  for (const text of ["", "0.15 0.10 0.04", "0.15 0.10 0.04 1-82 2477", "a b c 1/2 3"]) {
    assert.throws(() => parseLoadavg(text), /Cannot parse "\/proc\/loadavg"/, text);
  }
});
const NINES = "9".repeat(400);

Deno.test("REQ-RDR-303: parseLoadavg() refuses negative, mis-formatted and too large values", () => {
  const cases: [string, RegExp][] = [
    ["-1.00 0.10 0.04 2/82 2569", /1-minute load is negative: "-1\.00"/],
    ["0.1 0.10 0.04 2/82 2569", /1-minute load is not a number with two decimals/],
    ["1e3 0.10 0.04 2/82 2569", /1-minute load is not a number with two decimals/],
    [`${NINES}.00 0.10 0.04 2/82 2569`, /1-minute load is above 2\^64-1/],
    [`0.14 0.10 0.04 ${NINES}/82 2569`, /runnable count is above 2\^64-1/],
    [`0.14 0.10 0.04 2/${NINES} 2569`, /thread count is above 2\^64-1/],
    ["0.14 0.10 0.04 2/82 -1", /last PID is negative/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseLoadavg(text), message, text);
  }
});
