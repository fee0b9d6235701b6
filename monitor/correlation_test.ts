import assert from "node:assert/strict";
import { correlationView } from "./correlation.ts";
import { hostInterface, id, MiB, netDevice, pair, type ProcessInit } from "./testing_snapshots.ts";

const WEB = id("a");
const GiB = 1024 * MiB;

const CONTAINER_NS = {
  pid: 4026532101,
  mnt: 4026532102,
  net: 4026532104,
  uts: 4026532103,
  ipc: 4026532105,
  user: 4026531837,
  cgroup: 4026532106,
};
const HOST_NS = {
  pid: 4026531836,
  mnt: 4026531841,
  net: 4026531840,
  uts: 4026531838,
  ipc: 4026531839,
  user: 4026531837,
  cgroup: 4026531835,
};

function observation() {
  const procs = (ticks: number): ProcessInit[] => [
    {
      pid: 4242,
      comm: "nginx",
      numThreads: 3,
      utimeTicks: ticks,
      rssBytes: 10 * MiB,
      status: { nsPids: [4242, 1] },
      cmdline: ["nginx", "-g", "daemon off;"],
      namespaces: CONTAINER_NS,
      sockets: [{
        protocol: "tcp",
        localAddress: "0.0.0.0",
        localPort: 80,
        remoteAddress: "0.0.0.0",
        remotePort: 0,
        state: "LISTEN",
        stateCode: 10,
        uid: 0,
        inode: 1,
      }],
    },
    { pid: 4250, comm: "nginx", status: { nsPids: [4250, 7] }, namespaces: CONTAINER_NS },
    { pid: 1, comm: "systemd" },
  ];
  const container = (usageNs: number) => ({
    id: WEB,
    name: "web",
    pids: [4250, 4242],
    stats: {
      cpu: { usageNs, limitMillicores: 500 },
      memory: { workingSetBytes: 30 * MiB, limitBytes: 256 * MiB },
      pressure: { cpu: { some: { avg10: 4.5, avg60: 1, avg300: 0, totalUs: 0 }, full: null } },
    },
    network: [],
    hostVeths: { eth0: "veth1a2b" },
    metadata: {
      image: "docker.io/library/nginx:1.25",
      storagePath: "/var/lib/docker/overlay2/f00/merged",
    },
  });
  const host = (user: number, idle: number) => ({
    cpu: { user, idle },
    meminfo: { memTotalBytes: 8 * GiB, memAvailableBytes: 6 * GiB },
    interfaces: [
      hostInterface("lo", "loopback", 0, 0),
      hostInterface("eth0", "physical", 0, 0),
      hostInterface("veth1a2b", "veth", 0, 0),
    ],
  });
  const before = container(0);
  const after = { ...container(0.3e9), network: [netDevice("eth0", 0, 0)] };
  return pair(
    { host: host(0, 0), processes: procs(0), containers: [before] },
    { host: host(100, 300), processes: procs(20), containers: [after] },
  );
}

const FS = [{
  device: "/dev/vda1",
  mountPoint: "/",
  fsType: "ext4",
  sizeBytes: 100 * GiB,
  usedBytes: 40 * GiB,
  availableBytes: 55 * GiB,
  inodes: 1000,
  inodesFree: 500,
}];

Deno.test("REQ-MON-006: correlationView() fills the isolation table with this container's values", () => {
  const o = { ...observation(), filesystems: FS };
  const v = correlationView(o, WEB, HOST_NS, "/usr/sbin/nginx")!;
  assert.equal(v.containerId, WEB);
  assert.equal(v.mainPid, 4242, "the lowest host PID is the main process");
  assert.deepEqual(v.table, [
    {
      aspect: "spec",
      process: "nginx -g daemon off;",
      container: "docker.io/library/nginx:1.25",
      host: "Debian GNU/Linux 12 (bookworm)",
    },
    {
      aspect: "on disk",
      process: "/usr/sbin/nginx",
      container: "/var/lib/docker/overlay2/f00/merged",
      host: "/dev/vda1 on / (ext4)",
    },
    {
      aspect: "in memory",
      process: "PID 4242→1, 4250→7",
      container: "web (aaaaaaaaaaaa)",
      host: "node-a",
    },
    {
      aspect: "in network",
      process: "1 sockets: tcp 0.0.0.0:80",
      container: "eth0@veth1a2b",
      host: "eth0",
    },
    {
      aspect: "runtime context",
      process: "3 threads, S",
      container: "docker on node-a",
      host: "4 CPUs, kernel 6.1.0-18-amd64",
    },
    {
      aspect: "isolation",
      process: "own memory space, shares the container's namespaces",
      container: "own pid, mnt, net, uts, ipc, cgroup namespaces; shares user with the host",
      host: "full: own kernel and page cache",
    },
  ]);
});

Deno.test("REQ-MON-006: correlationView() puts each metric at the three levels side by side", () => {
  const v = correlationView(observation(), WEB, HOST_NS, null)!;
  assert.deepEqual(v.metrics, [
    // 20 ticks in 1 s = 200 m for the process, 300 m for the cgroup, 25% of 4 CPUs for the host.
    { metric: "cpu", unit: "millicores", process: 200, container: 300, host: 1000 },
    { metric: "cpu limit", unit: "millicores", process: null, container: 500, host: 4000 },
    { metric: "memory", unit: "bytes", process: 10 * MiB, container: 30 * MiB, host: 2 * GiB },
    { metric: "memory limit", unit: "bytes", process: null, container: 256 * MiB, host: 8 * GiB },
    { metric: "processes", unit: "count", process: 1, container: 2, host: 3 },
    {
      metric: "cpu pressure some avg10",
      unit: "percent",
      process: null,
      container: 4.5,
      host: null,
    },
  ]);
  assert.equal(v.process?.pid, 4242);
  assert.equal(v.container.id, WEB);
  assert.equal(v.host.hostname, "node-a");
  assert.equal(v.table[1].process, "-", "no exe path: unknown");
  assert.equal(v.table[1].host, "/", "no root filesystem readable");
});

Deno.test("REQ-MON-006: correlationView() claims no namespace of its own without the host's", () => {
  const v = correlationView(observation(), WEB, null, null)!;
  assert.equal(v.table[5].container, "no namespace of its own");
});

Deno.test("REQ-MON-006: correlationView() shows dashes for a container without processes", () => {
  const c = { id: WEB, name: "web", pids: [] };
  const v = correlationView(pair({ containers: [c] }, { containers: [c] }), WEB, HOST_NS, null)!;
  assert.equal(v.mainPid, null);
  assert.equal(v.process, null);
  assert.deepEqual(v.table.map((r) => r.process), ["-", "-", "-", "-", "-", v.table[5].process]);
  assert.equal(v.table[3].container, "no interfaces");
  assert.equal(v.metrics[0].process, null);
});

Deno.test("REQ-MON-006: correlationView() is null for a container gone in the second sweep", () => {
  const c = { id: WEB, pids: [] };
  assert.equal(correlationView(pair({ containers: [c] }, {}), WEB, HOST_NS, null), null);
});
