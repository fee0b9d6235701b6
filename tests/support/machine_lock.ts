/**
 * Who may run containers on this machine at the same time. `fgm collect` records every container
 * of the machine, so a test that asserts on what a recording holds (the list of containers, a
 * container by name, CPU near a quota on 2 cores) must not share the machine with another test's
 * containers, cgroups or busy loops — and `deno test --parallel` runs test files side by side.
 *
 * Every helper that starts containers or fake container cgroups takes the lock **shared** for as
 * long as they exist; a test that needs the machine to itself takes it **exclusive** first (its own
 * helpers then pass through). The lock is `flock(2)` on this very file, opened read-only: nothing
 * is created, and the kernel releases it when the holder exits, however it exits.
 *
 * ```ts
 * await using _machine = await lockMachine("exclusive");
 * const daemon = await startDockerd(); // shared: passes, this test holds it exclusive
 * ```
 *
 * @module
 */

const LOCK_PATH = new URL(import.meta.url).pathname;

/** Exclusive locks this isolate (test file) holds. */
let exclusiveHere = 0;

/** A held lock. */
export interface MachineLock {
  release(): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Takes the machine lock, waiting for it: `shared` for a test's containers, `exclusive` for a test
 * that needs the machine to itself. A shared request inside a test file that holds it exclusive
 * passes at once.
 */
export async function lockMachine(kind: "shared" | "exclusive"): Promise<MachineLock> {
  if (kind === "shared" && exclusiveHere > 0) {
    return { release() {}, [Symbol.asyncDispose]: () => Promise.resolve() };
  }
  const file = await Deno.open(LOCK_PATH, { read: true });
  try {
    await file.lock(kind === "exclusive");
  } catch (error) {
    file.close();
    throw error;
  }
  if (kind === "exclusive") exclusiveHere++;
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    if (kind === "exclusive") exclusiveHere--;
    file.close(); // closing the descriptor releases the flock
  };
  return { release, [Symbol.asyncDispose]: () => Promise.resolve(release()) };
}
