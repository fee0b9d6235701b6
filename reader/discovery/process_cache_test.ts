import assert from "node:assert/strict";
import { createProcessIdentityCache } from "./process_cache.ts";
import type { GroupOptions } from "./containers.ts";

const FIXTURES = new URL("../../tests/fixtures/discovery/", import.meta.url).pathname;
const DOCKER_ID = "90721e71be44a96ec5cd5e51712769cdec0d7aabb40dc9290da2baecdee4a71f";
/** A real docker container's /proc/<pid>/cgroup (every v1 hierarchy and the cgroup2 mirror). */
const IN_DOCKER = Deno.readTextFileSync(`${FIXTURES}docker_hybrid/proc/10899/cgroup`);
/** The same process before runc moved it: in the host's root cgroups. */
const ON_HOST = IN_DOCKER.replaceAll(`/docker/${DOCKER_ID}`, "/");
const OTHER_ID = "ab".repeat(32);
const IN_OTHER = IN_DOCKER.replaceAll(DOCKER_ID, OTHER_ID);

const options: GroupOptions = { containerdNamespaces: ["k8s.io", "moby"] };

/** A reader of one PID's cgroup file that counts its calls. */
function reader(initial: string | null) {
  const r = {
    text: initial,
    calls: 0,
    read: () => {
      r.calls++;
      return r.text;
    },
  };
  return r;
}

Deno.test("REQ-DSC-050: ProcessIdentityCache reads a new PID once and serves it while start time and comm are unchanged", () => {
  const cache = createProcessIdentityCache({ recheckSweeps: 10 });
  const pid = 4000; // (pid + sweep) % 10 === 0 only at sweeps 0, 10, 20…
  const file = reader(IN_DOCKER);
  const key = { startTimeTicks: 500, comm: "sleep" };
  for (let sweep = 1; sweep <= 9; sweep++) {
    cache.endSweep();
    const found = cache.identify(pid, key, file.read, options);
    assert.equal(found?.identity.id, DOCKER_ID);
    assert.equal(found?.cgroupPaths.v1.memory, `/docker/${DOCKER_ID}`);
  }
  assert.equal(file.calls, 1, "read at the first sweep only");
  assert.equal(cache.size, 1);
});

Deno.test("REQ-DSC-050: ProcessIdentityCache re-classifies a reused PID (other start time) and an exec (other comm)", () => {
  const cache = createProcessIdentityCache({ recheckSweeps: 1_000 });
  const pid = 4321;
  const file = reader(IN_DOCKER);
  assert.equal(
    cache.identify(pid, { startTimeTicks: 100, comm: "sleep" }, file.read, options)?.identity.id,
    DOCKER_ID,
  );
  cache.endSweep();
  // The container's process exited; the PID was reused by a host process.
  file.text = ON_HOST;
  assert.equal(
    cache.identify(pid, { startTimeTicks: 900, comm: "sleep" }, file.read, options),
    null,
  );
  assert.equal(file.calls, 2);
  cache.endSweep();
  // runc init in the runtime's cgroup, then moved into a container and exec'd.
  assert.equal(
    cache.identify(pid, { startTimeTicks: 900, comm: "sleep" }, file.read, options),
    null,
  );
  assert.equal(file.calls, 2, "unchanged: from the memo");
  cache.endSweep();
  file.text = IN_OTHER;
  assert.equal(
    cache.identify(pid, { startTimeTicks: 900, comm: "nginx" }, file.read, options)?.identity.id,
    OTHER_ID,
  );
  assert.equal(file.calls, 3);
});

Deno.test("REQ-DSC-050: ProcessIdentityCache re-reads every PID once per recheckSweeps sweeps, spread over the sweeps", () => {
  const period = 5;
  const cache = createProcessIdentityCache({ recheckSweeps: period });
  const files = new Map<number, ReturnType<typeof reader>>();
  for (let pid = 100; pid < 200; pid++) files.set(pid, reader(IN_DOCKER));
  const key = { startTimeTicks: 1, comm: "sleep" };
  const sweep = () => {
    for (const [pid, file] of files) cache.identify(pid, key, file.read, options);
    cache.endSweep();
  };
  sweep();
  const reads = () => [...files.values()].reduce((sum, f) => sum + f.calls, 0);
  assert.equal(reads(), 100);
  // A move without exec (same start time and comm): seen within `period` sweeps.
  files.get(150)!.text = IN_OTHER;
  let movedAfter: number | null = null;
  for (let n = 1; n <= period; n++) {
    const before = reads();
    sweep();
    assert.equal(reads() - before, 100 / period, `sweep ${n}: a fifth of the PIDs re-read`);
    const found = cache.identify(150, key, files.get(150)!.read, options);
    if (movedAfter === null && found?.identity.id === OTHER_ID) movedAfter = n;
  }
  assert.ok(movedAfter !== null && movedAfter <= period, `moved process seen after ${movedAfter}`);
});

