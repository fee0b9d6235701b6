import assert from "node:assert/strict";
import { parsePressure } from "./pressure.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

Deno.test("REQ-RDR-115: parsePressure() reads real /proc/pressure files", () => {
  assert.deepEqual(parsePressure(fixture("pressure_cpu_real.txt")), {
    some: { avg10: 0.14, avg60: 0.96, avg300: 0.64, totalUs: 3042165 },
    full: { avg10: 0, avg60: 0, avg300: 0, totalUs: 0 },
  });
  assert.deepEqual(parsePressure(fixture("pressure_io_real.txt")), {
    some: { avg10: 0.02, avg60: 0.14, avg300: 0.07, totalUs: 574406 },
    full: { avg10: 0.02, avg60: 0.11, avg300: 0.06, totalUs: 497814 },
  });
  assert.equal(parsePressure(fixture("pressure_memory_real.txt")).some.totalUs, 0);
});

Deno.test("REQ-RDR-115: parsePressure() gives full = null without a full line", () => {
  assert.deepEqual(parsePressure(fixture("pressure_cpu_linux5_10.txt")), {
    some: { avg10: 0, avg60: 0.12, avg300: 0.34, totalUs: 123456789 },
    full: null,
  });
});

Deno.test("REQ-RDR-115: parsePressure() reads a cgroup v2 memory.pressure file", () => {
  assert.deepEqual(parsePressure(fixture("pressure_cgroup_memory.txt")), {
    some: { avg10: 12.5, avg60: 8.31, avg300: 2.07, totalUs: 987654321012 },
    full: { avg10: 10.02, avg60: 6.66, avg300: 1.5, totalUs: 876543210987 },
  });
});

Deno.test("REQ-RDR-118: parsePressure() tolerates trailing newlines and rejects garbage", () => {
  assert.equal(parsePressure(fixture("pressure_io_real.txt") + "\n\n").full?.totalUs, 497814);
  const cases = [
    "",
    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0",
    "some avg10=0.00 avg60=0.00 avg300=0.00",
    "some avg10=x avg60=0.00 avg300=0.00 total=0",
    "half avg10=0.00 avg60=0.00 avg300=0.00 total=0",
    "some avg10 avg60=0.00 avg300=0.00 total=0",
  ];
  for (const text of cases) {
    assert.throws(() => parsePressure(text), /Cannot parse "pressure"/, text);
  }
});

Deno.test("REQ-RDR-115: parsePressure() reads every value of the kernel format as written", () => {
  // Random values through the fast path must equal what Number() reads from the same digits.
  let seed = 7;
  const rand = (max: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % max;
  const avg = (hundredths = rand(10001)) =>
    `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
  for (let i = 0; i < 500; i++) {
    const v = [avg(), avg(), avg(), String(rand(2 ** 31) * 1000 + rand(1000))];
    const w = [avg(), avg(), avg(), String(rand(2 ** 31))];
    const text = `some avg10=${v[0]} avg60=${v[1]} avg300=${v[2]} total=${v[3]}\n` +
      `full avg10=${w[0]} avg60=${w[1]} avg300=${w[2]} total=${w[3]}\n`;
    const line = (x: string[]) => ({
      avg10: Number(x[0]),
      avg60: Number(x[1]),
      avg300: Number(x[2]),
      totalUs: Number(x[3]),
    });
    assert.deepEqual(parsePressure(text), { some: line(v), full: line(w) });
  }
});

Deno.test("REQ-RDR-303: parsePressure() refuses negative, mis-formatted and out-of-range values", () => {
  const line = (avg10: string, total = "0") =>
    `some avg10=${avg10} avg60=0.00 avg300=0.00 total=${total}\n`;
  assert.equal(parsePressure(line("100.00")).some.avg10, 100);
  const cases: [string, RegExp][] = [
    [line("-1"), /Cannot parse "pressure": avg10 is negative: "-1"/],
    [line("-1.00"), /avg10 is negative/],
    // The fast path hands values above 100.00 to the general parser, which words the error.
    [line("100.01"), /avg10 is above 100: "100\.01"/],
    [line("250.00"), /avg10 is above 100/],
    [line(`${"9".repeat(400)}.00`), /avg10 is above 2\^64-1/],
    [line("1.5"), /avg10 is not a number with two decimals/],
    [line("0.00", "-1"), /total is negative/],
    [line("0.00", "18446744073709551616"), /total is above 2\^64-1/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parsePressure(text), message, text);
  }
  assert.throws(
    () => parsePressure(line("-1"), "/proc/pressure/cpu"),
    /Cannot parse "\/proc\/pressure\/cpu": avg10 is negative/,
  );
});
