/**
 * What the collector says while its files cannot be written (a full disk, a read-only or vanished
 * directory): one line when writing starts failing, a count once a minute while it lasts, one line
 * when writing works again — not a line per file per flush. Pure: the collector passes each
 * flush's outcome and logs the lines returned.
 *
 * @module
 */

/** An outage in progress. */
export interface WriteOutage {
  /** When the first write failed (ms). */
  sinceMs: number;
  /** Failed file writes so far. */
  failures: number;
  /** When the last line about it was said (ms). */
  reportedMs: number;
  /** The latest failure's message. */
  lastError: string;
}

/** One flush's outcome. */
export interface FlushOutcome {
  /** Files that could not be written. */
  failed: number;
  /** The first failure: `"<path>": <why>`. */
  error?: string;
  /** Files written. */
  written: number;
  /** Rows held in memory for the next flush. */
  rowsWaiting: number;
}

/** How often a lasting outage is counted on stderr. */
export const OUTAGE_REPORT_MS = 60_000;

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * The next state after a flush at `nowMs`, and the lines to log.
 *
 * @example
 * ```ts
 * import { nextWriteOutage } from "./write_outage.ts";
 * const a = nextWriteOutage(null, 0, { failed: 3, error: '"/d/x.parquet": No space left on device', written: 0, rowsWaiting: 30 });
 * console.assert(a.lines.length === 1);
 * const b = nextWriteOutage(a.state, 1000, { failed: 3, written: 0, rowsWaiting: 60 });
 * console.assert(b.lines.length === 0);
 * const c = nextWriteOutage(b.state, 2000, { failed: 0, written: 3, rowsWaiting: 0 });
 * console.assert(c.state === null && c.lines[0].startsWith("writing works again"));
 * ```
 */
export function nextWriteOutage(
  state: WriteOutage | null,
  nowMs: number,
  outcome: FlushOutcome,
  reportEveryMs = OUTAGE_REPORT_MS,
): { state: WriteOutage | null; lines: string[] } {
  if (outcome.failed === 0) {
    if (state === null) return { state, lines: [] };
    return {
      state: null,
      lines: [
        `writing works again after ${state.failures} failed file writes over ${
          seconds(nowMs - state.sinceMs)
        }`,
      ],
    };
  }
  const error = outcome.error ?? state?.lastError ?? "unknown error";
  if (state === null) {
    return {
      state: { sinceMs: nowMs, failures: outcome.failed, reportedMs: nowMs, lastError: error },
      lines: [
        `cannot write ${error}; rows stay in memory and every flush retries (counted in collector_write_errors)`,
      ],
    };
  }
  const next = { ...state, failures: state.failures + outcome.failed, lastError: error };
  if (nowMs - state.reportedMs < reportEveryMs) return { state: next, lines: [] };
  next.reportedMs = nowMs;
  return {
    state: next,
    lines: [
      `still cannot write after ${
        seconds(nowMs - state.sinceMs)
      }: ${next.failures} failed file writes, ${outcome.rowsWaiting} rows waiting in memory (last: ${error})`,
    ],
  };
}
