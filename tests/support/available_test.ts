import assert from "node:assert/strict";
import { decideAvailability, missingForRuntime, RUNTIME_BINARIES } from "./available.ts";

Deno.test("REQ-TST-007: decideAvailability() skips with a reason locally and fails in CI", () => {
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    assert.equal(decideAvailability(null, false), true);
    assert.equal(decideAvailability(null, true), true);
    assert.equal(decideAvailability("docker needs dockerd", false), false);
    assert.deepEqual(printed, ["skipped: docker needs dockerd"]);
    assert.throws(
      () => decideAvailability("docker needs dockerd", true),
      /Runtime unavailable in CI: docker needs dockerd/,
    );
  } finally {
    console.log = original;
  }
});

Deno.test("REQ-TST-007: missingForRuntime() names what is missing", () => {
  for (const runtime of Object.keys(RUNTIME_BINARIES) as (keyof typeof RUNTIME_BINARIES)[]) {
    const why = missingForRuntime(runtime);
    if (why !== null) assert.match(why, new RegExp(`^${runtime} `));
  }
});
