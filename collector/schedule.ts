/**
 * The tick schedule: ticks fall on whole multiples of the interval in wall-clock time (every whole
 * second at 1 s), so files from several nodes line up. A late sweep never shifts the schedule: the
 * next tick is the next multiple still ahead, and the ticks skipped are counted, never silently
 * dropped.
 *
 * @module
 */

/** The first tick strictly after `nowMs`. */
export function nextTick(nowMs: number, intervalMs: number): number {
  return (Math.floor(nowMs / intervalMs) + 1) * intervalMs;
}

/**
 * After a tick scheduled at `scheduledMs` finished at `nowMs`: the next tick to wait for and how
 * many ticks were missed in between (0 when the sweep fit in its interval).
 */
export function advance(
  scheduledMs: number,
  nowMs: number,
  intervalMs: number,
): { next: number; missed: number } {
  const next = nextTick(Math.max(nowMs, scheduledMs), intervalMs);
  const missed = Math.max(0, Math.round((next - scheduledMs) / intervalMs) - 1);
  return { next, missed };
}

/** Parses `90s`, `5m`, `2h`, `7d`, `1.5` (seconds) or `500ms` into milliseconds. */
export function parseDuration(text: string): number {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/);
  if (!m) throw new TypeError(`"${text}" is not a duration (e.g. 500ms, 10s, 5m, 2h, 7d)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
    (m[2] ?? "s") as "ms"
  ];
  return Number(m[1]) * unit;
}

/** Parses `500M`, `2G`, `1.5GiB`, `1024` (bytes) into bytes (binary multiples). */
export function parseSize(text: string): number {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B)?$/i);
  if (!m) throw new TypeError(`"${text}" is not a size (e.g. 500M, 2G, 1.5GiB)`);
  const power = ["", "K", "M", "G", "T"].indexOf(m[2].toUpperCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}
