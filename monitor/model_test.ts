import assert from "node:assert/strict";
import {
  containerSummaries,
  containerView,
  hostView,
  processCpuSum,
  processView,
} from "./model.ts";
import {
  hostInterface,
  id,
  IDENTITY,
  MiB,
  netDevice,
  pair,
  pressure,
  type ProcessInit,
  type StatsInit,
} from "./testing_snapshots.ts";

const WEB = id("a");
const GiB = 1024 * MiB;

// ---------------------------------------------------------------------------------------------
// Container

/** A docker container "web" with two processes, before and after one interval. */
function webPair(
  before: StatsInit,
  after: StatsInit,
  { seconds = 1, afterPids = [4242, 4250] }: { seconds?: number; afterPids?: number[] } = {},
) {
  const procs = (utime: number): ProcessInit[] => [
    { pid: 4242, comm: "nginx", utimeTicks: utime, status: { nsPids: [4242, 1] }, pssBytes: MiB },
    { pid: 4250, comm: "worker", state: "R", status: { nsPids: [4250, 7] } },
  ];
  return pair(
    {
      processes: procs(100),
      containers: [{
        id: WEB,
        name: "web",
        pids: [4242, 4250],
        stats: before,
        network: [netDevice("eth0", 1000, 500)],
      }],
    },
    {
      processes: procs(120).filter((p) => afterPids.includes(p.pid)),
      containers: [{
        id: WEB,
        name: "web",
        pids: [4242, 4250],
        stats: after,
        network: [netDevice("eth0", 4000, 1500, { rx: 30, tx: 12 })],
        hostVeths: { eth0: "veth1a2b3c" },
      }],
    },
    { seconds },
  );
}

Deno.test("REQ-MON-003: containerView() turns cpuacct deltas over 1 s into 200 m", () => {
  const o = webPair(
    { cpu: { usageNs: 10e9, userNs: 6e9, systemNs: 4e9, limitMillicores: 200 } },
    { cpu: { usageNs: 10.2e9, userNs: 6.15e9, systemNs: 4.05e9, limitMillicores: 200 } },
  );
  const v = containerView(o, WEB)!;
  assert.equal(v.cpu.usageMillicores, 200);
  assert.equal(v.cpu.userMillicores, 150);
  assert.equal(v.cpu.systemMillicores, 50);
  assert.equal(v.cpu.limitMillicores, 200);
  assert.deepEqual(v.notes, []);
});

Deno.test("REQ-MON-003: containerView() divides by the real interval (0.4 s of CPU in 2 s = 200 m)", () => {
  const o = webPair({ cpu: { usageNs: 1e9 } }, { cpu: { usageNs: 1.4e9 } }, { seconds: 2 });
  assert.equal(containerView(o, WEB)!.cpu.usageMillicores, 200);
});

Deno.test("REQ-MON-003: containerView() counts throttled periods and their share of the interval", () => {
  const o = webPair(
    { cpu: { periods: 100, throttledPeriods: 20, throttledNs: 1e9 } },
    { cpu: { periods: 110, throttledPeriods: 27, throttledNs: 1.35e9 } },
  );
  const cpu = containerView(o, WEB)!.cpu;
  assert.equal(cpu.periods, 10);
  assert.equal(cpu.throttledPeriods, 7);
  assert.equal(cpu.throttledPercent, 70);
  assert.equal(cpu.throttledSeconds, 0.35);
  assert.equal(cpu.throttledPeriodsTotal, 27);
  assert.equal(cpu.throttledSecondsTotal, 1.35);
});

Deno.test("REQ-MON-003: containerView() gives null rates, never negative ones, when counters reset", () => {
  const o = webPair(
    {
      cpu: { usageNs: 50e9, userNs: 30e9, systemNs: 20e9, periods: 500, throttledPeriods: 90 },
      io: { readBytes: 9e9, writeBytes: 9e9 },
    },
    {
      cpu: { usageNs: 1e8, userNs: 6e7, systemNs: 4e7, periods: 5, throttledPeriods: 1 },
      io: { readBytes: 1000, writeBytes: 1000 },
    },
  );
  const v = containerView(o, WEB)!;
  assert.equal(v.cpu.usageMillicores, null);
  assert.equal(v.cpu.userMillicores, null);
  assert.equal(v.cpu.systemMillicores, null);
  assert.equal(v.cpu.periods, null);
  assert.equal(v.cpu.throttledPeriods, null);
  assert.equal(v.cpu.throttledPercent, null);
  assert.equal(v.io.readBytesPerSecond, null);
  assert.equal(v.io.writeBytesPerSecond, null);
  // Totals are the current counters, still known.
  assert.equal(v.cpu.throttledPeriodsTotal, 1);
  assert.equal(v.io.readBytesTotal, 1000);
});

