/**
 * `sweep()` with the collector's caches (`cacheProcessCgroups`, `walkIntervalMs`) against real
 * cgroups: docker-like `/docker/<id>` cgroups made here in every mounted hierarchy, with `sleep`
 * processes moved in through `cgroup.procs`. Needs root and cgroups under /sys/fs/cgroup.
 */
import { lockMachine } from "../tests/support/machine_lock.ts";
import assert from "node:assert/strict";
import { createReaderContext, PROCESS_CGROUP_RECHECK_SWEEPS, sweep } from "./sweep.ts";
import type { SweepOptions } from "./sweep.ts";
import {
  cgroupHierarchies,
  claimCgroupPath,
  killCgroupProcs,
  removeCgroupDirs,
} from "../tests/support/cgroups.ts";

const canMakeCgroups = Deno.uid() === 0 && cgroupHierarchies().length > 0;
if (!canMakeCgroups) {
  const why = "sweep() cache tests need root and cgroups mounted under /sys/fs/cgroup";
  if (Deno.env.get("CI") === "true") throw new Error(`CI: ${why}`);
  console.warn(`skipped: ${why}`);
}

const CACHED: SweepOptions = {
  walkCgroups: true,
  walkIntervalMs: 3_600_000,
  cacheProcessCgroups: true,
  host: false,
};

const RESOURCES = ["cpu", "cpuacct", "memory", "blkio", "pids"];

