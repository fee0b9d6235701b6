/**
 * Reusable work arrays. On our machines a fresh large typed array costs about 5 ms per MiB the
 * first time it is written (page faults), more than the arithmetic done in it: an FFT of 2^18
 * points spent two thirds of its time there. Internal steps therefore borrow their work arrays
 * from here; nothing borrowed is ever returned to a caller. JavaScript runs one function at a
 * time, so a slot is free again as soon as the step that borrowed it returns; each slot has one
 * owner (its name says which).
 *
 * @module
 */

const slots = new Map<string, Float64Array>();

/** Arrays longer than this are not kept after use (2^21 values: 16 MiB). */
const MAX_KEPT = 1 << 21;

/**
 * A work array of `length` values for slot `name`, with arbitrary contents (callers initialise
 * what they read). Valid until the next call for the same slot.
 *
 * @example
 * ```ts
 * import { borrow } from "./scratch.ts";
 * import assert from "node:assert/strict";
 * const a = borrow("example", 8).fill(1);
 * assert.equal(a.length, 8);
 * assert.equal(borrow("example", 4).buffer, a.buffer); // the same memory, reused
 * ```
 */
export function borrow(name: string, length: number): Float64Array {
  const kept = slots.get(name);
  if (kept !== undefined && kept.length >= length) return kept.subarray(0, length);
  const fresh = new Float64Array(length);
  if (length <= MAX_KEPT) slots.set(name, fresh);
  return fresh;
}

/**
 * The bytes the kept work arrays hold.
 *
 * @example
 * ```ts
 * import { borrow, scratchBytes } from "./scratch.ts";
 * import assert from "node:assert/strict";
 * borrow("example-bytes", 100);
 * assert.ok(scratchBytes() >= 800);
 * ```
 */
export function scratchBytes(): number {
  let bytes = 0;
  for (const a of slots.values()) bytes += a.byteLength;
  return bytes;
}

/**
 * Drops every kept work array (a long-lived process that analysed a long series and wants the
 * memory back; the next analysis allocates them again).
 *
 * @example
 * ```ts
 * import { borrow, releaseScratch, scratchBytes } from "./scratch.ts";
 * import assert from "node:assert/strict";
 * borrow("example", 1000);
 * releaseScratch();
 * assert.equal(scratchBytes(), 0);
 * ```
 */
export function releaseScratch(): void {
  slots.clear();
}
