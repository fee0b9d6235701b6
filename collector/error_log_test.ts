import assert from "node:assert/strict";
import { failureChanges, type FailureState } from "./error_log.ts";

Deno.test("REQ-COL-030: failureChanges() logs a failing file when it starts, changes and recovers", () => {
  let state: FailureState = new Map();
  const tick = (errors: string[]) => {
    const out = failureChanges(state, errors);
    state = out.state;
    return out.lines;
  };
  const stat = "/sys/fs/cgroup/memory/docker/x/memory.stat";
  assert.deepEqual(tick([]), []);
  assert.deepEqual(tick([`${stat}: line "zz" is not "key value"`]), [
    `cannot use "${stat}": line "zz" is not "key value" (value left null)`,
  ]);
  assert.deepEqual(tick([`${stat}: line "zz" is not "key value"`]), [], "not every tick");
  assert.deepEqual(tick([`${stat}: permission denied`]), [
    `cannot use "${stat}": permission denied (value left null)`,
  ]);
  assert.deepEqual(tick([]), [`"${stat}" reads again`]);
  assert.deepEqual(tick([]), []);
});