Deno.test("REQ-MON-003: containerView() reports memory against the limit, I/O and pids", () => {
  const memory = {
    usageBytes: 300 * MiB,
    workingSetBytes: 192 * MiB,
    limitBytes: 256 * MiB,
    anonBytes: 150 * MiB,
    fileBytes: 120 * MiB,
    swapBytes: 0,
    oomKills: 2,
    highEvents: 7,
    maxEvents: 3,
    oomEvents: 1,
  };
  const o = webPair(
    { memory, io: { readBytes: 1e6, writeBytes: 5e5 }, pids: { current: 3, limit: null } },
    { memory, io: { readBytes: 3e6, writeBytes: 6e5 }, pids: { current: 3, limit: null } },
  );
  const v = containerView(o, WEB)!;
  assert.deepEqual(v.memory, {
    usageBytes: 300 * MiB,
    limitBytes: 256 * MiB,
    workingSetBytes: 192 * MiB,
    anonBytes: 150 * MiB,
    fileBytes: 120 * MiB,
    swapBytes: 0,
    oomKillsTotal: 2,
    highEventsTotal: 7,
    maxEventsTotal: 3,
    oomEventsTotal: 1,
    limitUsedPercent: 75,
  });
  assert.deepEqual(v.io, {
    readBytesPerSecond: 2e6,
    writeBytesPerSecond: 1e5,
    readBytesTotal: 3e6,
    writeBytesTotal: 6e5,
  });
  assert.deepEqual(v.pids, { current: 3, limit: null });
});

Deno.test("REQ-MON-003: containerView() leaves the limit share null without a memory limit", () => {
  const o = webPair(
    { memory: { workingSetBytes: 100 * MiB, limitBytes: null } },
    { memory: { workingSetBytes: 100 * MiB, limitBytes: null } },
  );
  const v = containerView(o, WEB)!;
  assert.equal(v.memory.limitBytes, null);
  assert.equal(v.memory.limitUsedPercent, null);
});

Deno.test("REQ-MON-003: containerView() lists processes with their namespace PIDs and CPU", () => {
  const o = webPair({}, {});
  const v = containerView(o, WEB)!;
  assert.deepEqual(v.processes, [
    {
      pid: 4242,
      nsPid: 1,
      name: "nginx",
      state: "S",
      cpuMillicores: 200,
      rssBytes: 4 * MiB,
      pssBytes: MiB,
    },
    {
      pid: 4250,
      nsPid: 7,
      name: "worker",
      state: "R",
      cpuMillicores: 0,
      rssBytes: 4 * MiB,
      pssBytes: null,
    },
  ]);
  assert.equal(v.state, "running", "running when it has processes and no metadata says otherwise");
});

Deno.test("REQ-MON-011: containerView() skips a process that exited before the second sweep", () => {
  const o = webPair({}, {}, { afterPids: [4242] });
  assert.deepEqual(containerView(o, WEB)!.processes.map((p) => p.pid), [4242]);
});

Deno.test("REQ-MON-003: containerView() rates each interface and names its host veth", () => {
  const v = containerView(webPair({}, {}), WEB)!;
  assert.deepEqual(v.network, {
    interfaces: [{
      name: "eth0",
      rxBytesPerSecond: 3000,
      txBytesPerSecond: 1000,
      rxBytesTotal: 4000,
      txBytesTotal: 1500,
      rxPacketsTotal: 30,
      txPacketsTotal: 12,
      hostVeth: "veth1a2b3c",
    }],
    note: null,
  });
});

