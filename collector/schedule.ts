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
 * many ticks were missed in between (0 when the sweep fit in its interval). When the wall clock
 * is more than an interval behind the tick (it was stepped back: NTP, a restored VM), the schedule
 * re-anchors on the clock: the next multiple after `nowMs`, nothing missed, and `steppedBackMs`
 * says by how much (0 otherwise). Waiting for the old schedule would stop sampling for as long as
 * the step.
 */
export function advance(
  scheduledMs: number,
  nowMs: number,
  intervalMs: number,
): { next: number; missed: number; steppedBackMs: number } {
  if (nowMs < scheduledMs - intervalMs) {
    return { next: nextTick(nowMs, intervalMs), missed: 0, steppedBackMs: scheduledMs - nowMs };
  }
  const next = nextTick(Math.max(nowMs, scheduledMs), intervalMs);
  const missed = Math.max(0, Math.round((next - scheduledMs) / intervalMs) - 1);
  return { next, missed, steppedBackMs: 0 };
}

/**
 * Waits until the wall clock reads `timeMs` (timers may fire early: it waits again until the tick
 * has really come), or `signal` aborts — but never longer than the wait planned at the call plus
 * `slackMs` of monotonic time, so that a wall clock stepped back during the wait cannot stop the
 * caller for as long as the step ({@linkcode advance} then re-anchors the schedule). `now` reads
 * the wall clock (tests step it).
 */
export async function sleepUntil(
  timeMs: number,
  signal: AbortSignal,
  { slackMs = 1000, now = Date.now }: { slackMs?: number; now?: () => number } = {},
): Promise<void> {
  const giveUpAt = performance.now() + Math.max(0, timeMs - now()) + slackMs;
  while (!signal.aborted && now() < timeMs && performance.now() < giveUpAt) {
    const wait = Math.min(timeMs - now(), giveUpAt - performance.now());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(1, wait));
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/**
 * Whether a flush is due at the tick `scheduledMs`: `flushMs` after the last one, or at once when
 * the wall clock went back past it (else nothing would reach the disk until the clock caught up).
 */
export function flushDue(scheduledMs: number, lastFlushMs: number, flushMs: number): boolean {
  return scheduledMs - lastFlushMs >= flushMs || scheduledMs < lastFlushMs;
}

/**
 * Whether a PSS read planned for `nextMs` is due at `nowMs`: when the time has come, or when the
 * plan lies more than one `intervalMs` ahead (the wall clock went back).
 */
export function cadenceDue(nowMs: number, nextMs: number, intervalMs: number): boolean {
  return nowMs >= nextMs || nextMs - nowMs > intervalMs;
}
