/**
 * `fgm view` (not built yet: see the open issues).
 *
 * @module
 */

import { UsageError } from "../cli/errors.ts";

/** Runs `fgm view`; this build does not have it yet. */
export function viewMain(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log("Usage: fgm view ... (not available in this build yet)");
    return Promise.resolve(0);
  }
  throw new UsageError("view: not available in this build yet");
}
