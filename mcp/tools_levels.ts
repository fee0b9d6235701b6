/**
 * `gap_analysis` and `correlation_table`: the two cross-level views of `fgm monitor` computed from
 * the recording over a range (by default its last 10 s, like one interval of `fgm monitor`), with
 * the parts a recording cannot hold named in each result.
 *
 * @module
 */

import { z } from "zod";
import { resolveContainer } from "./containers.ts";
import { recordedCorrelation } from "./correlation.ts";
import { ArgumentError } from "./errors.ts";
import { limitPerKind, recordedGap } from "./gap.ts";
import { readLevels } from "./levels.ts";
import { round } from "./stats.ts";
import { containersIn, RANGE, rangeOf, rangeResult, tool, type ToolContext } from "./tool.ts";

/** Default range of both tools: the last 10 s of the recording. */
const DEFAULT_LAST_MS = 10_000;

const RANGE_10S = {
  ...RANGE,
  last: RANGE.last.describe('the final span of the recording, e.g. "10s" (default), "5m"'),
};

/** The node a call means: the one named, or the only one. */
function nodeOf(ctx: ToolContext, node: string | undefined): string {
  const nodes = ctx.rec.catalog.nodes();
  if (node !== undefined) {
    if (!nodes.includes(node)) {
      throw new ArgumentError(`no node "${node}" in this recording (${nodes.join(", ")})`);
    }
    return node;
  }
  if (nodes.length > 1) {
    throw new ArgumentError(
      `this recording holds ${nodes.length} nodes: name one (${nodes.join(", ")})`,
    );
  }
  return nodes[0] ?? "local";
}

function rounded(values: Record<string, number | string | null>) {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === "number" ? round(v) : v]),
  );
}

/** `gap_analysis`. */
export const gapAnalysisTool = tool({
  name: "gap_analysis",
  title: "What each isolation level hides (fgm monitor gap)",
  description:
    "The findings of `fgm monitor gap` computed from the recording over a range (default: its " +
    "last 10 s): processes outside containers, container CPU no process explains, RSS against " +
    "cgroup memory, containers without limits, throttling with an idle host, container memory " +
    "against the host's, containers near their memory limit, stalls on CPU or memory. Rates " +
    "are means over the range, alarms use the worst second. notComputable names the findings a " +
    "recording cannot support.",
  input: z.object({
    node: z.string().optional().describe("the node (needed when the recording holds several)"),
    ...RANGE_10S,
    maxPerKind: z.number().int().min(1).max(1000).default(5).describe(
      "most findings of one kind (one per container) listed; the rest are counted in omitted",
    ),
  }).strict(),
  run: async (args, ctx) => {
    const node = nodeOf(ctx, args.node);
    const { fromMs, toMs } = await rangeOf(ctx, args, DEFAULT_LAST_MS);
    const gap = recordedGap(await readLevels(ctx.rec, node, fromMs, toMs));
    const { kept, omitted } = limitPerKind(gap.findings, args.maxPerKind);
    return {
      node,
      range: rangeResult(fromMs, toMs),
      hostBusyPercent: gap.hostBusyPercent === null ? null : round(gap.hostBusyPercent),
      omitted,
      findings: kept.map((f) => ({
        ...f,
        values: rounded(f.values),
        subjects: f.subjects.map((s) => (typeof s === "string" ? s.slice(0, 12) : s)),
      })),
      notComputable: gap.notComputable,
    };
  },
});

/** `correlation_table`. */
export const correlationTableTool = tool({
  name: "correlation_table",
  title: "One container at the process, container and host level (fgm monitor correlation)",
  description:
    "The isolation table of `fgm monitor correlation` for one container, from the recording " +
    "over a range (default: its last 10 s): spec, on disk, in memory, in network, runtime " +
    "context and isolation at the process, container and host level, and CPU, memory, limits, " +
    "process counts and CPU pressure side by side (means over the range; pressure: the highest). " +
    'Cells a recording cannot fill say "not recorded".',
  input: z.object({
    container: z.string().min(1).describe("name, id prefix, pod name or namespace/pod"),
    ...RANGE_10S,
  }).strict(),
  run: async (args, ctx) => {
    const { fromMs, toMs } = await rangeOf(ctx, args, DEFAULT_LAST_MS);
    const e = resolveContainer(await containersIn(ctx, fromMs, toMs), args.container);
    const facts = await readLevels(ctx.rec, e.node, fromMs, toMs);
    const view = recordedCorrelation(facts, String(e.labels.container_id));
    if (view === null) throw new ArgumentError(`"${args.container}" has no sample in the range`);
    return {
      container: view.name,
      id: view.containerId.slice(0, 12),
      node: view.node,
      range: rangeResult(fromMs, toMs),
      mainPid: view.mainPid,
      table: view.table,
      metrics: view.metrics.map((m) => ({
        ...m,
        process: m.process === null ? null : round(m.process),
        container: m.container === null ? null : round(m.container),
        host: m.host === null ? null : round(m.host),
      })),
      notRecorded: view.notRecorded,
    };
  },
});
