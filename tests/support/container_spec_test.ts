import assert from "node:assert/strict";
import { cpuQuotaUs, parseMemory, randomContainerId, randomPodUid } from "./container_spec.ts";

Deno.test("parseMemory() reads bytes and docker-style binary sizes", () => {
  assert.equal(parseMemory(4096), 4096);
  assert.equal(parseMemory("512"), 512);
  assert.equal(parseMemory("64k"), 65_536);
  assert.equal(parseMemory("256m"), 268_435_456);
  assert.equal(parseMemory("256MB"), 268_435_456);
  assert.equal(parseMemory("1g"), 1_073_741_824);
  assert.throws(() => parseMemory("lots"), /Cannot parse memory size "lots"/);
});

Deno.test("cpuQuotaUs() converts CPUs to a quota over the 100 ms period", () => {
  assert.equal(cpuQuotaUs(0.2), 20_000);
  assert.equal(cpuQuotaUs(1.5), 150_000);
});

Deno.test("randomContainerId() and randomPodUid() have the runtime's shapes", () => {
  assert.match(randomContainerId(), /^[0-9a-f]{64}$/);
  assert.match(
    randomPodUid(),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.notEqual(randomContainerId(), randomContainerId());
});