function randomId(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Fake containers made by one test; `cleanup()` kills their processes and removes them. */
function fakeContainers() {
  const made: { path: string; release: () => string[] }[] = [];
  const children: Deno.ChildProcess[] = [];
  // The resource hierarchies and the cgroup2 one (cpuset would need cpus and mems set first).
  const dirsOf = (path: string) =>
    cgroupHierarchies()
      .filter((h) => h.version === 2 || h.controllers.some((c) => RESOURCES.includes(c)))
      .map((h) => `${h.mountPoint}${path}`);
  return {
    /** Creates `/docker/<id>` in every hierarchy; returns the id. */
    create(): string {
      const id = randomId();
      const path = `/docker/${id}`;
      const claim = claimCgroupPath(path);
      made.push({ path, release: () => claim.release() });
      for (const dir of dirsOf(path)) Deno.mkdirSync(dir, { recursive: true });
      return id;
    },
    /** Moves `pid` into container `id` in every hierarchy. */
    move(pid: number, id: string): void {
      for (const dir of dirsOf(`/docker/${id}`)) {
        Deno.writeTextFileSync(`${dir}/cgroup.procs`, `${pid}\n`);
      }
    },
    /** Starts a `sleep` in container `id`; returns its PID. */
    start(id: string): number {
      const child = new Deno.Command("sleep", {
        args: ["600"],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      children.push(child);
      this.move(child.pid, id);
      return child.pid;
    },
    remove(id: string): void {
      assert.deepEqual(removeCgroupDirs(`/docker/${id}`), []);
    },
    async cleanup(): Promise<void> {
      for (const child of children) {
        try {
          child.kill("SIGKILL");
        } catch { /* exited */ }
      }
      await Promise.all(children.map((c) => c.status));
      for (const { path, release } of made.reverse()) {
        await killCgroupProcs(path);
        removeCgroupDirs(path);
        release();
      }
    },
  };
}

Deno.test({
  name:
    "REQ-DSC-051: sweep() with the collector's caches finds a new container with processes at the next sweep, one without at the next walk, and drops a removed one at once",
  ignore: !canMakeCgroups,
  fn: async () => {
    // Fake containers: a test looking at the whole machine must not see them.
    await using _machine = await lockMachine("shared");
    const fake = fakeContainers();
    const ctx = createReaderContext();
    try {
      sweep(ctx, CACHED);
      const walkedAt = ctx.lastWalk!.atMs;

      const withProcess = fake.create();
      const pid = fake.start(withProcess);
      let snap = sweep(ctx, CACHED);
      assert.deepEqual(snap.containers.get(withProcess)?.container.pids, [pid]);
      assert.equal(snap.processContainer.get(pid), withProcess);
      assert.equal(snap.containers.get(withProcess)?.container.runtime, "docker");

      const empty = fake.create();
      snap = sweep(ctx, CACHED);
      assert.equal(snap.containers.has(empty), false, "not walked yet");
      assert.equal(ctx.lastWalk!.atMs, walkedAt);

      ctx.lastWalk!.atMs -= CACHED.walkIntervalMs!; // the next walk is due
      snap = sweep(ctx, CACHED);
      assert.deepEqual(snap.containers.get(empty)?.container.pids, [], "found by the walk");
      assert.ok(snap.containers.get(empty)!.stats.memory.limitBytes !== undefined);
      const walkedAgainAt = ctx.lastWalk!.atMs;

      fake.remove(empty);
      snap = sweep(ctx, CACHED);
      assert.equal(snap.containers.has(empty), false, "removed: dropped without a walk");
      assert.equal(ctx.lastWalk!.atMs, walkedAgainAt);
      assert.deepEqual(snap.containers.get(withProcess)?.container.pids, [pid]);
    } finally {
      ctx.fs.close();
      await fake.cleanup();
    }
  },
});

Deno.test({
  name:
    "REQ-DSC-050: sweep() with cacheProcessCgroups sees a process moved to another container within PROCESS_CGROUP_RECHECK_SWEEPS sweeps",
  ignore: !canMakeCgroups,
  fn: async () => {
    // Fake containers: a test looking at the whole machine must not see them.
    await using _machine = await lockMachine("shared");
    const fake = fakeContainers();
    const ctx = createReaderContext();
    const plain = createReaderContext();
    try {
      const from = fake.create();
      const to = fake.create();
      const pid = fake.start(from);
      assert.equal(sweep(ctx, CACHED).processContainer.get(pid), from);
      fake.move(pid, to); // no exec: same start time and comm
      assert.equal(
        sweep(plain, { host: false }).processContainer.get(pid),
        to,
        "an uncached sweep sees the move at once",
      );
      let seenAfter: number | null = null;
      for (let n = 1; n <= PROCESS_CGROUP_RECHECK_SWEEPS && seenAfter === null; n++) {
        const snap = sweep(ctx, CACHED);
        const found = snap.processContainer.get(pid);
        assert.ok(found === from || found === to);
        if (found === to) {
          seenAfter = n;
          assert.deepEqual(snap.containers.get(to)?.container.pids, [pid]);
        }
      }
      assert.ok(seenAfter !== null, "seen in its new container");
    } finally {
      ctx.fs.close();
      plain.fs.close();
      await fake.cleanup();
    }
  },
});

Deno.test({
  name:
    "REQ-DSC-052: sweep() without uncontainedProcesses skips settled processes outside containers but sees one moved into a container within a re-check period",
  ignore: !canMakeCgroups,
  fn: async () => {
    // Fake containers: a test looking at the whole machine must not see them.
    await using _machine = await lockMachine("shared");
    const fake = fakeContainers();
    const ctx = createReaderContext();
    const options: SweepOptions = { ...CACHED, uncontainedProcesses: false };
    const outside = new Deno.Command("sleep", { args: ["600"], stdin: "null" }).spawn();
    try {
      const id = fake.create();
      // New: read at every sweep of its first re-check period.
      for (let n = 0; n < PROCESS_CGROUP_RECHECK_SWEEPS; n++) {
        const snap = sweep(ctx, options);
        assert.ok(snap.processes.has(outside.pid), `read at sweep ${n}`);
        assert.ok(snap.processCount >= snap.processes.size);
      }
      // Settled: read only at its staggered re-check, still counted.
      let read = 0;
      for (let n = 0; n < PROCESS_CGROUP_RECHECK_SWEEPS; n++) {
        const snap = sweep(ctx, options);
        if (snap.processes.has(outside.pid)) read++;
        assert.ok(snap.processCount > snap.processes.size, "settled processes are not read");
      }
      assert.equal(read, 1, "read once per re-check period");
      // Moved into a container without an exec: found at its re-check.
      fake.move(outside.pid, id);
      let seenAfter: number | null = null;
      for (let n = 1; n <= PROCESS_CGROUP_RECHECK_SWEEPS && seenAfter === null; n++) {
        if (sweep(ctx, options).processContainer.get(outside.pid) === id) seenAfter = n;
      }
      assert.ok(seenAfter !== null, "seen in the container within a re-check period");
      // A new process in a container: at the next sweep.
      const inside = fake.start(id);
      assert.equal(sweep(ctx, options).processContainer.get(inside), id);
    } finally {
      outside.kill("SIGKILL");
      await outside.status;
      ctx.fs.close();
      await fake.cleanup();
    }
  },
});

Deno.test({
  name:
    "REQ-RDR-225: sweep() with staticEverySweeps reads limits once per that many sweeps and carries them in between",
  ignore: !canMakeCgroups,
  fn: async () => {
    // Fake containers: a test looking at the whole machine must not see them.
    await using _machine = await lockMachine("shared");
    const fake = fakeContainers();
    const ctx = createReaderContext();
    const options: SweepOptions = { ...CACHED, staticEverySweeps: 3 };
    try {
      const id = fake.create();
      fake.start(id);
      const quota = (us: number) =>
        Deno.writeTextFileSync(
          `${ctx.layout.v1.cpu.mountPoint}/docker/${id}/cpu.cfs_quota_us`,
          `${us}\n`,
        );
      quota(50_000);
      const limit = () => sweep(ctx, options).containers.get(id)?.stats.cpu.limitMillicores;
      assert.equal(limit(), 500);
      quota(20_000);
      const seen = [limit(), limit(), limit()];
      assert.deepEqual(seen, [500, 500, 200], "carried for 2 sweeps, re-read at the third");
      assert.equal(limit(), 200);
    } finally {
      ctx.fs.close();
      await fake.cleanup();
    }
  },
});

/** A shell that runs what is written to its stdin and otherwise sleeps in read(2). */
function idleShell() {
  const child = new Deno.Command("sh", { stdin: "piped", stdout: "null", stderr: "null" }).spawn();
  const input = child.stdin.getWriter();
  return {
    pid: child.pid,
    /** Makes it run: it opens fd `fd` on /dev/null; resolves once the fd is there. */
    async openFd(fd: number): Promise<void> {
      await input.write(new TextEncoder().encode(`exec ${fd}</dev/null\n`));
      const deadline = Date.now() + 5000;
      while (!Deno.readDirSync(`/proc/${child.pid}/fd`).some((e) => e.name === String(fd))) {
        assert.ok(Date.now() < deadline, `the shell opened fd ${fd}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Kills and reaps it (again: a no-op). */
    async stop(): Promise<void> {
      await input.close().catch(() => {});
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
      await child.status;
    },
  };
}

Deno.test({
  name:
    "REQ-RDR-226: sweep() with carryIdle carries io and fds of processes in a container that used no CPU, and reads them once it ran",
  ignore: !canMakeCgroups,
  fn: async () => {
    // Fake containers: a test looking at the whole machine must not see them.
    await using _machine = await lockMachine("shared");
    const fake = fakeContainers();
    const ctx = createReaderContext();
    const shell = idleShell();
    const ioReads: string[] = [];
    const readText = ctx.fs.readText.bind(ctx.fs);
    ctx.fs.readText = (path: string) => {
      if (path.endsWith(`/${shell.pid}/io`)) ioReads.push(path);
      return readText(path);
    };
    const options: SweepOptions = {
      ...CACHED,
      containerProcessParts: { io: true, fds: true },
      carryIdle: true,
    };
    const fdCount = () => [...Deno.readDirSync(`/proc/${shell.pid}/fd`)].length;
    const rchar = () =>
      Number(Deno.readTextFileSync(`/proc/${shell.pid}/io`).match(/^rchar: (\d+)/m)![1]);
    try {
      const id = fake.create();
      fake.move(shell.pid, id);
      const take = () => {
        const snap = sweep(ctx, options);
        const sample = snap.processes.get(shell.pid)!;
        assert.equal(snap.processContainer.get(shell.pid), id);
        // Other tests' or benchmarks' containers may be carried too: count this one's io reads.
        const reads = ioReads.length;
        ioReads.length = 0;
        assert.ok(reads === 1 || snap.carriedProcesses > 0);
        return { carried: reads === 0, fds: sample.fds, rchar: sample.io?.rchar };
      };
      assert.equal(take().carried, false, "first sight: read");
      await new Promise((r) => setTimeout(r, 200));
      let got = take();
      assert.equal(got.carried, true, "idle container: carried, not read");
      assert.deepEqual([got.fds, got.rchar], [fdCount(), rchar()], "carried values are current");

      // Make it run: open fd 7 and read a line.
      await shell.openFd(7);
      const before = got;
      got = take();
      assert.equal(got.carried, false, "the container used CPU: read again");
      assert.equal(got.fds, before.fds! + 1);
      assert.ok(got.rchar! > before.rchar!, "rchar grew by the line read");
      assert.deepEqual([got.fds, got.rchar], [fdCount(), rchar()]);

      got = take();
      assert.equal(got.carried, true, "idle again: carried");
      assert.deepEqual([got.fds, got.rchar], [fdCount(), rchar()]);
    } finally {
      await shell.stop();
      ctx.fs.close();
      await fake.cleanup();
    }
  },
});

/** Fields of `/proc/<pid>/stat` a carried sample must match, read straight from the file. */
function statNow(pid: number) {
  const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // Fields after comm start at field 3 (state).
  const at = (n: number) => f[n - 3];
  return {
    state: at(3),
    utime: Number(at(14)),
    stime: Number(at(15)),
    threads: Number(at(20)),
    vsize: Number(at(23)),
    rssPages: Number(at(24)),
  };
}

Deno.test({
  name:
    "REQ-RDR-227: sweep() with carryIdleStats carries the whole sample of a process whose container neither ran nor changed memory, reads it once it ran and at its re-check",
  ignore: !canMakeCgroups,
  fn: async () => {
    // Fake containers: a test looking at the whole machine must not see them.
    await using _machine = await lockMachine("shared");
    const fake = fakeContainers();
    const ctx = createReaderContext();
    const shell = idleShell();
    let statReads = 0;
    const readText = ctx.fs.readText.bind(ctx.fs);
    ctx.fs.readText = (path: string) => {
      if (path === `/proc/${shell.pid}/stat`) statReads++;
      return readText(path);
    };
    const options: SweepOptions = {
      ...CACHED,
      containerProcessParts: { io: true, fds: true },
      carryIdle: true,
      carryIdleStats: true,
    };
    const period = PROCESS_CGROUP_RECHECK_SWEEPS;
    let previous: ReturnType<typeof sweep> | null = null;
    try {
      // Moved in once asleep in read(2), so that nothing it does after the move makes the
      // container run or charge memory.
      const asleep = Date.now() + 5000;
      while (statNow(shell.pid).state !== "S") {
        assert.ok(Date.now() < asleep, "the shell sleeps in read(2)");
        await new Promise((r) => setTimeout(r, 20));
      }
      const id = fake.create();
      fake.move(shell.pid, id);
      const take = () => {
        const recheck = (shell.pid + ctx.sweeps) % period === 0;
        statReads = 0;
        const snap = sweep(ctx, options);
        const sample = snap.processes.get(shell.pid)!;
        assert.equal(snap.processContainer.get(shell.pid), id);
        assert.ok(statReads <= 1);
        const before = previous?.processes.get(shell.pid);
        if (before !== undefined) {
          assert.notEqual(sample, before, "a sample of this sweep, not last sweep's object");
          assert.ok(sample.timeMs > before.timeMs, "timed at this sweep");
        }
        previous = snap;
        return { carried: statReads === 0, recheck, sample, snap };
      };
      let got = take();
      assert.equal(got.carried, false, "first sight: read");
      // Idle sweeps, across more than a re-check period: carried, but at the re-check and at the
      // sweep after it and after first sight (those reads came before the container's counters,
      // so the process could have run after them unseen: read again after the counters).
      let readsIdle = 0;
      let afterCounters = false;
      for (let i = 0; i < period + 3; i++) {
        await new Promise((r) => setTimeout(r, 30));
        got = take();
        assert.equal(
          got.carried,
          !got.recheck && afterCounters,
          `sweep ${ctx.sweeps}: carried unless re-checked or read before the counters last sweep`,
        );
        afterCounters = !got.recheck;
        if (got.carried) assert.ok(got.snap.carriedStats > 0);
        else readsIdle++;
        const now = statNow(shell.pid);
        const s = got.sample;
        assert.deepEqual(
          [s.stat.state, s.stat.utimeTicks, s.stat.stimeTicks, s.stat.numThreads],
          [now.state, now.utime, now.stime, now.threads],
          "carried values are current",
        );
        assert.deepEqual([s.stat.vsizeBytes, s.stat.rssPages], [now.vsize, now.rssPages]);
        assert.equal(s.fds, [...Deno.readDirSync(`/proc/${shell.pid}/fd`)].length);
      }
      assert.ok(readsIdle >= 2, "read at first sight's next sweep and at its re-check");

      // Make it run: open fd 7.
      await shell.openFd(7);
      const fdsBefore = got.sample.fds!;
      got = take();
      assert.equal(got.carried, false, "the container used CPU: read");
      assert.equal(got.sample.fds, fdsBefore + 1);
    } finally {
      await shell.stop();
      ctx.fs.close();
      await fake.cleanup();
    }
  },
});