Deno.test("REQ-DSC-050: ProcessIdentityCache caches no failure and forgets PIDs that were not seen", () => {
  const cache = createProcessIdentityCache({ recheckSweeps: 1_000 });
  const gone = reader(null);
  const key = { startTimeTicks: 7, comm: "sh" };
  assert.equal(cache.identify(10, key, gone.read, options), null);
  const torn = reader("garbage without colons");
  assert.equal(cache.identify(11, key, torn.read, options), null);
  const live = reader(IN_DOCKER);
  cache.identify(12, key, live.read, options);
  cache.endSweep();
  assert.equal(cache.size, 1, "only the readable one is kept");
  cache.identify(10, key, gone.read, options);
  cache.identify(11, key, torn.read, options);
  assert.equal(gone.calls + torn.calls, 4, "failures are read again");
  cache.endSweep(); // PID 12 was not seen in this sweep
  assert.equal(cache.size, 0);
  cache.identify(12, key, live.read, options);
  assert.equal(live.calls, 2, "a forgotten PID is read again");
});

Deno.test("REQ-DSC-050: ProcessIdentityCache starts over when the containerd namespaces change", () => {
  const cache = createProcessIdentityCache({ recheckSweeps: 1_000 });
  const file = reader(IN_DOCKER);
  const key = { startTimeTicks: 7, comm: "sh" };
  cache.identify(12, key, file.read, options);
  cache.identify(12, key, file.read, options);
  assert.equal(file.calls, 1);
  cache.identify(12, key, file.read, { containerdNamespaces: ["k8s.io", "moby", "tenant"] });
  assert.equal(file.calls, 2);
});

Deno.test("REQ-DSC-052: ProcessIdentityCache settles a process outside containers after a full re-check period", () => {
  const cache = createProcessIdentityCache({ recheckSweeps: 4 });
  const options = {};
  const outside = "0::/user.slice/session-1.scope\n";
  const key = { startTimeTicks: 100, comm: "bash" };
  const settledAt: number[] = [];
  for (let sweep = 0; sweep < 12; sweep++) {
    if (cache.settledOutside(7)) settledAt.push(sweep);
    else cache.identify(7, key, () => outside, options);
    cache.endSweep();
  }
  // Sweeps 0-3: new, read every sweep. Then settled except at its re-check ((7 + sweep) % 4 == 0).
  assert.deepEqual(settledAt, [4, 6, 7, 8, 10, 11]);
  assert.equal(cache.size, 1, "a settled PID counts as seen");
  // Sweep 12 settled; at the re-check of sweep 13 a new incarnation (other start time) is read
  // and starts over: not settled at sweep 14.
  assert.equal(cache.settledOutside(7), true);
  cache.endSweep();
  assert.equal(cache.settledOutside(7), false);
  cache.identify(7, { startTimeTicks: 999, comm: "bash" }, () => outside, options);
  cache.endSweep();
  assert.equal(cache.settledOutside(7), false);
  // A containerised process never settles outside.
  const inside = "0::/docker/" + "a".repeat(64) + "\n";
  for (let sweep = 0; sweep < 8; sweep++) {
    assert.equal(cache.settledOutside(9), false);
    cache.identify(9, key, () => inside, options);
    cache.endSweep();
  }
});

Deno.test("REQ-RDR-227: ProcessIdentityCache.remembered() answers for a process in a container but at its re-check, and counts as seeing it", () => {
  const cache = createProcessIdentityCache({ recheckSweeps: 10 });
  const inContainer = 4001; // re-checked at sweeps 9, 19…
  const outside = 4002;
  const docker = reader(IN_DOCKER);
  const host = reader(ON_HOST);
  const key = { startTimeTicks: 500, comm: "sleep" };
  assert.equal(cache.remembered(inContainer, options), null, "unknown PID");
  cache.identify(inContainer, key, docker.read, options);
  cache.identify(outside, key, host.read, options);
  cache.endSweep();
  for (let sweep = 1; sweep <= 12; sweep++) {
    const found = cache.remembered(inContainer, options);
    if (sweep === 9) {
      assert.equal(found, null, "due for its re-check: read it");
      cache.identify(inContainer, key, docker.read, options);
    } else {
      assert.equal(found?.identity.id, DOCKER_ID, `sweep ${sweep}`);
    }
    assert.equal(cache.remembered(outside, options), null, "outside containers: read it");
    cache.identify(outside, key, host.read, options);
    cache.endSweep();
  }
  assert.equal(cache.size, 2, "answered PIDs are not forgotten");
  assert.equal(docker.calls, 2, "the cgroup file read at first sight and at the re-check");
  cache.endSweep();
  cache.endSweep();
  assert.equal(cache.remembered(inContainer, options), null, "forgotten once unseen");
});

Deno.test("REQ-RDR-227: ProcessIdentityCache.remembered() starts over when the containerd namespaces change", () => {
  const cache = createProcessIdentityCache({ recheckSweeps: 10 });
  cache.identify(4001, { startTimeTicks: 1, comm: "sleep" }, reader(IN_DOCKER).read, options);
  cache.endSweep();
  assert.equal(cache.remembered(4001, options)?.identity.id, DOCKER_ID);
  assert.equal(cache.remembered(4001, { containerdNamespaces: ["k8s.io"] }), null);
  assert.equal(cache.size, 0);
});
