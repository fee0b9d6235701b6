/**
 * A bounded memo for pure functions of strings that a 1 Hz sweep calls with the same arguments
 * every time (a container's cgroup directories): the answer is kept by key until the memo holds
 * `max` keys, when it starts over.
 *
 * @module
 */

/** Memoizes `compute` by `key`; at most `max` keys are kept. */
export function boundedMemo<T>(max: number): (key: string, compute: () => T) => T {
  const memo = new Map<string, T>();
  return (key, compute) => {
    if (memo.has(key)) return memo.get(key) as T;
    if (memo.size >= max) memo.clear();
    const value = compute();
    memo.set(key, value);
    return value;
  };
}
