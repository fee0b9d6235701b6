/**
 * Whether a sweep may carry a process's values over from the previous sweep instead of reading
 * them (REQ-RDR-226, REQ-RDR-227): pure decisions from plain values — the container's counters at
 * this sweep and at the one before, what is remembered of the process, and the sweep number. The
 * sweep (`sweep.ts`) reads files and keeps the memories; these say what it may skip.
 *
 * The rule in one sentence: a process of a container whose CPU usage counter did not move did not
 * run, so it did no I/O and opened no file (its `io` and `fds` carry); if the container's memory
 * usage did not move either, none of its pages was reclaimed, so its whole sample carries — but
 * only values that were read or carried after the counters of the previous sweep, so that the
 * counters vouch for them.
 *
 * @module
 */

/** A container's counters as one sweep read them. */
export interface ContainerCounters {
  /** CPU usage (ns), `null` when unknown. */
  usageNs: number | null;
  /** Memory usage (bytes), `null` when unknown. */
  memoryBytes: number | null;
}

/** {@linkcode ContainerCounters} remembered with the sweep that read them. */
export interface CountersAt extends ContainerCounters {
  sweep: number;
}

/** What a container did between the previous sweep and this one. */
export interface ContainerActivity {
  /** Its CPU usage counter moved, or cannot be compared (unknown, or not read last sweep). */
  ran: boolean;
  /** It did not run and its memory usage is known and unchanged. */
  still: boolean;
}

/**
 * What container did since sweep `sweep - 1`, from its counters then (`before`, `undefined` when
 * not remembered) and now.
 */
export function containerActivity(
  before: CountersAt | undefined,
  now: ContainerCounters,
  sweep: number,
): ContainerActivity {
  const idle = now.usageNs !== null && before !== undefined && before.sweep === sweep - 1 &&
    before.usageNs === now.usageNs;
  return {
    ran: !idle,
    still: idle && now.memoryBytes !== null && before!.memoryBytes === now.memoryBytes,
  };
}

/** What the previous sweep left of a process, for {@linkcode mayDefer}. */
export interface PreviousSample {
  /** Its state letter from `stat` (`R`, `S`, `D`, `Z`, …). */
  state: string;
  /** Parts it could not read (notes); any makes it unfit to carry. */
  notes: number;
}

/**
 * Whether a process's stat read may be put off until its container's counters are read: not when
 * it was running (`R`), a zombie or dead (`Z`, `X`: reaped by a parent outside the container, its
 * PID can be reused without the container running), nor when a part could not be read (its note
 * would be repeated on every carry).
 */
export function mayDefer(previous: PreviousSample): boolean {
  const s = previous.state;
  return s !== "R" && s !== "Z" && s !== "X" && previous.notes === 0;
}

/**
 * For a process whose stat read was put off: `"carry"` its whole previous sample when the
 * container is `still` and that sample was itself read or carried after the container's counters
 * (`afterCounters`), else `"read"` it now.
 */
export function statsDecision(
  activity: ContainerActivity,
  afterCounters: boolean,
): "carry" | "read" {
  return activity.still && afterCounters ? "carry" : "read";
}

/** The `io` and `fds` remembered of a process of a container. */
export interface CarriedParts<Io = unknown> {
  startTimeTicks: number;
  io: Io | null;
  fds: number | null;
  /** The sweep that read or carried these. */
  sweep: number;
}

/**
 * Whether the `io` and `fds` remembered of a process (`known`, in the same container) may be
 * carried into sweep `sweep` instead of read: the container did not run, they are from the
 * previous sweep, the process is the same (start time), and every part asked for is known.
 */
export function partsDecision<Io>(
  known: CarriedParts<Io> | undefined,
  activity: ContainerActivity,
  now: { sweep: number; startTimeTicks: number; io: boolean; fds: boolean },
): "carry" | "read" {
  return !activity.ran && known !== undefined && known.sweep === now.sweep - 1 &&
      known.startTimeTicks === now.startTimeTicks &&
      (!now.io || known.io !== null) && (!now.fds || known.fds !== null)
    ? "carry"
    : "read";
}
