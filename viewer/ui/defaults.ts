/**
 * What a fresh view shows before the user chooses anything: five panels of the metrics an SRE
 * looks at first (CPU, memory working set, throttling, memory pressure, network) for the
 * containers — or, without a containers table, the host's — and the metric a new panel of a table
 * starts with. Pure.
 *
 * @module
 */

import type { MetricInfo } from "./api.ts";

/** The first metrics to show, per table, in order of preference. */
export const DEFAULT_METRICS: Readonly<Record<string, readonly string[]>> = {
  containers: [
    "cpu_usage_millicores",
    "memory_working_set_bytes",
    "cpu_throttled_usec",
    "memory_pressure_some_usec",
    "network_rx_bytes",
    "io_write_bytes",
  ],
  host: [
    "cpu_usage_millicores",
    "memory_used_bytes",
    "load1",
    "cpu_pressure_some_usec",
    "network_rx_bytes",
  ],
  processes: ["cpu_usage_millicores", "memory_rss_bytes", "memory_pss_bytes", "threads", "fds"],
};

/** How many panels a fresh view has. */
export const DEFAULT_PANELS = 5;

/**
 * The table and metrics of a fresh view: containers if recorded, else the host, else the first
 * table; its preferred metrics that the recording has, topped up with its other metrics.
 */
export function defaultView(
  tables: readonly string[],
  metrics: readonly MetricInfo[],
): { table: string; metrics: string[] } | null {
  const table = ["containers", "host", "processes"].find((t) => tables.includes(t)) ?? tables[0];
  if (table === undefined) return null;
  const available = metrics.filter((m) => m.table === table).map((m) => m.name);
  if (available.length === 0) return null;
  const preferred = (DEFAULT_METRICS[table] ?? []).filter((m) => available.includes(m));
  const rest = available.filter((m) => !preferred.includes(m));
  return { table, metrics: [...preferred, ...rest].slice(0, DEFAULT_PANELS) };
}

/**
 * The metric a panel of `table` starts with: `preferred` (the metric being looked at) when the
 * table has it, else the table's first default, else its first metric.
 */
export function metricFor(
  table: string,
  metrics: readonly MetricInfo[],
  preferred?: string,
): string | null {
  const names = metrics.filter((m) => m.table === table).map((m) => m.name);
  if (preferred && names.includes(preferred)) return preferred;
  return (DEFAULT_METRICS[table] ?? []).find((m) => names.includes(m)) ?? names[0] ?? null;
}
