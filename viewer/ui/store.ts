/**
 * A value that components share without re-rendering the whole app: the time under the mouse,
 * which every panel shows as a crosshair and in its legend. `set` notifies subscribers only when
 * the value changes.
 *
 * @module
 */

/** A shared value and its subscribers. */
export interface Store<T> {
  get(): T;
  set(value: T): void;
  /** Calls `listener` on each change; returns the unsubscribe function. */
  subscribe(listener: (value: T) => void): () => void;
}

/**
 * A store holding `initial`; `equal` decides whether a new value is a change.
 *
 * @example
 * ```ts
 * import { createStore } from "./store.ts";
 * const s = createStore(0);
 * const seen: number[] = [];
 * s.subscribe((v) => seen.push(v));
 * s.set(1);
 * s.set(1);
 * console.assert(seen.join() === "1");
 * ```
 */
export function createStore<T>(
  initial: T,
  equal: (a: T, b: T) => boolean = Object.is,
): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      if (equal(value, next)) return;
      value = next;
      for (const l of [...listeners]) l(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The time under the mouse (epoch ms) and which panel it is over; `null` when none. */
export type Cursor = { t: number; panel: number } | null;

/** Cursors are equal when both are null or both name the same time and panel. */
export function sameCursor(a: Cursor, b: Cursor): boolean {
  return a === b || (a !== null && b !== null && a.t === b.t && a.panel === b.panel);
}