Deno.test("REQ-MON-003: containerView() fills kubernetes only for pod containers", () => {
  const kube = {
    id: id("c"),
    runtime: "containerd" as const,
    name: "app",
    pids: [700],
    podName: "api-0",
    podNamespace: "shop",
    podUid: "6a2d4c1e-7b3f-4e9a-8c5d-0f1e2d3c4b5a",
    qosClass: "Burstable" as const,
    containerName: "app",
    cgroupPath: "/kubepods/burstable/pod6a2d4c1e-7b3f-4e9a-8c5d-0f1e2d3c4b5a/" + id("c"),
    metadata: {
      image: "docker.io/library/nginx:1.25",
      state: "running" as const,
      hostname: "api-0",
      storagePath: "/run/containerd/io.containerd.runtime.v2.task/k8s.io/ccc/rootfs",
      startedAtMs: 1_699_999_000_000,
    },
  };
  const plain = { id: WEB, name: "web", pids: [] };
  const o = pair({ containers: [kube, plain] }, { containers: [kube, plain] });
  const k = containerView(o, id("c"))!;
  assert.deepEqual(k.kubernetes, {
    podName: "api-0",
    namespace: "shop",
    podUid: "6a2d4c1e-7b3f-4e9a-8c5d-0f1e2d3c4b5a",
    qosClass: "Burstable",
    containerName: "app",
    sandbox: false,
  });
  assert.equal(k.runtime, "containerd");
  assert.equal(k.image, "docker.io/library/nginx:1.25");
  assert.equal(k.state, "running");
  assert.equal(k.hostname, "api-0");
  assert.equal(k.startedAtMs, 1_699_999_000_000);
  assert.equal(k.cgroupPath, kube.cgroupPath);
  assert.equal(k.cgroupVersion, "v2");
  const p = containerView(o, WEB)!;
  assert.equal(p.kubernetes, null);
  assert.equal(p.state, null, "no metadata and no process: state unknown");
  assert.equal(p.image, null);
});

Deno.test("REQ-MON-003: containerView() notes the first sample and returns null for a gone container", () => {
  const c = { id: WEB, pids: [], stats: { cpu: { usageNs: 5e9 } } };
  const o = pair({}, { containers: [c] });
  const v = containerView(o, WEB)!;
  assert.equal(v.cpu.usageMillicores, null);
  assert.deepEqual(v.notes, ["first sample: rates need two sweeps"]);
  assert.equal(containerView(pair({ containers: [c] }, {}), WEB), null);
});

Deno.test("REQ-MON-010: containerView() keeps unknown values null and says why in notes", () => {
  const errors = ["/sys/fs/cgroup/docker/aaa/memory.stat: permission denied"];
  const o = webPair({ errors }, { errors });
  const v = containerView(o, WEB)!;
  assert.equal(v.memory.workingSetBytes, null);
  assert.equal(v.memory.usageBytes, null);
  assert.equal(v.cpu.usageMillicores, null);
  assert.equal(v.pressure.cpu, null);
  assert.deepEqual(v.notes, errors);
});

Deno.test("REQ-MON-003: containerView() carries pressure as some/full avg10 and avg60", () => {
  const stats = { pressure: { cpu: pressure(12.5, 3), memory: pressure(1) } };
  const v = containerView(webPair(stats, stats), WEB)!;
  assert.deepEqual(v.pressure, {
    cpu: { someAvg10: 12.5, someAvg60: 6.25, fullAvg10: 3, fullAvg60: 1.5 },
    memory: { someAvg10: 1, someAvg60: 0.5, fullAvg10: null, fullAvg60: null },
    io: null,
  });
});

// ---------------------------------------------------------------------------------------------
// Host

