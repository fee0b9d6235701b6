import assert from "node:assert/strict";
import type { CorrelationView } from "./correlation.ts";
import type { GapView } from "./gap.ts";
import type { ContainerSummary, ContainerView, HostView, ProcessView } from "./model.ts";
import {
  renderAll,
  renderContainer,
  renderContainerTable,
  renderCorrelation,
  renderGap,
  renderHost,
  renderProcess,
} from "./render.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const WEB = "a".repeat(64);
const APP = "c".repeat(64);

/** The line of `text` whose key (before the colon) is `key`, without the padding. */
function field(text: string, key: string): string {
  const line = text.split("\n").find((l) => l.trimStart().startsWith(`${key}:`));
  assert.ok(line !== undefined, `no "${key}:" line in:\n${text}`);
  return line.slice(line.indexOf(":") + 1).trim();
}

// ---------------------------------------------------------------------------------------------
// Views as the model builds them, written out by hand.

const SUMMARIES: ContainerSummary[] = [
  {
    id: APP,
    name: "app",
    runtime: "containerd",
    pod: "shop/api-0",
    cpuMillicores: 1500,
    cpuLimitMillicores: 2000,
    throttledPeriods: 12,
    memoryWorkingSetBytes: 300 * MiB,
    memoryLimitBytes: 512 * MiB,
    pids: 14,
  },
  {
    id: WEB,
    name: null,
    runtime: null,
    pod: null,
    cpuMillicores: null,
    cpuLimitMillicores: null,
    throttledPeriods: null,
    memoryWorkingSetBytes: null,
    memoryLimitBytes: null,
    pids: 0,
  },
];

const HOST: HostView = {
  hostname: "node-a",
  kernel: "6.1.0-18-amd64",
  os: "Debian GNU/Linux 12 (bookworm)",
  uptimeSeconds: 3 * 86400 + 4 * 3600 + 300,
  cpuCount: 4,
  cpu: {
    busyPercent: 40,
    userMillicores: 1000,
    systemMillicores: 600,
    iowaitMillicores: 80,
    stealMillicores: 0,
  },
  load: { load1: 1.5, load5: 1, load15: 0.5, runnable: 3, total: 400 },
  memory: {
    totalBytes: 16 * GiB,
    availableBytes: 10 * GiB,
    usedBytes: 6 * GiB,
    cachedBytes: 2 * GiB,
    swapTotalBytes: 4 * GiB,
    swapUsedBytes: 1 * GiB,
  },
  pressure: {
    cpu: { someAvg10: 12.5, someAvg60: 6, fullAvg10: 2, fullAvg60: 1 },
    memory: { someAvg10: 0.25, someAvg60: 0.1, fullAvg10: null, fullAvg60: null },
    io: null,
  },
  filesystems: [{
    device: "/dev/vda1",
    mountPoint: "/",
    fsType: "ext4",
    sizeBytes: 100 * GiB,
    usedBytes: 40 * GiB,
    availableBytes: 60 * GiB,
    inodes: 6_553_600,
    inodesFree: 6_000_000,
  }],
  interfaces: [
    {
      name: "eth0",
      kind: "physical",
      rxBytesPerSecond: 2048,
      txBytesPerSecond: 1024,
      rxBytesTotal: 1 * GiB,
      txBytesTotal: 512 * MiB,
      rxPacketsTotal: 1000,
      txPacketsTotal: 500,
    },
    {
      name: "veth9",
      kind: "veth",
      rxBytesPerSecond: null,
      txBytesPerSecond: null,
      rxBytesTotal: 100,
      txBytesTotal: 100,
      rxPacketsTotal: 1,
      txPacketsTotal: 1,
    },
  ],
  processes: 312,
  containers: SUMMARIES,
  notes: ["/proc/pressure/io: permission denied"],
};

const UNKNOWN_HOST: HostView = {
  hostname: null,
  kernel: null,
  os: null,
  uptimeSeconds: null,
  cpuCount: 0,
  cpu: {
    busyPercent: null,
    userMillicores: null,
    systemMillicores: null,
    iowaitMillicores: null,
    stealMillicores: null,
  },
  load: null,
  memory: {
    totalBytes: null,
    availableBytes: null,
    usedBytes: null,
    cachedBytes: null,
    swapTotalBytes: null,
    swapUsedBytes: null,
  },
  pressure: { cpu: null, memory: null, io: null },
  filesystems: [],
  interfaces: [],
  processes: 0,
  containers: [],
  notes: [],
};

