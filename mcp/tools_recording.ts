/**
 * The tools that say what a recording holds: `describe_recording` (nodes, time range, tables,
 * counts, unreadable files), `list_metrics` (with unit, kind and description, from the column
 * declarations) and `list_containers` (pod, namespace, QoS class, runtime; filterable).
 *
 * @module
 */

import { z } from "zod";
import { containerSummary, filterContainers } from "./containers.ts";
import { SAMPLE_MS } from "./time.ts";
import {
  containersIn,
  FILTERS,
  RANGE,
  rangeOf,
  rangeResult,
  tool,
  type ToolContext,
} from "./tool.ts";

/** The description of the recording (also the `fgm://recording` resource). */
export async function describeRecording(ctx: ToolContext): Promise<Record<string, unknown>> {
  const { rec } = ctx;
  const range = await rec.range();
  const tables = rec.catalog.tables().map((name) => ({
    name,
    files: rec.catalog.files(name).length,
  }));
  const end = range === null ? 0 : range.endMs + SAMPLE_MS;
  const containers = range === null ? 0 : (await containersIn(ctx, range.startMs, end)).length;
  const problems = [...rec.catalog.problems].map(([path, reason]) => ({ path, reason }));
  return {
    root: rec.catalog.root,
    nodes: rec.catalog.nodes(),
    range: range === null ? null : rangeResult(range.startMs, end),
    tables,
    containers,
    unreadableFiles: problems.length,
    problems: problems.slice(0, 5),
    note: range === null
      ? "no readable sample yet: is this a directory fgm collect writes?"
      : "times are UTC; series, top_containers and the studies take from/to or last",
  };
}

/** `describe_recording`. */
export const describeRecordingTool = tool({
  name: "describe_recording",
  title: "What is recorded",
  description:
    "Start here. The recording's nodes, time range (UTC), tables (containers, processes, host) " +
    "with their file counts, how many containers it saw, and files it could not read.",
  input: z.object({}).strict(),
  run: (_args, ctx) => describeRecording(ctx),
});

/** `list_metrics`. */
export const listMetricsTool = tool({
  name: "list_metrics",
  title: "Metrics with units",
  description:
    "The metrics of each table with unit, kind (rate: average over the interval; interval: " +
    "amount in the interval; gauge: value at the sample; total: since start) and meaning. " +
    "CPU is in millicores (1000 = one core), sizes in bytes, stall and throttled time in " +
    "microseconds per interval.",
  input: z.object({
    table: z.string().optional().describe("only this table: containers, processes or host"),
    search: z.string().optional().describe("case-insensitive part of a name or description"),
  }).strict(),
  run: async ({ table, search }, ctx) => {
    const q = search?.toLowerCase() ?? "";
    const metrics = (await ctx.rec.metrics())
      .filter((m) => table === undefined || m.table === table)
      .filter((m) =>
        q === "" || m.name.toLowerCase().includes(q) || m.description.toLowerCase().includes(q)
      )
      .map((m) => ({
        table: m.table,
        name: m.name,
        unit: m.unit,
        kind: m.kind,
        description: m.description,
      }));
    return { count: metrics.length, metrics };
  },
});

/** `list_containers`. */
export const listContainersTool = tool({
  name: "list_containers",
  title: "Containers with pod, namespace, QoS class and runtime",
  description:
    "The containers seen in a range (default: the whole recording) with name, short id, pod, " +
    "namespace, QoS class, runtime, node and when they were first and last seen; filterable. " +
    "facets list the values each filter can take.",
  input: z.object({
    ...RANGE,
    ...FILTERS,
    limit: z.number().int().min(1).max(1000).default(100).describe("most containers returned"),
  }).strict(),
  run: async (args, ctx) => {
    const { fromMs, toMs } = await rangeOf(ctx, args);
    const all = await containersIn(ctx, fromMs, toMs);
    const kept = filterContainers(all, args).map(containerSummary);
    const facet = (f: (c: ReturnType<typeof containerSummary>) => string | null) =>
      [...new Set(all.map(containerSummary).map(f).filter((v) => v !== null))].sort();
    return {
      range: rangeResult(fromMs, toMs),
      count: kept.length,
      containers: kept.slice(0, args.limit),
      omitted: Math.max(0, kept.length - args.limit),
      facets: {
        namespaces: facet((c) => c.namespace),
        qos: facet((c) => c.qos),
        runtimes: facet((c) => c.runtime),
        nodes: facet((c) => c.node),
      },
    };
  },
});
