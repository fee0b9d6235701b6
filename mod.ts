/**
 * fgm — a fine-grained container monitor. Dispatches to the subcommands and turns every error
 * into one line on stderr and an exit code: 2 for usage errors, 1 for the rest.
 *
 * @module
 */

import denoJson from "./deno.json" with { type: "json" };
import { exitCodeOf, messageOf, UsageError } from "./cli/errors.ts";

/** The program's version, from deno.json. */
export const VERSION: string = denoJson.version;

const HELP = `fgm ${VERSION} — fine-grained container monitor (process, container, host at 1 Hz)

Usage:
  fgm collect [options]            sample every container, process and the host to Parquet
  fgm view <file.parquet|dir>      open recorded Parquet files in a local web viewer
  fgm analyze <path> --study S     periodicity, changepoints or correlations of a metric
  fgm mcp <file.parquet|dir>       serve a recording to AI agents (MCP over stdio)
  fgm monitor <level> [args]       look at a level live: host, process <pid>,
                                   container <id|name>, all, gap, correlation <id>

Options:
  -h, --help       show help (also: fgm <subcommand> --help)
  -V, --version    print the version

Run as root (or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH) to see every process.`;

type Main = (args: string[]) => Promise<number>;

const SUBCOMMANDS: Record<string, () => Promise<Main>> = {
  monitor: async () => (await import("./monitor/main.ts")).monitorMain,
  collect: async () => (await import("./collector/main.ts")).collectMain,
  view: async () => (await import("./viewer/main.ts")).viewMain,
  analyze: async () => (await import("./analyze/main.ts")).analyzeMain,
  mcp: async () => (await import("./mcp/main.ts")).mcpMain,
  // Internal: one compaction in its own process, started by `fgm collect` (not in the help).
  _compact: async () => (await import("./collector/compact_main.ts")).compactMain,
};

/** Runs fgm with `args` and returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    console.log(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === "-V" || first === "--version") {
    console.log(`fgm ${VERSION}`);
    return 0;
  }
  const load = SUBCOMMANDS[first];
  if (!load) {
    throw new UsageError(
      first.startsWith("-")
        ? `unknown option "${first}" (see fgm --help)`
        : `unknown subcommand "${first}" (see fgm --help)`,
    );
  }
  return await (await load())(rest);
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (error) {
    console.error(`fgm: ${messageOf(error)}`);
    if (Deno.env.get("FGM_DEBUG")) console.error(error);
    code = exitCodeOf(error);
  }
  Deno.exit(code);
}