const PROCESS: ProcessView = {
  pid: 4242,
  nsPid: 1,
  ppid: 4200,
  name: "nginx",
  cmdline: "nginx -g daemon off;",
  state: "S",
  uid: 1000,
  user: "alice",
  threads: 3,
  startedAtMs: Date.UTC(2023, 10, 14, 22, 0, 5, 250),
  cpuMillicores: 200,
  cpuUserMillicores: 150,
  cpuSystemMillicores: 50,
  cpuPercent: 20,
  cpuTimeSeconds: 309,
  rssBytes: 10 * MiB,
  vszBytes: 64 * MiB,
  pssBytes: 6 * MiB,
  swapBytes: 0,
  fds: 12,
  ioReadBytesPerSecond: 4096,
  ioWriteBytesPerSecond: 1.5 * MiB,
  sockets: {
    count: 2,
    tcp: 2,
    udp: 0,
    list: [
      { protocol: "tcp", local: "0.0.0.0:80", remote: "0.0.0.0:0", state: "LISTEN" },
      { protocol: "tcp6", local: "[::1]:8080", remote: "[::1]:51000", state: "ESTABLISHED" },
    ],
  },
  namespaces: { pid: 4026532101, net: 4026532104, user: null },
  cgroupPath: `/docker/${WEB}`,
  container: { id: WEB, name: "web" },
  notes: [],
};

const HOST_PROCESS: ProcessView = {
  ...PROCESS,
  pid: 77,
  nsPid: 77,
  name: "cron",
  cmdline: null,
  uid: 1001,
  user: null,
  startedAtMs: null,
  cpuMillicores: null,
  cpuUserMillicores: null,
  cpuSystemMillicores: null,
  cpuPercent: null,
  pssBytes: null,
  swapBytes: null,
  fds: null,
  ioReadBytesPerSecond: null,
  ioWriteBytesPerSecond: null,
  sockets: null,
  namespaces: null,
  cgroupPath: null,
  container: null,
  notes: ["io: permission denied", "fd: permission denied"],
};

const CONTAINER: ContainerView = {
  id: WEB,
  name: "web",
  runtime: "docker",
  state: "running",
  image: "nginx:1.25",
  kubernetes: null,
  cgroupPath: `/docker/${WEB}`,
  cgroupVersion: "v2",
  cpu: {
    usageMillicores: 200,
    userMillicores: 150,
    systemMillicores: 50,
    limitMillicores: 200,
    shares: null,
    weight: 100,
    periods: 10,
    throttledPeriods: 7,
    throttledSeconds: 0.35,
    throttledPercent: 70,
    throttledPeriodsTotal: 27,
    throttledSecondsTotal: 1.35,
  },
  memory: {
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
  },
  pressure: {
    cpu: { someAvg10: 25.5, someAvg60: 20, fullAvg10: 10.25, fullAvg60: 8 },
    memory: null,
    io: { someAvg10: 0, someAvg60: 0, fullAvg10: 0, fullAvg60: 0 },
  },
  io: {
    readBytesPerSecond: 2 * MiB,
    writeBytesPerSecond: 0,
    readBytesTotal: 10 * GiB,
    writeBytesTotal: 1 * GiB,
  },
  pids: { current: 3, limit: 100 },
  network: {
    interfaces: [{
      name: "eth0",
      rxBytesPerSecond: 3000,
      txBytesPerSecond: null,
      rxBytesTotal: 4000,
      txBytesTotal: 1500,
      rxPacketsTotal: 30,
      txPacketsTotal: 12,
      hostVeth: "veth1a2b3c",
    }],
    note: null,
  },
  processes: [
    {
      pid: 4242,
      nsPid: 1,
      name: "nginx",
      state: "S",
      cpuMillicores: 200,
      rssBytes: 10 * MiB,
      pssBytes: 6 * MiB,
    },
    {
      pid: 4250,
      nsPid: null,
      name: "worker",
      state: "R",
      cpuMillicores: null,
      rssBytes: 4 * MiB,
      pssBytes: null,
    },
  ],
  namespaces: { pid: 4026532101, net: null },
  hostname: "a1b2c3d4e5f6",
  storagePath: "/var/lib/docker/overlay2/f00/merged",
  startedAtMs: Date.UTC(2023, 10, 14, 22, 0, 5),
  notes: [],
};

