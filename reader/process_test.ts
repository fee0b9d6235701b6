import assert from "node:assert/strict";
import { DEFAULT_ROOTS } from "./fs.ts";
import { createHandleFs } from "./handle_fs.ts";
import { listPids, processCpuMillicores, readProcess } from "./process.ts";

const ALL = {
  status: true,
  cmdline: true,
  io: true,
  fds: true,
  smaps: true,
  cgroup: true,
  sockets: true,
  namespaces: true,
};

Deno.test("REQ-RDR-010: readProcess() reads every part of a real child process", async () => {
  const fs = createHandleFs();
  const child = new Deno.Command("sleep", { args: ["30"], stdout: "null" }).spawn();
  try {
    const p = readProcess(fs, DEFAULT_ROOTS, child.pid, ALL);
    assert.ok(p);
    assert.equal(p.stat.comm, "sleep");
    assert.equal(p.stat.ppid, Deno.pid);
    assert.match(p.cmdline?.join(" ") ?? "", /sleep 30$/);
    assert.ok((p.fds ?? 0) >= 1);
    assert.ok(p.smaps && p.smaps.pss > 0);
    assert.ok(p.status && p.status.uids[0] === Deno.uid());
    assert.ok(p.namespaces && typeof p.namespaces.pid === "number");
    assert.deepEqual(p.sockets, []);
    assert.ok(p.cgroup && p.cgroup.length > 0);
    assert.ok(listPids(fs, DEFAULT_ROOTS).includes(child.pid));
  } finally {
    child.kill("SIGKILL");
    await child.status;
    fs.close();
  }
});

Deno.test("REQ-RDR-011: readProcess() returns null for a process that exited", async () => {
  const fs = createHandleFs();
  const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
  assert.ok(readProcess(fs, DEFAULT_ROOTS, child.pid));
  child.kill("SIGKILL");
  await child.status;
  assert.equal(readProcess(fs, DEFAULT_ROOTS, child.pid, ALL), null);
  fs.close();
});

Deno.test("REQ-RDR-012: processCpuMillicores() measures a busy loop near 1000 m", async () => {
  const fs = createHandleFs();
  const child = new Deno.Command("sh", { args: ["-c", "while :; do :; done"] }).spawn();
  try {
    await new Promise((r) => setTimeout(r, 100));
    const a = readProcess(fs, DEFAULT_ROOTS, child.pid)!;
    await new Promise((r) => setTimeout(r, 1000));
    const b = readProcess(fs, DEFAULT_ROOTS, child.pid)!;
    const cpu = processCpuMillicores(a, b);
    assert.ok(cpu);
    // One core is free for it on a 2-core machine; allow for the other tests running in parallel.
    assert.ok(cpu.total > 500 && cpu.total <= 1050, `busy loop used ${cpu.total} m`);
    assert.ok(cpu.user > cpu.system);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    fs.close();
  }
});

Deno.test("REQ-RDR-012: processCpuMillicores() refuses samples of a reused PID", () => {
  const stat = { startTimeTicks: 1, utimeTicks: 0, stimeTicks: 0 };
  const a = { timeMs: 0, stat } as Parameters<typeof processCpuMillicores>[0];
  const b = {
    timeMs: 1000,
    stat: { ...stat, startTimeTicks: 2, utimeTicks: 50 },
  } as Parameters<typeof processCpuMillicores>[0];
  assert.equal(processCpuMillicores(a, b), null);
});

Deno.test("REQ-RDR-013: readProcess() reports sockets of a listening process", () => {
  const fs = createHandleFs();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const p = readProcess(fs, DEFAULT_ROOTS, Deno.pid, { sockets: true, fds: true })!;
    const port = (listener.addr as Deno.NetAddr).port;
    const mine = p.sockets!.find((s) => s.localPort === port);
    assert.ok(mine, `socket on port ${port} not found`);
    assert.equal(mine.state, "LISTEN");
    assert.equal(mine.localAddress, "127.0.0.1");
  } finally {
    listener.close();
    fs.close();
  }
});

Deno.test("REQ-RDR-014: readProcess() counts fds from the size of /proc/<pid>/fd, as a listing would", async () => {
  const fs = createHandleFs();
  let listed = 0;
  const counting = {
    ...fs,
    get lastFailure() {
      return fs.lastFailure;
    },
    set lastFailure(v) {
      fs.lastFailure = v;
    },
    listDir(path: string) {
      listed++;
      return fs.listDir(path);
    },
  };
  // A child: listing our own fd directory would count the listing's own descriptor.
  const child = new Deno.Command("sleep", { args: ["30"], stdout: "null", stderr: "null" }).spawn();
  const pid = child.pid;
  try {
    // Its fds are settled once `sleep` sleeps: not while Deno forks and execs it, nor while
    // sleep's start-up opens and closes the locale archive (CI once counted 5 fds, then 4).
    // Kernels that hide wchan say "0": then wait for state S and the same fd count twice.
    const fdCount = () => [...Deno.readDirSync(`/proc/${pid}/fd`)].length;
    const state = () => Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]?.[0];
    let last = -1;
    const asleep = () => {
      const wchan = Deno.readTextFileSync(`/proc/${pid}/wchan`);
      if (wchan !== "0" && wchan !== "") return wchan.includes("nanosleep");
      const count = state() === "S" ? fdCount() : -1;
      const settled = count !== -1 && count === last;
      last = count;
      return settled;
    };
    for (let i = 0; i < 500 && !asleep(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const byStat = readProcess(counting, DEFAULT_ROOTS, pid, { fds: true });
    const withoutStat = readProcess(
      { ...counting, statSize: undefined },
      DEFAULT_ROOTS,
      pid,
      { fds: true },
    );
    assert.ok(byStat?.fds && byStat.fds >= 3, `${byStat?.fds} fds`);
    assert.equal(byStat.fds, withoutStat?.fds, "the size is the listing's count");
    assert.equal(listed, 1, "only the Fs without statSize listed");
    // A size of 0 (kernels before 6.2) falls back to the listing.
    const old = readProcess({ ...counting, statSize: () => 0 }, DEFAULT_ROOTS, pid, {
      fds: true,
    });
    assert.equal(old?.fds, byStat.fds);
    assert.equal(listed, 2);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    fs.close();
  }
});
