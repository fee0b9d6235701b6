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