const KUBE_CONTAINER: ContainerView = {
  ...CONTAINER,
  id: APP,
  name: "app",
  runtime: "containerd",
  kubernetes: {
    podName: "api-0",
    namespace: "shop",
    podUid: "6a2d4c1e-7b3f-4e9a-8c5d-0f1e2d3c4b5a",
    qosClass: "Burstable",
    containerName: "app",
    sandbox: false,
  },
};

const UNLIMITED_CONTAINER: ContainerView = {
  ...CONTAINER,
  name: null,
  runtime: null,
  state: null,
  image: null,
  cgroupPath: null,
  cgroupVersion: "v1",
  cpu: {
    usageMillicores: null,
    userMillicores: null,
    systemMillicores: null,
    limitMillicores: null,
    shares: 1024,
    weight: null,
    periods: null,
    throttledPeriods: null,
    throttledSeconds: null,
    throttledPercent: null,
    throttledPeriodsTotal: null,
    throttledSecondsTotal: null,
  },
  memory: {
    usageBytes: null,
    limitBytes: null,
    workingSetBytes: 50 * MiB,
    anonBytes: null,
    fileBytes: null,
    swapBytes: null,
    oomKillsTotal: null,
    highEventsTotal: null,
    maxEventsTotal: null,
    oomEventsTotal: null,
    limitUsedPercent: null,
  },
  pressure: { cpu: null, memory: null, io: null },
  io: {
    readBytesPerSecond: null,
    writeBytesPerSecond: null,
    readBytesTotal: null,
    writeBytesTotal: null,
  },
  pids: { current: null, limit: null },
  network: { interfaces: [], note: "host network namespace" },
  processes: [],
  namespaces: null,
  hostname: null,
  storagePath: null,
  startedAtMs: null,
  notes: ["first sample: rates need two sweeps"],
};

// ---------------------------------------------------------------------------------------------
// Host

Deno.test("REQ-MON-001: renderHost() prints the host section, filesystems, interfaces and containers", () => {
  assert.equal(
    renderHost(HOST),
    [
      "Host node-a",
      "  os:              Debian GNU/Linux 12 (bookworm)",
      "  kernel:          6.1.0-18-amd64",
      "  uptime:          3d 4h 05m",
      "  cpu:             4 CPUs, 40.0% busy (user 1.00 cores, system 600m, iowait 80m, steal 0m)",
      "  load:            1.50 1.00 0.50 (3 runnable of 400)",
      "  memory:          6.00 GiB used of 16.0 GiB, 10.0 GiB available, 2.00 GiB cached",
      "  swap:            1.00 GiB used of 4.00 GiB",
      "  pressure cpu:    some 12.50%, full 2.00% (avg10)",
      "  pressure memory: some 0.25% (avg10)",
      "  pressure io:     not available",
      "  processes:       312",
      "",
      "Filesystems",
      "  MOUNT  DEVICE     TYPE     SIZE      USED     AVAIL   USE%",
      "  /      /dev/vda1  ext4  100 GiB  40.0 GiB  60.0 GiB  40.0%",
      "",
      "Network interfaces",
      "  NAME   KIND            RX/s        TX/s        RX       TX  RX PKTS  TX PKTS",
      "  eth0   physical  2.00 KiB/s  1.00 KiB/s  1.00 GiB  512 MiB     1000      500",
      "  veth9  veth               -           -     100 B    100 B        1        1",
      "",
      "Containers (2)",
      "  CONTAINER     NAME  RUNTIME     POD                CPU       LIMIT  THROTTLED   MEMORY      LIMIT  PIDS",
      "  cccccccccccc  app   containerd  shop/api-0  1.50 cores  2.00 cores         12  300 MiB    512 MiB    14",
      "  aaaaaaaaaaaa  -     -           -                    -        none          -        -  unlimited     0",
      "Notes:",
      "  - /proc/pressure/io: permission denied",
    ].join("\n"),
  );
});

