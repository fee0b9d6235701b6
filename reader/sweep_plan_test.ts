import assert from "node:assert/strict";
import {
  COLLECT_STATIC_EVERY_SWEEPS,
  COLLECT_WALK_INTERVAL_MS,
  collectSweep,
  monitorSweep,
  planSweep,
} from "./sweep_plan.ts";

Deno.test("REQ-RDR-229: planSweep() resolves defaults and refuses options that mean nothing as given", () => {
  const plan = planSweep();
  assert.equal(plan.host, true);
  assert.equal(plan.containers, true);
  assert.equal(plan.walkCgroups, true);
  assert.equal(plan.walkIntervalMs, 0);
  assert.equal(plan.staticEverySweeps, 1);
  assert.equal(plan.carryStats, false);
  assert.equal(plan.containerParts, null);
  assert.equal(planSweep(plan), plan, "a plan is resolved once");
  for (
    const [options, why] of [
      [{ carryIdle: true }, /carryIdle/],
      [{ carryIdleStats: true }, /cacheProcessCgroups/],
      [{ uncontainedProcesses: false }, /cacheProcessCgroups/],
      [{ walkCgroups: false, walkIntervalMs: 10 }, /walkCgroups/],
      [{ host: false, vethPeers: true }, /host/],
      [{ staticEverySweeps: 0 }, /staticEverySweeps/],
      [{ staticEverySweeps: 1.5 }, /staticEverySweeps/],
    ] as const
  ) {
    assert.throws(
      () => planSweep(options),
      (e: Error) => e instanceof TypeError && why.test(e.message),
    );
  }
});

Deno.test("REQ-RDR-227: planSweep() carries whole samples only when processParts asks for no more than io and fds", () => {
  const base = {
    cacheProcessCgroups: true,
    carryIdleStats: true,
    containerProcessParts: { io: true, fds: true },
    carryIdle: true,
  };
  assert.equal(planSweep(base).carryStats, true);
  assert.equal(planSweep({ ...base, processParts: { io: true, fds: true } }).carryStats, true);
  assert.equal(planSweep({ ...base, processParts: { status: true } }).carryStats, false);
  assert.equal(planSweep({ ...base, containers: false }).carryStats, false);
  // Container parts already read for every process are not read twice.
  assert.equal(planSweep({ ...base, processParts: { io: true, fds: true } }).containerParts, null);
  const parts = planSweep(base).containerParts!;
  assert.deepEqual(parts.plain, { parts: { io: true, fds: true }, carries: true, rest: null });
});

Deno.test("REQ-RDR-229: the collect preset turns every cache on; the monitor preset none", () => {
  const collect = collectSweep({ hostProcesses: false });
  assert.equal(collect.cacheProcessCgroups, true);
  assert.equal(collect.walkIntervalMs, COLLECT_WALK_INTERVAL_MS);
  assert.equal(collect.staticEverySweeps, COLLECT_STATIC_EVERY_SWEEPS);
  assert.equal(collect.carryStats, true);
  assert.equal(collect.containerParts?.carryIdle, true);
  assert.equal(collect.skipSettledOutside, true);
  assert.equal(collect.vethPeers, false);
  const hosted = collectSweep({ hostProcesses: true });
  assert.equal(hosted.skipSettledOutside, false);
  assert.deepEqual(hosted.processParts, { io: true, fds: true });
  const detail = { pids: new Set([1]), parts: { smaps: true } };
  const monitor = monitorSweep({ processParts: { status: true }, detail, vethPeers: true });
  assert.equal(monitor.cacheProcessCgroups, false);
  assert.equal(monitor.staticEverySweeps, 1);
  assert.equal(monitor.carryStats, false);
  assert.deepEqual(monitor.detailParts, { status: true, smaps: true });
  assert.equal(monitor.vethPeers, true);
});
