/**
 * The collector's own bookkeeping, apart from its loop: a tally of what went wrong and what was
 * missed (counted once, for the run's summary and for the next `host` row), and the pure function
 * that makes the collector's figures of a `host` row. No I/O.
 *
 * @module
 */

import type { CollectorFigures } from "./tables.ts";
import { USER_HZ } from "../reader/process.ts";

/** Counts of one kind: for the whole run, and since the last `host` row. */
interface Count {
  run: number;
  sinceRow: number;
}

/**
 * Errors, failed file writes and missed ticks of a collector run. Each is counted once here: the
 * run's total (the summary) and the count since the last `host` row (its columns) move together.
 * Failed writes are errors too, and are also counted apart (`collector_write_errors`).
 */
export class RunTally {
  readonly #errors: Count = { run: 0, sinceRow: 0 };
  readonly #writeErrors: Count = { run: 0, sinceRow: 0 };
  readonly #missed: Count = { run: 0, sinceRow: 0 };

  /** Adds `n` errors (unreadable files, API failures, merges, values out of range…). */
  error(n = 1): void {
    add(this.#errors, n);
  }

  /** Adds `n` files that could not be written; they are errors too. */
  writeFailed(n: number): void {
    add(this.#writeErrors, n);
    add(this.#errors, n);
  }

  /** Adds `n` ticks that were missed. */
  missed(n: number): void {
    add(this.#missed, n);
  }

  /** Errors of the whole run. */
  get errors(): number {
    return this.#errors.run;
  }

  /** Missed ticks of the whole run. */
  get missedTicks(): number {
    return this.#missed.run;
  }

  /** The counts since the last row, for a new `host` row; starts counting the next. */
  takeRow(): RowCounts {
    const row = {
      errors: this.#errors.sinceRow,
      writeErrors: this.#writeErrors.sinceRow,
      missedTicks: this.#missed.sinceRow,
    };
    this.#errors.sinceRow = 0;
    this.#writeErrors.sinceRow = 0;
    this.#missed.sinceRow = 0;
    return row;
  }
}

function add(count: Count, n: number): void {
  if (n > 0) {
    count.run += n;
    count.sinceRow += n;
  }
}

/** What {@linkcode RunTally.takeRow} gives a `host` row. */
export interface RowCounts {
  errors: number;
  writeErrors: number;
  missedTicks: number;
}

/** The collector's own CPU time (`utime + stime` ticks of its stat) at a monotonic time. */
export interface SelfSample {
  ticks: number;
  ms: number;
}

/**
 * The collector's figures of one `host` row: its CPU in millicores between two samples of its own
 * stat (`null` at the first row or when either is unknown), its RSS, and the times and counts
 * given.
 */
export function collectorFigures(
  self: { before: SelfSample | null; now: SelfSample | null },
  measured: { rssBytes: number | null; sweepMs: number; pssMs: number | null },
  counts: RowCounts,
): CollectorFigures {
  const { before, now } = self;
  return {
    cpuMillicores: before !== null && now !== null && now.ms > before.ms
      ? ((now.ticks - before.ticks) * (1000 / USER_HZ)) / ((now.ms - before.ms) / 1000)
      : null,
    rssBytes: measured.rssBytes,
    sweepMs: measured.sweepMs,
    pssMs: measured.pssMs,
    missedTicks: counts.missedTicks,
    errors: counts.errors,
    writeErrors: counts.writeErrors,
  };
}