function hostPair() {
  const busy = {
    id: id("b"),
    name: "busy",
    podName: "api-0",
    podNamespace: "shop",
    pids: [],
  };
  const busyBefore = { ...busy, stats: { cpu: { usageNs: 0, limitMillicores: 500 } } };
  const busyAfter = {
    ...busy,
    stats: {
      cpu: { usageNs: 0.3e9, limitMillicores: 500 },
      memory: { workingSetBytes: 64 * MiB, limitBytes: 128 * MiB },
    },
  };
  const idle = { id: id("d"), name: "idle", pids: [], stats: { cpu: { usageNs: 1e9 } } };
  const newer = { id: id("0"), name: "new", pids: [1] };
  return pair(
    {
      host: {
        cpu: { user: 1000, system: 500, idle: 8000, iowait: 100 },
        meminfo: { memTotalBytes: 16 * GiB, memAvailableBytes: 10 * GiB },
        interfaces: [hostInterface("eth0", "physical", 10_000, 500)],
      },
      processes: [{ pid: 1 }, { pid: 2, vsizeBytes: 0 }],
      containers: [busyBefore, idle],
    },
    {
      host: {
        cpu: {
          user: 1040,
          nice: 10,
          system: 520,
          irq: 5,
          softirq: 5,
          idle: 8114,
          iowait: 104,
          steal: 2,
        },
        meminfo: {
          memTotalBytes: 16 * GiB,
          memAvailableBytes: 10 * GiB,
          cachedBytes: 2 * GiB,
          swapTotalBytes: 4 * GiB,
          swapFreeBytes: 3 * GiB,
        },
        loadavg: { load1: 1.5, load5: 1, load15: 0.5, runnable: 3, total: 400, lastPid: 999 },
        pressure: { cpu: pressure(12.5, 2) },
        interfaces: [
          hostInterface("eth0", "physical", 12_048, 1524),
          hostInterface("veth9", "veth", 100, 100),
        ],
        uptimeSeconds: 7200,
        notes: ["/proc/pressure/io: permission denied"],
      },
      processes: [{ pid: 1 }, { pid: 2, vsizeBytes: 0 }, { pid: 3 }],
      containers: [idle, busyAfter, newer],
    },
  );
}

Deno.test("REQ-MON-001: hostView() computes CPU per mode from /proc/stat deltas", () => {
  const v = hostView(hostPair());
  // 200 ticks over 4 CPUs: 50 user+nice, 30 system+irq+softirq, 4 iowait, 2 steal, 114 idle.
  assert.deepEqual(v.cpu, {
    busyPercent: 40,
    userMillicores: 1000,
    systemMillicores: 600,
    iowaitMillicores: 80,
    stealMillicores: 40,
  });
  assert.equal(v.cpuCount, IDENTITY.cpuCount);
  assert.equal(v.hostname, "node-a");
  assert.equal(v.kernel, "6.1.0-18-amd64");
  assert.equal(v.os, "Debian GNU/Linux 12 (bookworm)");
  assert.equal(v.uptimeSeconds, 7200);
});

Deno.test("REQ-MON-001: hostView() reports memory as total minus available, swap and load", () => {
  const v = hostView(hostPair());
  assert.deepEqual(v.memory, {
    totalBytes: 16 * GiB,
    availableBytes: 10 * GiB,
    usedBytes: 6 * GiB,
    cachedBytes: 2 * GiB,
    swapTotalBytes: 4 * GiB,
    swapUsedBytes: 1 * GiB,
  });
  assert.deepEqual(v.load, { load1: 1.5, load5: 1, load15: 0.5, runnable: 3, total: 400 });
  assert.deepEqual(v.pressure.cpu, {
    someAvg10: 12.5,
    someAvg60: 6.25,
    fullAvg10: 2,
    fullAvg60: 1,
  });
  assert.equal(v.pressure.memory, null);
  assert.equal(v.processes, 3);
  assert.deepEqual(v.notes, ["/proc/pressure/io: permission denied"]);
});

Deno.test("REQ-MON-001: hostView() rates interfaces seen twice and leaves new ones null", () => {
  const v = hostView(hostPair());
  assert.deepEqual(v.interfaces, [
    {
      name: "eth0",
      kind: "physical",
      rxBytesPerSecond: 2048,
      txBytesPerSecond: 1024,
      rxBytesTotal: 12_048,
      txBytesTotal: 1524,
      rxPacketsTotal: 0,
      txPacketsTotal: 0,
    },
    {
      name: "veth9",
      kind: "veth",
      rxBytesPerSecond: null,
      txBytesPerSecond: null,
      rxBytesTotal: 100,
      txBytesTotal: 100,
      rxPacketsTotal: 0,
      txPacketsTotal: 0,
    },
  ]);
});

