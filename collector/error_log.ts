/**
 * Messages about files that fail tick after tick, without a line per tick: a failure is logged
 * when it starts (or its reason changes) and once more when the file reads again.
 *
 * @module
 */

/** Failures by path, carried from tick to tick. */
export type FailureState = Map<string, string>;

/**
 * Compares this tick's failures (`"<path>: <why>"`, as `CgroupStats.errors` has them) with the
 * last tick's; returns the lines to log and the state for the next tick.
 */
export function failureChanges(
  before: FailureState,
  now: readonly string[],
): { lines: string[]; state: FailureState } {
  if (now.length === 0 && before.size === 0) return { lines: [], state: before }; // the usual tick
  const state: FailureState = new Map();
  const lines: string[] = [];
  for (const error of now) {
    const sep = error.indexOf(": ");
    const path = sep < 0 ? error : error.slice(0, sep);
    const why = sep < 0 ? "" : error.slice(sep + 2);
    if (state.has(path)) continue;
    state.set(path, why);
    if (before.get(path) !== why) lines.push(`cannot use "${path}": ${why} (value left null)`);
  }
  for (const path of before.keys()) {
    if (!state.has(path)) lines.push(`"${path}" reads again`);
  }
  return { lines, state };
}
