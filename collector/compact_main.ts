/**
 * `fgm _compact`: one compaction in a process of its own. `fgm collect` starts it (see
 * `maintenance.ts`) so that a merge — a re-encoding one takes seconds of CPU and up to a few
 * hundred MiB for a 15-minute window — neither delays a tick nor stays in the collector's heap. Not meant to be typed by
 * hand; it is not in `fgm --help`.
 *
 * ```sh
 * fgm _compact [--concat] --target <file.parquet> <source.parquet>...
 * ```
 *
 * `--concat` copies the sources' row groups without re-encoding them when they follow each other
 * in time (second-tier merges of files that already hold minutes of rows), else merges.
 *
 * Prints one JSON line (`{"target", "rows", "bytes"}`) on success.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "../cli/errors.ts";
import { compactFiles } from "./parquet/compact.ts";
import { mergeFileMetadata } from "./entities.ts";
import { TABLES } from "./tables.ts";

/** Runs one compaction; returns the exit code. */
export async function compactMain(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        target: { type: "string" },
        concat: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`_compact: ${error instanceof Error ? error.message : error}`);
  }
  const { values, positionals } = parsed;
  if (!values.target || positionals.length === 0) {
    throw new UsageError("_compact: needs --target and at least one source");
  }
  const result = await compactFiles(positionals, values.target, {
    method: values.concat ? "concat" : "merge",
    mergeMetadata: (sources) => mergeFileMetadata(sources, TABLES),
  });
  console.log(JSON.stringify({ target: result.target, rows: result.rows, bytes: result.bytes }));
  return 0;
}
