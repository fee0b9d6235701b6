/**
 * `fgm mcp <file.parquet | directory>`: a Model Context Protocol server over stdio that lets an AI
 * agent read a recording — what is recorded, series, top containers, studies, the gap analysis
 * and correlation table of `fgm monitor`, exports — through the same query layer as `fgm view`.
 * Read-only but for `export_parquet`, which only creates new files outside the recording.
 * stdout carries the protocol; messages go to stderr. Ends when the client closes stdin.
 *
 * @module
 */

import process from "node:process";
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { parse } from "../cli/args.ts";
import { UsageError } from "../cli/errors.ts";
import { openRecording } from "../recording/recording.ts";
import { createMcpServer } from "./server.ts";
import denoJson from "../deno.json" with { type: "json" };

const HELP = `Usage: fgm mcp <file.parquet | directory>

Serves a recording to an AI agent as a Model Context Protocol server over stdio (the client
starts this command). Tools: describe_recording, list_metrics, list_containers, get_series,
top_containers, study_periodicity, study_changepoint, study_correlation, gap_analysis,
correlation_table, export_parquet.
Resources: fgm://schema, fgm://recording. Prompt: investigate.

Nothing in the recording is ever written; export_parquet only creates new files elsewhere.
Registration with an MCP client: see README.md, "fgm mcp".

Options:
  -h, --help   show this help`;

/** Parses `fgm mcp` arguments: the recording's path, or `"help"`. */
export function parseMcpArgs(args: string[]): string | "help" {
  const { values, positionals } = parse("mcp", args, { help: { type: "boolean", short: "h" } });
  if (values.help) return "help";
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "mcp: which recording? (fgm mcp <file.parquet | directory>)"
        : `mcp: one recording at a time, not ${positionals.length}`,
    );
  }
  if (positionals[0].trim() === "") throw new UsageError(`mcp: the recording's path is empty`);
  return positionals[0];
}

/** Runs `fgm mcp`; resolves when the client closes stdin. */
export async function mcpMain(args: string[]): Promise<number> {
  const path = parseMcpArgs(args);
  if (path === "help") {
    console.log(HELP);
    return 0;
  }
  const rec = await openRecording(path, {
    problem: (file, reason) => console.error(`fgm mcp: skipping "${file}": ${reason}`),
  });
  const files = rec.catalog.tables().reduce((n, t) => n + rec.catalog.files(t).length, 0);
  if (files === 0) console.error(`fgm mcp: "${path}" holds no Parquet file yet`);
  const server = createMcpServer(rec, { version: denoJson.version });
  const closed = new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
    server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport(process.stdin, process.stdout));
  await closed;
  await server.close();
  rec.close();
  return 0;
}
