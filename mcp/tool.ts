/**
 * What a tool of `fgm mcp` is — a name, a description a model reads, a zod schema of its
 * arguments (published as JSON Schema) and a function from checked arguments to a plain JSON
 * result — and the argument pieces the tools share: a time range, a table, container filters.
 *
 * @module
 */

import { z } from "zod";
import type { Recording } from "../recording/recording.ts";
import type { Entity } from "../recording/entities.ts";
import { ArgumentError } from "./errors.ts";
import { iso, type RangeArgs, resolveRange } from "./time.ts";

/** What every tool call gets besides its arguments. */
export interface ToolContext {
  rec: Recording;
  /**
   * First and last sample time.
   *
   * @throws {Error} when the recording holds no readable sample (a tool failure, not bad input).
   */
  whole(): Promise<{ startMs: number; endMs: number }>;
}

/** One tool. */
export interface ToolDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  run(args: z.output<S>, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** Declares a tool (keeps `run`'s argument type tied to the schema). */
export function tool<S extends z.ZodObject>(def: ToolDef<S>): ToolDef {
  return def as unknown as ToolDef;
}

const time = z.union([z.number(), z.string()]);

/** The range arguments: `from`/`to` or `last`. */
export const RANGE = {
  from: time.optional().describe(
    "start: epoch milliseconds or ISO 8601 (2026-12-05T10:00:00Z); default: the recording's start",
  ),
  to: time.optional().describe("end (excluded); default: the recording's end"),
  last: z.string().optional().describe(
    'instead of from/to: the final span of the recording, e.g. "30s", "5m", "2h"',
  ),
};

/** The `table` argument. */
export const TABLE = z.string().default("containers").describe(
  'table: "containers" (default), "processes" or "host" (see describe_recording)',
);

/** Container filters (lists keep any of their values). */
export const FILTERS = {
  namespace: z.array(z.string()).optional().describe("Kubernetes namespaces to keep"),
  pod: z.array(z.string()).optional().describe("pod names to keep"),
  qos: z.array(z.string()).optional().describe("QoS classes to keep: Guaranteed, Burstable, …"),
  runtime: z.array(z.string()).optional().describe("runtimes to keep: docker, containerd, …"),
  node: z.array(z.string()).optional().describe("nodes to keep"),
  search: z.string().optional().describe(
    "case-insensitive part of a name, pod, namespace or id",
  ),
};

/** The containers argument: how the tools take containers. */
export const CONTAINERS = z.array(z.string().min(1)).max(50).optional().describe(
  "containers by name, id prefix (≥ 4 hex digits), pod name or namespace/pod; default: all",
);

/** The checked range of a call, `defaultLast` ms at the end when it names none. */
export async function rangeOf(
  ctx: ToolContext,
  args: RangeArgs,
  defaultLast: number | null = null,
): Promise<{ fromMs: number; toMs: number }> {
  return resolveRange(args, await ctx.whole(), defaultLast);
}

/** The table argument, checked against the recording (an empty one fails first, as such). */
export async function tableOf(ctx: ToolContext, table: string): Promise<string> {
  await ctx.whole();
  const tables = ctx.rec.catalog.tables();
  if (!tables.includes(table)) {
    throw new ArgumentError(
      `no table "${table}" in this recording (it has ${tables.join(", ") || "none"})`,
    );
  }
  return table;
}

/** The metric argument, checked against the table; its declaration. */
export async function metricOf(ctx: ToolContext, table: string, metric: string) {
  const all = (await ctx.rec.metrics()).filter((m) => m.table === table);
  const found = all.find((m) => m.name === metric);
  if (found) return found;
  const words = metric.toLowerCase().split(/[_\s]+/).filter((w) => w.length > 2);
  const near = all.filter((m) => words.some((w) => m.name.includes(w))).slice(0, 6);
  throw new ArgumentError(
    `no metric "${metric}" in table "${table}"${
      near.length ? ` (did you mean ${near.map((m) => m.name).join(", ")}?)` : ""
    }; list_metrics lists them`,
  );
}

/** The containers of the range. */
export async function containersIn(
  ctx: ToolContext,
  fromMs: number,
  toMs: number,
): Promise<Entity[]> {
  if (!ctx.rec.catalog.tables().includes("containers")) return [];
  return await ctx.rec.entities({ table: "containers", fromMs, toMs });
}

/** A range as results give it. */
export function rangeResult(fromMs: number, toMs: number) {
  return { from: iso(fromMs), to: iso(toMs), seconds: (toMs - fromMs) / 1000 };
}