Deno.test("REQ-MON-001: renderHost() shows unknown values as '-', never as zero", () => {
  const text = renderHost(UNKNOWN_HOST);
  assert.equal(text.split("\n")[0], "Host -");
  assert.equal(field(text, "os"), "-");
  assert.equal(field(text, "uptime"), "-");
  assert.equal(field(text, "cpu"), "0 CPUs, - busy (user -, system -, iowait -, steal -)");
  assert.equal(field(text, "load"), "-");
  assert.equal(field(text, "memory"), "- used of -, - available, - cached");
  assert.equal(field(text, "swap"), "- used of -", "unknown swap is not 'none'");
  assert.equal(field(text, "pressure cpu"), "not available");
  assert.match(text, /^Filesystems\n {2}\(none readable\)$/m);
  assert.match(text, /^Containers \(0\)\n {2}\(no containers\)$/m);
  assert.doesNotMatch(text, /Notes:/);
});

Deno.test("REQ-MON-001: renderHost() says 'none' for a host without swap", () => {
  const text = renderHost({
    ...UNKNOWN_HOST,
    memory: { ...UNKNOWN_HOST.memory, swapTotalBytes: 0, swapUsedBytes: 0 },
  });
  assert.equal(field(text, "swap"), "none");
});

Deno.test("REQ-MON-001: renderContainerTable() shows no limit as 'none' (CPU) and 'unlimited' (memory)", () => {
  const [header, , row] = renderContainerTable(SUMMARIES).split("\n");
  const cells = row.trim().split(/ {2,}/);
  assert.deepEqual(cells, ["aaaaaaaaaaaa", "-", "-", "-", "-", "none", "-", "-", "unlimited", "0"]);
  // Numbers are right-aligned: each column's right edge lines up with its header's.
  for (const column of ["CPU", "THROTTLED", "MEMORY", "PIDS"]) {
    const end = header.indexOf(column === "CPU" ? "CPU " : column) + column.length;
    assert.notEqual(row[end - 1], " ", `${column} is right-aligned`);
  }
  assert.equal(header.trimEnd().length, row.trimEnd().length, "the last column is right-aligned");
});

// ---------------------------------------------------------------------------------------------
// Process

Deno.test("REQ-MON-002: renderProcess() prints a containerised process with its sockets", () => {
  assert.equal(
    renderProcess(PROCESS),
    [
      "Process 4242 (nginx)",
      "  pid:        4242 (1 in its namespace)",
      "  ppid:       4200",
      "  name:       nginx",
      "  cmdline:    nginx -g daemon off;",
      "  state:      S",
      "  user:       alice",
      "  threads:    3",
      "  started:    2023-11-14T22:00:05Z",
      "  cpu:        20.0% of a core (200m: user 150m, system 50m), 5m 09s total",
      "  rss:        10.0 MiB",
      "  pss:        6.00 MiB",
      "  vsz:        64.0 MiB",
      "  swap:       0 B",
      "  open fds:   12",
      "  io:         read 4.00 KiB/s, write 1.50 MiB/s",
      "  sockets:    2 (2 tcp, 0 udp)",
      `  cgroup:     /docker/${WEB}`,
      "  container:  web (aaaaaaaaaaaa)",
      "  namespaces: pid:4026532101 net:4026532104 user:-",
      "",
      "Sockets",
      "  PROTO  LOCAL       REMOTE       STATE",
      "  tcp    0.0.0.0:80  0.0.0.0:0    LISTEN",
      "  tcp6   [::1]:8080  [::1]:51000  ESTABLISHED",
    ].join("\n"),
  );
});

Deno.test("REQ-MON-002: renderProcess() of a host process shows '-' for unknowns and its notes", () => {
  const text = renderProcess(HOST_PROCESS);
  assert.equal(field(text, "pid"), "77", "no namespace PID when it equals the host PID");
  assert.equal(field(text, "user"), "1001", "the uid when no name is known");
  assert.equal(field(text, "cmdline"), "-");
  assert.equal(field(text, "started"), "-");
  assert.equal(field(text, "cpu"), "- of a core (-: user -, system -), 5m 09s total");
  assert.equal(field(text, "pss"), "-");
  assert.equal(field(text, "swap"), "-");
  assert.equal(field(text, "open fds"), "-");
  assert.equal(field(text, "io"), "read -, write -");
  assert.equal(field(text, "sockets"), "-");
  assert.equal(field(text, "cgroup"), "-");
  assert.equal(field(text, "container"), "none (host)");
  assert.equal(field(text, "namespaces"), "-");
  assert.doesNotMatch(text, /^Sockets$/m);
  assert.match(text, /\nNotes:\n {2}- io: permission denied\n {2}- fd: permission denied$/);
});