Deno.test("REQ-MON-001: hostView() lists containers busiest first, new ones (unknown CPU) last", () => {
  const rows = hostView(hostPair()).containers;
  assert.deepEqual(rows.map((r) => [r.name, r.cpuMillicores]), [
    ["busy", 300],
    ["idle", 0],
    ["new", null],
  ]);
  assert.deepEqual(rows[0], {
    id: id("b"),
    name: "busy",
    runtime: "docker",
    pod: "shop/api-0",
    cpuMillicores: 300,
    cpuLimitMillicores: 500,
    throttledPeriods: null,
    memoryWorkingSetBytes: 64 * MiB,
    memoryLimitBytes: 128 * MiB,
    pids: 0,
  });
  assert.equal(rows[1].pod, null);
  assert.equal(rows[2].pids, 1);
  assert.deepEqual(containerSummaries(hostPair()), rows);
});

Deno.test("REQ-MON-010: hostView() gives nulls, not zeros, when the host files were not read", () => {
  const v = hostView(pair({ host: null }, { host: null }));
  assert.deepEqual(v.cpu, {
    busyPercent: null,
    userMillicores: null,
    systemMillicores: null,
    iowaitMillicores: null,
    stealMillicores: null,
  });
  assert.equal(v.load, null);
  assert.equal(v.uptimeSeconds, null);
  assert.deepEqual(v.memory, {
    totalBytes: null,
    availableBytes: null,
    usedBytes: null,
    cachedBytes: null,
    swapTotalBytes: null,
    swapUsedBytes: null,
  });
  assert.deepEqual(v.pressure, { cpu: null, memory: null, io: null });
  assert.deepEqual(v.interfaces, []);
});

// ---------------------------------------------------------------------------------------------
// Process

function processPair(after: Partial<ProcessInit> = {}, { seconds = 2 } = {}) {
  const base: ProcessInit = {
    pid: 4242,
    comm: "nginx",
    ppid: 4200,
    numThreads: 3,
    utimeTicks: 100,
    stimeTicks: 10,
    startTimeTicks: 5000,
    rssBytes: 8 * MiB,
    status: {
      uids: [1000, 1000, 1000, 1000],
      nsPids: [4242, 1],
      vmRssBytes: 10 * MiB,
      vmSwapBytes: MiB,
    },
    cmdline: ["nginx", "-g", "daemon off;"],
    io: { readBytes: 0, writeBytes: 0 },
    fds: 12,
    pssBytes: 6 * MiB,
    cgroupPath: `/docker/${WEB}`,
    namespaces: { pid: 4026532001, net: 4026532004 },
  };
  return pair(
    { processes: [base], containers: [{ id: WEB, name: "web", pids: [4242] }] },
    {
      processes: [{
        ...base,
        utimeTicks: 130,
        stimeTicks: 20,
        io: { readBytes: 8192, writeBytes: 2e6 },
        sockets: [
          {
            protocol: "tcp",
            localAddress: "0.0.0.0",
            localPort: 80,
            remoteAddress: "0.0.0.0",
            remotePort: 0,
            state: "LISTEN",
            stateCode: 10,
            uid: 1000,
            inode: 1,
          },
          {
            protocol: "tcp6",
            localAddress: "::1",
            localPort: 8080,
            remoteAddress: "::1",
            remotePort: 51000,
            state: "ESTABLISHED",
            stateCode: 1,
            uid: 1000,
            inode: 2,
          },
          {
            protocol: "udp",
            localAddress: "127.0.0.1",
            localPort: 53,
            remoteAddress: "0.0.0.0",
            remotePort: 0,
            state: "CLOSE",
            stateCode: 7,
            uid: 1000,
            inode: 3,
          },
        ],
        ...after,
      }],
      containers: [{ id: WEB, name: "web", pids: [4242] }],
    },
    { seconds },
  );
}

Deno.test("REQ-MON-002: processView() reports CPU in millicores and percent of one core", () => {
  // 30 user + 10 system ticks = 0.4 s of CPU in 2 s.
  const v = processView(processPair(), 4242)!;
  assert.equal(v.cpuMillicores, 200);
  assert.equal(v.cpuUserMillicores, 150);
  assert.equal(v.cpuSystemMillicores, 50);
  assert.equal(v.cpuPercent, 20);
  assert.equal(v.cpuTimeSeconds, 1.5);
});

