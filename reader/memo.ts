/**
 * A bounded memo for pure functions of three strings that a 1 Hz sweep calls with the same
 * arguments every time (a container's cgroup directories): the answer is kept until the memo
 * holds `max` answers, when it starts over.
 *
 * Answers are kept in maps nested by argument rather than under one joined key: joining the
 * arguments built a new string for every lookup, and looking it up copied it flat again, ~200 KiB
 * per sweep at 50 containers (bench/README.md, "Seventh round"). The arguments themselves are
 * usually the same string objects every sweep, whose hashes V8 keeps.
 *
 * @module
 */

/**
 * Memoizes `compute` by its two or three arguments (a missing third is `""`); at most `max`
 * answers are kept. `compute` is given once, so that a lookup allocates no closure.
 */
export function boundedMemo<T>(
  max: number,
  compute: (a: string, b: string, c: string) => T,
): (a: string, b: string, c?: string) => T {
  let memo = new Map<string, Map<string, Map<string, T>>>();
  let size = 0;
  return (a, b, c = "") => {
    let byB = memo.get(a);
    if (byB === undefined) memo.set(a, byB = new Map());
    let byC = byB.get(b);
    if (byC === undefined) byB.set(b, byC = new Map());
    if (byC.has(c)) return byC.get(c) as T;
    const value = compute(a, b, c);
    if (size >= max) {
      memo = new Map([[a, new Map([[b, new Map([[c, value]])]])]]);
      size = 1;
      return value;
    }
    byC.set(c, value);
    size++;
    return value;
  };
}