// ---------------------------------------------------------------------------------------------
// Container

Deno.test("REQ-MON-003: renderContainer() prints a container's limits, throttling, network and processes", () => {
  assert.equal(
    renderContainer(CONTAINER),
    [
      "Container web",
      `  id:              ${WEB}`,
      "  name:            web",
      "  runtime:         docker",
      "  state:           running",
      "  image:           nginx:1.25",
      `  cgroup:          /docker/${WEB} (v2)`,
      "  cpu:             200m (user 150m, system 50m), limit 200m",
      "  throttling:      7 of 10 periods (70.0%), 0.350 s in the interval; 27 periods since start",
      "  memory:          192 MiB working set of 256 MiB (75.0%); usage 300 MiB, anon 150 MiB, file 120 MiB, swap 0 B",
      "  oom kills:       2",
      "  memory events:   over high 7, at limit 3, oom 1 since start",
      "  pressure cpu:    some 25.50%, full 10.25% (avg10)",
      "  pressure memory: not available",
      "  pressure io:     some 0.00%, full 0.00% (avg10)",
      "  block io:        read 2.00 MiB/s, write 0 B/s",
      "  pids:            3 of 100",
      "  hostname:        a1b2c3d4e5f6",
      "  storage:         /var/lib/docker/overlay2/f00/merged",
      "  started:         2023-11-14T22:00:05Z",
      "  namespaces:      pid:4026532101 net:-",
      "",
      "Network",
      "  NAME  HOST VETH         RX/s  TX/s        RX        TX",
      "  eth0  veth1a2b3c  2.93 KiB/s     -  3.91 KiB  1.46 KiB",
      "",
      "Processes (2)",
      "   PID  NSPID  NAME    STATE   CPU       RSS       PSS",
      "  4242      1  nginx   S      200m  10.0 MiB  6.00 MiB",
      "  4250      -  worker  R         -  4.00 MiB         -",
    ].join("\n"),
  );
});

Deno.test("REQ-MON-003: renderContainer() adds pod, QoS class and Kubernetes container name", () => {
  const text = renderContainer(KUBE_CONTAINER);
  assert.equal(field(text, "pod"), "shop/api-0 (uid 6a2d4c1e-7b3f-4e9a-8c5d-0f1e2d3c4b5a)");
  assert.equal(field(text, "qos class"), "Burstable");
  assert.equal(field(text, "k8s container"), "app");
  const sandbox = renderContainer({
    ...KUBE_CONTAINER,
    kubernetes: { ...KUBE_CONTAINER.kubernetes!, containerName: "POD", sandbox: true },
  });
  assert.equal(field(sandbox, "k8s container"), "POD (sandbox)");
  assert.doesNotMatch(renderContainer(CONTAINER), /pod:|qos class:|k8s container:/);
});

Deno.test("REQ-MON-003: renderContainer() shows no limits as 'none'/'unlimited' and unknowns as '-'", () => {
  const text = renderContainer(UNLIMITED_CONTAINER);
  assert.equal(text.split("\n")[0], "Container aaaaaaaaaaaa", "the short id when it has no name");
  assert.equal(field(text, "name"), "-");
  assert.equal(field(text, "state"), "-");
  assert.equal(field(text, "cgroup"), "- (v1)");
  assert.equal(field(text, "cpu"), "- (user -, system -), limit none");
  assert.equal(field(text, "throttling"), "- periods, - s since start");
  assert.equal(
    field(text, "memory"),
    "50.0 MiB working set of unlimited; usage -, anon -, file -, swap -",
  );
  assert.equal(field(text, "oom kills"), "-");
  assert.equal(field(text, "block io"), "read -, write -");
  assert.equal(field(text, "pids"), "- of unlimited");
  assert.equal(field(text, "started"), "-");
  assert.match(text, /\nNetwork\n {2}host network namespace\n/);
  assert.match(text, /\nProcesses \(0\)\n {2}\(no processes\)\n/);
  assert.match(text, /\nNotes:\n {2}- first sample: rates need two sweeps$/);
});

