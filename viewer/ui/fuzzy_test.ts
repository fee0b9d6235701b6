import assert from "node:assert/strict";
import { fuzzyMatch, fuzzyRank, highlight } from "./fuzzy.ts";

const METRICS = [
  "collector_cpu_millicores",
  "cpu_usage_millicores",
  "cpu_user_millicores",
  "cpu_throttled_usec",
  "cpu_throttled_periods",
  "memory_working_set_bytes",
  "memory_usage_bytes",
  "network_rx_bytes",
  "io_pressure_some_usec",
  "threads",
];

const rank = (q: string) => fuzzyRank(METRICS, q, (m) => [m]).map((r) => r.item);

Deno.test("REQ-VIEW-041: a query matches as a case-insensitive subsequence", () => {
  assert.deepEqual(fuzzyMatch("CPU", "cpu_usage_millicores")?.positions, [0, 1, 2]);
  assert.equal(fuzzyMatch("cpux", "cpu_usage_millicores"), null);
  assert.equal(fuzzyMatch("usagecpu", "cpu_usage_millicores"), null);
  assert.equal(fuzzyMatch("a very long query", "short"), null);
  assert.deepEqual(fuzzyMatch("", "anything"), { score: 0, positions: [] });
  // Spaces in the query are ignored.
  assert.ok(fuzzyMatch("cpu thr", "cpu_throttled_usec") !== null);
});

Deno.test("REQ-VIEW-041: word starts are preferred over earlier scattered letters", () => {
  // Greedy leftmost matching would take the "w" and "s" of "working"/"set" anyway; "mu" must pick
  // the word start "usage", not the "u" inside "memory_".
  assert.deepEqual(fuzzyMatch("mws", "memory_working_set_bytes")?.positions, [0, 7, 15]);
  assert.deepEqual(fuzzyMatch("mu", "memory_usage_bytes")?.positions, [0, 7]);
  assert.deepEqual(fuzzyMatch("set", "memory_working_set_bytes")?.positions, [15, 16, 17]);
});

Deno.test("REQ-VIEW-041: ranking puts prefix, then word-start, then contiguous matches first", () => {
  const cpu = rank("cpu");
  // Every prefix match before the word-start match inside "collector_cpu_millicores".
  assert.ok(cpu.slice(0, 4).every((m) => m.startsWith("cpu_")), `${cpu}`);
  assert.ok(cpu.indexOf("cpu_usage_millicores") < cpu.indexOf("collector_cpu_millicores"));
  assert.equal(rank("thr")[0], "threads"); // a prefix
  assert.deepEqual(rank("throt").slice(0, 2).sort(), [
    "cpu_throttled_periods",
    "cpu_throttled_usec",
  ]);
  assert.equal(rank("mws")[0], "memory_working_set_bytes"); // word starts
  assert.equal(rank("wrkset")[0], "memory_working_set_bytes");
  assert.equal(rank("rx")[0], "network_rx_bytes");
  assert.equal(rank("iops")[0], "io_pressure_some_usec");
  assert.equal(rank("zzz").length, 0);
  // An exact match beats everything.
  assert.equal(fuzzyRank(["threads_total", "threads"], "threads", (m) => [m])[0].item, "threads");
});

Deno.test("REQ-VIEW-041: later texts of an item count for less, ties keep order", () => {
  const items = [
    { name: "io_read_bytes", description: "Bytes read from block devices" },
    { name: "block_reads", description: "" },
  ];
  const ranked = fuzzyRank(items, "block", (i) => [i.name, i.description]);
  assert.equal(ranked[0].item.name, "block_reads");
  assert.equal(ranked[1].field, 1);
  const same = fuzzyRank(["a_x", "a_y"], "a", (m) => [m]);
  assert.deepEqual(same.map((r) => r.item), ["a_x", "a_y"]);
  assert.equal(fuzzyRank(["b", "a"], "", (m) => [m]).length, 2);
});

Deno.test("REQ-VIEW-041: highlight splits matched runs", () => {
  assert.deepEqual(highlight("cpu_usage", [0, 1, 4]), [
    { text: "cp", hit: true },
    { text: "u_", hit: false },
    { text: "u", hit: true },
    { text: "sage", hit: false },
  ]);
  assert.deepEqual(highlight("", []), []);
});