Deno.test("REQ-MON-002: processView() shows the namespace PID, user, memory and the container", () => {
  const v = processView(processPair(), 4242)!;
  assert.equal(v.pid, 4242);
  assert.equal(v.nsPid, 1);
  assert.equal(v.ppid, 4200);
  assert.equal(v.name, "nginx");
  assert.equal(v.cmdline, "nginx -g daemon off;");
  assert.equal(v.state, "S");
  assert.equal(v.uid, 1000);
  assert.equal(v.user, "alice");
  assert.equal(v.threads, 3);
  assert.equal(v.startedAtMs, (IDENTITY.bootTimeSeconds! + 50) * 1000);
  assert.equal(v.rssBytes, 10 * MiB, "VmRSS from status wins over stat's page count");
  assert.equal(v.vszBytes, 64 * MiB);
  assert.equal(v.pssBytes, 6 * MiB);
  assert.equal(v.swapBytes, MiB);
  assert.equal(v.fds, 12);
  assert.equal(v.ioReadBytesPerSecond, 4096);
  assert.equal(v.ioWriteBytesPerSecond, 1e6);
  assert.equal(v.cgroupPath, `/docker/${WEB}`);
  assert.deepEqual(v.container, { id: WEB, name: "web" });
  assert.deepEqual(v.namespaces, { pid: 4026532001, net: 4026532004 });
  assert.deepEqual(v.notes, []);
});

Deno.test("REQ-MON-002: processView() counts sockets and brackets IPv6 endpoints", () => {
  const s = processView(processPair(), 4242)!.sockets!;
  assert.equal(s.count, 3);
  assert.equal(s.tcp, 2);
  assert.equal(s.udp, 1);
  assert.deepEqual(s.list, [
    { protocol: "tcp", local: "0.0.0.0:80", remote: "0.0.0.0:0", state: "LISTEN" },
    { protocol: "tcp6", local: "[::1]:8080", remote: "[::1]:51000", state: "ESTABLISHED" },
    { protocol: "udp", local: "127.0.0.1:53", remote: "0.0.0.0:0", state: "CLOSE" },
  ]);
});

Deno.test("REQ-MON-002: processView() gives null CPU for a reused PID (start time changed)", () => {
  const v = processView(processPair({ startTimeTicks: 9000 }), 4242)!;
  assert.equal(v.cpuMillicores, null);
  assert.equal(v.cpuPercent, null);
  assert.equal(v.startedAtMs, (IDENTITY.bootTimeSeconds! + 90) * 1000);
});

Deno.test("REQ-MON-002: processView() of a host process without status falls back to stat", () => {
  const o = pair({}, { processes: [{ pid: 77, comm: "cron", rssBytes: 3 * MiB }] });
  const v = processView(o, 77)!;
  assert.equal(v.nsPid, null);
  assert.equal(v.uid, null);
  assert.equal(v.user, null);
  assert.equal(v.rssBytes, 3 * MiB);
  assert.equal(v.swapBytes, null);
  assert.equal(v.cpuMillicores, null, "seen once: no rate");
  assert.equal(v.container, null);
  assert.equal(v.cmdline, null);
  assert.equal(v.sockets, null);
  assert.equal(v.cgroupPath, null);
});

Deno.test("REQ-MON-010: processView() keeps unreadable parts null and passes the reader's notes", () => {
  const o = processPair({
    io: null,
    fds: null,
    notes: ["io: permission denied", "fd: permission denied"],
  });
  const v = processView(o, 4242)!;
  assert.equal(v.ioReadBytesPerSecond, null);
  assert.equal(v.ioWriteBytesPerSecond, null);
  assert.equal(v.fds, null);
  assert.deepEqual(v.notes, ["io: permission denied", "fd: permission denied"]);
});

Deno.test("REQ-MON-011: processView() is null for a PID missing from the second sweep", () => {
  const o = pair({ processes: [{ pid: 4242 }] }, {});
  assert.equal(processView(o, 4242), null);
});

Deno.test("REQ-MON-011: processCpuSum() skips processes seen in one sweep only", () => {
  const o = pair(
    { processes: [{ pid: 1, utimeTicks: 0 }, { pid: 2, utimeTicks: 0 }] },
    { processes: [{ pid: 1, utimeTicks: 25 }, { pid: 3, utimeTicks: 500 }] },
  );
  assert.equal(processCpuSum(o, [1, 2, 3]), 250);
});
