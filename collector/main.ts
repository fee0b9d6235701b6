/**
 * `fgm collect` (not built yet: see the open issues).
 *
 * @module
 */

import { UsageError } from "../cli/errors.ts";

/** Runs `fgm collect`; this build does not have it yet. */
export function collectMain(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log("Usage: fgm collect ... (not available in this build yet)");
    return Promise.resolve(0);
  }
  throw new UsageError("collect: not available in this build yet");
}
