/**
 * Shared by the discovery tests: the fixture node trees under tests/fixtures/discovery/.
 *
 * @module
 */

import type { Roots } from "../fs.ts";

/** The directory holding the fixture trees. */
export const FIXTURES: string =
  new URL("../../tests/fixtures/discovery/", import.meta.url).pathname;

/** Roots that point a reader at fixture tree `tree`. */
export function rootsOf(tree: string): Roots {
  const base = FIXTURES + tree;
  return {
    proc: `${base}/proc`,
    cgroup: `${base}/cgroup`,
    sys: `${base}/sys`,
    host: `${base}/host`,
  };
}

/** The text of a fixture file, by its path under {@linkcode FIXTURES}. */
export function readFixture(path: string): string {
  return Deno.readTextFileSync(FIXTURES + path);
}
