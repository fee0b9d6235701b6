/**
 * Lets the event loop run — other requests, a page being served — about every 20 ms of a long
 * query: the recording's reads are synchronous, and awaiting a value already at hand (a footer
 * read before) does not yield.
 *
 * @module
 */

let last = 0;

/**
 * Yields to the event loop when 20 ms have passed since it last did.
 *
 * @example
 * ```ts
 * import { yieldNow } from "./yield_now.ts";
 * for (let i = 0; i < 3; i++) await yieldNow();
 * ```
 */
export async function yieldNow(): Promise<void> {
  if (performance.now() - last < 20) return;
  await new Promise((resolve) => setTimeout(resolve, 0));
  last = performance.now();
}
