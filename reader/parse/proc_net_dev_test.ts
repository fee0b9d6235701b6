import assert from "node:assert/strict";
import { parseNetDev } from "./proc_net_dev.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-108: parseNetDev() reads the real /proc/net/dev", () => {
  const devices = parseNetDev(fixture("net_dev_real.txt"));
  assert.deepEqual(devices.map((d) => d.name), ["lo", "ifb0", "ifb1", "eth0"]);
  assert.deepEqual(devices[3], {
    name: "eth0",
    rxBytes: 99407340,
    rxPackets: 2779,
    rxErrors: 0,
    rxDropped: 0,
    txBytes: 148528,
    txPackets: 1671,
    txErrors: 0,
    txDropped: 0,
  });
});

Deno.test("REQ-RDR-108: parseNetDev() reads /proc/<pid>/net/dev", () => {
  const lo = parseNetDev(fixture("pid_net_dev_real.txt")).find((d) => d.name === "lo");
  assert.equal(lo?.rxBytes, 3769);
  assert.equal(lo?.txPackets, 38);
});

Deno.test("REQ-RDR-108: parseNetDev() reads a counter touching the colon of a long name", () => {
  const devices = parseNetDev(fixture("net_dev_wide.txt"));
  assert.deepEqual(devices[1], {
    name: "veth3f9a2b1c",
    rxBytes: 123456789012,
    rxPackets: 98765432,
    rxErrors: 1,
    rxDropped: 2,
    txBytes: 23456789012,
    txPackets: 87654321,
    txErrors: 3,
    txDropped: 4,
  });
});

Deno.test("REQ-RDR-118: parseNetDev() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parseNetDev(fixture("net_dev_real.txt") + "\n\n").length, 4);
  const header = fixture("net_dev_real.txt").split("\n").slice(0, 2).join("\n");
  assert.deepEqual(parseNetDev(header), []);
  assert.throws(() => parseNetDev(header + "\n  eth0: 1 2 3\n"), /Cannot parse "\/proc\/net\/dev"/);
  assert.throws(() => parseNetDev("eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"), SyntaxError);
  assert.throws(
    () => parseNetDev("eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x"),
    SyntaxError,
  );
});

Deno.test("REQ-RDR-301: parseNetDev() refuses negative and too large counters", () => {
  const row = (first: string) => `  eth0: ${first} 2 0 0 0 0 0 0 3 4 0 0 0 0 0 0\n`;
  assert.throws(
    () => parseNetDev(row("-1")),
    /Cannot parse "\/proc\/net\/dev": counter of eth0 is negative/,
  );
  assert.throws(() => parseNetDev(row("18446744073709551616")), /eth0 is above 2\^64-1/);
  assert.equal(parseNetDev(row("18446744073709551615"))[0].rxBytes, 2 ** 64);
});