Deno.test("REQ-MON-004: renderAll() prints the host, then every container", () => {
  const text = renderAll(HOST, [CONTAINER, KUBE_CONTAINER]);
  assert.ok(text.startsWith(renderHost(HOST) + "\n\n"));
  assert.ok(text.includes("\n\nContainer web\n"));
  assert.ok(text.endsWith(renderContainer(KUBE_CONTAINER)));
});

// ---------------------------------------------------------------------------------------------
// Gap and correlation

Deno.test("REQ-MON-005: renderGap() groups findings by boundary with severity and numbers", () => {
  const view: GapView = {
    hostBusyPercent: 25,
    intervalSeconds: 1.0004,
    findings: [
      {
        id: "near-memory-limit",
        boundary: "container→host",
        severity: "warning",
        title: "Container near its memory limit",
        detail: "web uses 95% of its 256 MiB limit while the host has 6144 MiB available.",
        values: { workingSetBytes: 243 * MiB, limitBytes: 256 * MiB },
        subjects: [WEB],
      },
      {
        id: "processes-outside-containers",
        boundary: "process→container",
        severity: "info",
        title: "Processes outside any container",
        detail: "2 user processes run outside containers.",
        values: { processes: 2 },
        subjects: [1, 500],
      },
    ],
  };
  assert.equal(
    renderGap(view),
    [
      "Gap analysis over 1.0 s",
      "",
      "process→container",
      "  [info] Processes outside any container",
      "    2 user processes run outside containers.",
      "",
      "container→host",
      "  [warning] Container near its memory limit",
      "    web uses 95% of its 256 MiB limit while the host has 6144 MiB available.",
    ].join("\n"),
  );
  assert.equal(
    renderGap({ intervalSeconds: 2, hostBusyPercent: 10, findings: [] }),
    "Gap analysis over 2.0 s",
  );
});

Deno.test("REQ-MON-006: renderCorrelation() prints the isolation table and metrics by level", () => {
  const view: CorrelationView = {
    containerId: WEB,
    mainPid: 4242,
    table: [
      { aspect: "spec", process: "nginx -g daemon off;", container: "nginx:1.25", host: "Debian" },
      {
        aspect: "in memory",
        process: "PID 4242→1",
        container: "web (aaaaaaaaaaaa)",
        host: "node-a",
      },
    ],
    metrics: [
      { metric: "cpu", unit: "millicores", process: 200, container: 300, host: 1600 },
      { metric: "memory", unit: "bytes", process: 10 * MiB, container: null, host: 6 * GiB },
      { metric: "processes", unit: "count", process: 1, container: 2, host: 312 },
      {
        metric: "cpu pressure some avg10",
        unit: "percent",
        process: null,
        container: 4.5,
        host: 12.5,
      },
    ],
    process: PROCESS,
    container: CONTAINER,
    host: HOST,
  };
  assert.equal(
    renderCorrelation(view),
    [
      "Correlation for container web",
      "",
      "  ASPECT     PROCESS               CONTAINER           HOST",
      "  spec       nginx -g daemon off;  nginx:1.25          Debian",
      "  in memory  PID 4242→1            web (aaaaaaaaaaaa)  node-a",
      "",
      "Metrics by level",
      "  METRIC                   PROCESS 4242  CONTAINER        HOST",
      "  cpu                              200m       300m  1.60 cores",
      "  memory                       10.0 MiB          -    6.00 GiB",
      "  processes                           1          2         312",
      "  cpu pressure some avg10             -       4.5%       12.5%",
    ].join("\n"),
  );
  const unnamed = renderCorrelation({
    ...view,
    mainPid: null,
    container: { ...CONTAINER, name: null },
  });
  assert.match(unnamed, /^Correlation for container aaaaaaaaaaaa\n/);
  assert.match(unnamed, /^ {2}METRIC {2,}PROCESS {2}CONTAINER/m);
});
