/**
 * Errors that the top-level handler in mod.ts turns into a one-line message and an exit code.
 *
 * @module
 */

/** Bad command line: unknown flag or subcommand, missing argument. Exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A PID, container or file the user named does not exist. Exit code 1. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** The exit code for an error: 2 for usage errors, 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}

/** The one line a user sees for an error, without a stack. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0];
  return String(error);
}

/**
 * A value the user gave, quoted for a message on one line: control characters (a newline) are
 * escaped, so the message is never cut at the value.
 *
 * @example Quote values
 * ```ts
 * import { quote } from "./errors.ts";
 * quote("-1"); // '"-1"'
 * quote("a\nb"); // '"a\\nb"'
 * ```
 */
export function quote(value: unknown): string {
  return JSON.stringify(String(value));
}
