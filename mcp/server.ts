/**
 * The MCP server of `fgm mcp` over one recording, on the official SDK's protocol layer: tools
 * (tools.ts), two resources (`fgm://schema`: the columns of every table; `fgm://recording`: what
 * is recorded) and one prompt (`investigate`). Arguments are checked against each tool's zod
 * schema; a bad argument — a schema violation, an unknown metric or container, a range outside the
 * recording, an unknown tool — is answered with a JSON-RPC error −32602 and one clear sentence; a
 * failure of the recording (empty, unreadable) with a tool result marked `isError`. Nothing a
 * call does ends the server.
 *
 * It uses the SDK's `Server` rather than `McpServer`: `McpServer` turns every failure, bad
 * arguments included, into an `isError` result (specs/mcp.md, REQ-MCP-004).
 *
 * @module
 */

// The SDK's "./*" export maps types to "<path>.js.d.ts"; @ts-types names the real ones.
// @ts-types="@modelcontextprotocol/sdk/server/index"
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Recording } from "../recording/recording.ts";
import { schemaMarkdown } from "../collector/schema_doc.ts";
import { TABLES } from "../collector/tables.ts";
import { ArgumentError } from "./errors.ts";
import type { ToolContext, ToolDef } from "./tool.ts";
import { TOOLS } from "./tools.ts";
import { describeRecording } from "./tools_recording.ts";

/** Options of {@linkcode createMcpServer}. */
export interface McpServerOptions {
  version?: string;
  /** Walk the directory again before a call at most this often (ms; default 2000; 0: never). */
  refreshMs?: number;
}

/** One line per schema problem: `points: Too big: expected number to be <=500`. */
export function argumentMessage(tool: string, error: z.ZodError): string {
  return `Invalid arguments for ${tool}: ` +
    error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`).join(
      "; ",
    );
}

function context(rec: Recording): ToolContext {
  return {
    rec,
    async whole() {
      const range = await rec.range();
      if (range !== null) return range;
      const problems = [...rec.catalog.problems];
      throw new Error(
        `"${rec.catalog.root}" holds no readable sample yet${
          problems.length
            ? ` (${problems.length} unreadable files, e.g. ${problems[0][0]}: ${problems[0][1]})`
            : ": no Parquet file fgm collect wrote"
        }`,
      );
    },
  };
}

const PROMPT = (container?: string, symptom?: string) =>
  [
    `Investigate ${
      container ? `the container "${container}"` : "the containers"
    } in the fgm recording${symptom ? ` (symptom: ${symptom})` : ""}.`,
    "1. describe_recording: nodes and the time range (UTC).",
    "2. list_containers (and list_metrics for names and units).",
    "3. top_containers and get_series for CPU (cpu_usage_millicores, cpu_throttled_usec), memory " +
    "(memory_working_set_bytes against memory_limit_bytes, memory_pressure_some_usec) and IO.",
    "4. study_periodicity on what looks bursty, study_changepoint on what stepped, " +
    "study_correlation for what moved with it (name the container); gap_analysis and " +
    "correlation_table around the worst moment (from/to a few seconds either side of a maxAt).",
    "Say what you found with the numbers, times and units the tools gave, and what you could " +
    "not tell from the recording.",
  ].join("\n");

/** The server over `rec`; connect it to a transport. */
export function createMcpServer(rec: Recording, o: McpServerOptions = {}): Server {
  const server = new Server(
    { name: "fgm", version: o.version ?? "0.0.0", title: "fgm: a container recording" },
    {
      capabilities: { tools: {}, resources: {}, prompts: {} },
      instructions:
        "Read-only tools over a recording of container, process and host metrics at 1 Hz " +
        "(fgm collect). Start with describe_recording; times are UTC, CPU in millicores.",
    },
  );
  const ctx = context(rec);
  const tools = new Map<string, ToolDef>(TOOLS.map((t) => [t.name, t]));
  const refreshMs = o.refreshMs ?? 2000;
  let refreshed = performance.now();
  const refresh = async () => {
    if (refreshMs <= 0 || performance.now() - refreshed < refreshMs) return;
    refreshed = performance.now();
    await rec.refresh();
  };

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: TOOLS.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: z.toJSONSchema(t.input, { io: "input" }) as {
        type: "object";
        [k: string]: unknown;
      },
      annotations: {
        title: t.title,
        readOnlyHint: t.name !== "export_parquet",
        destructiveHint: false,
        idempotentHint: t.name !== "export_parquet",
        openWorldHint: false,
      },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const t = tools.get(request.params.name);
    if (!t) {
      throw new ArgumentError(
        `Unknown tool "${request.params.name}" (tools: ${[...tools.keys()].join(", ")})`,
      );
    }
    const parsed = t.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) throw new ArgumentError(argumentMessage(t.name, parsed.error));
    try {
      await refresh();
      const result = await t.run(parsed.data, ctx);
      return {
        content: [{ type: "text" as const, text: JSON.stringify(result) }],
        structuredContent: result,
      };
    } catch (error) {
      if (error instanceof ArgumentError) throw error;
      if (error instanceof RangeError) throw new ArgumentError(error.message);
      return {
        content: [{
          type: "text" as const,
          text: `${t.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        }],
        isError: true,
      };
    }
  });

  const RESOURCES = [
    {
      uri: "fgm://schema",
      name: "schema",
      title: "The columns of every table",
      description: "Type, unit, kind, meaning and kernel source of every column fgm records",
      mimeType: "text/markdown",
    },
    {
      uri: "fgm://recording",
      name: "recording",
      title: "What this recording holds",
      description: "Nodes, time range, tables, containers and unreadable files (JSON)",
      mimeType: "application/json",
    },
  ];
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: RESOURCES }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const uri = request.params.uri;
    if (uri === "fgm://schema") {
      return { contents: [{ uri, mimeType: "text/markdown", text: schemaMarkdown(TABLES) }] };
    }
    if (uri === "fgm://recording") {
      await refresh();
      return {
        contents: [{
          uri,
          mimeType: "application/json",
          text: JSON.stringify(await describeRecording(ctx)),
        }],
      };
    }
    throw new ArgumentError(`Unknown resource "${uri}" (fgm://schema, fgm://recording)`);
  });

  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: [{
      name: "investigate",
      title: "Investigate a container resource problem",
      description: "The steps to find what a container did, with fgm's tools",
      arguments: [
        { name: "container", description: "a container name or id prefix", required: false },
        { name: "symptom", description: "what was seen, e.g. slow responses", required: false },
      ],
    }],
  }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    if (request.params.name !== "investigate") {
      throw new ArgumentError(`Unknown prompt "${request.params.name}" (investigate)`);
    }
    const a = request.params.arguments ?? {};
    return {
      description: "Investigate a container resource problem",
      messages: [{
        role: "user" as const,
        content: { type: "text" as const, text: PROMPT(a.container, a.symptom) },
      }],
    };
  });
  return server;
}
