import assert from "node:assert/strict";
import {
  type CarriedParts,
  containerActivity,
  mayDefer,
  partsDecision,
  statsDecision,
} from "./carry.ts";

const at = (sweep: number, usageNs: number | null, memoryBytes: number | null) => ({
  usageNs,
  memoryBytes,
  sweep,
});

Deno.test("REQ-RDR-226: containerActivity() says a container ran unless its CPU counter is known and unchanged since the previous sweep", () => {
  const now = { usageNs: 100, memoryBytes: 4096 };
  assert.deepEqual(containerActivity(at(4, 100, 4096), now, 5), { ran: false, still: true });
  assert.deepEqual(containerActivity(at(4, 100, 8192), now, 5), { ran: false, still: false });
  assert.deepEqual(containerActivity(at(4, 99, 4096), now, 5), { ran: true, still: false });
  // Not remembered, remembered from an older sweep, or an unknown counter: it may have run.
  assert.deepEqual(containerActivity(undefined, now, 5), { ran: true, still: false });
  assert.deepEqual(containerActivity(at(3, 100, 4096), now, 5), { ran: true, still: false });
  assert.deepEqual(containerActivity(at(4, null, 4096), { ...now, usageNs: null }, 5), {
    ran: true,
    still: false,
  });
  // Memory unknown: idle for io and fds, but not still.
  assert.deepEqual(containerActivity(at(4, 100, null), { ...now, memoryBytes: null }, 5), {
    ran: false,
    still: false,
  });
});

Deno.test("REQ-RDR-227: mayDefer() refuses running, zombie and dead processes and those with notes", () => {
  assert.equal(mayDefer({ state: "S", notes: 0 }), true);
  assert.equal(mayDefer({ state: "D", notes: 0 }), true);
  for (const state of ["R", "Z", "X"]) assert.equal(mayDefer({ state, notes: 0 }), false, state);
  assert.equal(mayDefer({ state: "S", notes: 1 }), false);
});

Deno.test("REQ-RDR-227: statsDecision() carries a whole sample only for a still container and a sample taken after its counters", () => {
  const still = { ran: false, still: true };
  assert.equal(statsDecision(still, true), "carry");
  assert.equal(statsDecision(still, false), "read", "the previous sample predates the counters");
  assert.equal(statsDecision({ ran: false, still: false }, true), "read", "memory moved");
  assert.equal(statsDecision({ ran: true, still: false }, true), "read", "it ran");
});

Deno.test("REQ-RDR-226: partsDecision() carries io and fds of the same process from the previous sweep of an idle container", () => {
  const known: CarriedParts<{ rchar: number }> = {
    startTimeTicks: 7,
    io: { rchar: 1 },
    fds: 4,
    sweep: 9,
  };
  const idle = { ran: false, still: false };
  const now = { sweep: 10, startTimeTicks: 7, io: true, fds: true };
  assert.equal(partsDecision(known, idle, now), "carry");
  assert.equal(partsDecision(known, { ran: true, still: false }, now), "read", "it ran");
  assert.equal(partsDecision(undefined, idle, now), "read", "nothing remembered");
  assert.equal(partsDecision(known, idle, { ...now, sweep: 11 }), "read", "from an older sweep");
  assert.equal(partsDecision(known, idle, { ...now, startTimeTicks: 8 }), "read", "PID reused");
  assert.equal(partsDecision({ ...known, io: null }, idle, now), "read", "io unknown");
  assert.equal(partsDecision({ ...known, io: null }, idle, { ...now, io: false }), "carry");
  assert.equal(partsDecision({ ...known, fds: null }, idle, now), "read", "fds unknown");
});
