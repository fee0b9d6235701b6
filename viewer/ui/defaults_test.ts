import assert from "node:assert/strict";
import type { MetricInfo } from "./api.ts";
import { defaultView, metricFor } from "./defaults.ts";

const m = (table: string, name: string): MetricInfo => ({
  table,
  name,
  type: "int64",
  unit: "count",
  kind: "gauge",
  description: "",
  source: "",
});

const METRICS = [
  m("containers", "pids"),
  m("containers", "memory_working_set_bytes"),
  m("containers", "cpu_usage_millicores"),
  m("containers", "cpu_throttled_usec"),
  m("containers", "memory_pressure_some_usec"),
  m("containers", "network_rx_bytes"),
  m("containers", "io_write_bytes"),
  m("processes", "cpu_usage_millicores"),
  m("processes", "memory_rss_bytes"),
  m("host", "load1"),
  m("host", "memory_used_bytes"),
];

Deno.test("REQ-VIEW-046: a fresh view has five panels of the first metrics to look at", () => {
  assert.deepEqual(defaultView(["containers", "processes", "host"], METRICS), {
    table: "containers",
    metrics: [
      "cpu_usage_millicores",
      "memory_working_set_bytes",
      "cpu_throttled_usec",
      "memory_pressure_some_usec",
      "network_rx_bytes",
    ],
  });
  // Without containers: the host, topped up with what it has.
  assert.deepEqual(defaultView(["host"], METRICS), {
    table: "host",
    metrics: ["memory_used_bytes", "load1"],
  });
  assert.deepEqual(defaultView(["gpu"], [m("gpu", "util")]), { table: "gpu", metrics: ["util"] });
  assert.equal(defaultView([], METRICS), null);
  assert.equal(defaultView(["gpu"], METRICS), null);
});

Deno.test("REQ-VIEW-046: a new panel keeps the metric looked at when its table has it", () => {
  assert.equal(metricFor("processes", METRICS, "cpu_usage_millicores"), "cpu_usage_millicores");
  assert.equal(metricFor("processes", METRICS, "pids"), "cpu_usage_millicores");
  assert.equal(metricFor("host", METRICS), "memory_used_bytes");
  assert.equal(metricFor("gpu", METRICS), null);
});
