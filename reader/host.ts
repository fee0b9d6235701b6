/**
 * Reads the host level: identity (hostname, kernel, OS), CPU counters, memory, load, pressure,
 * network interfaces of the host's network namespace and real filesystems. Host files are read
 * through a process in the initial namespaces (`/proc/<hostPid>/net/dev`, `.../mounts`) so that a
 * collector running in a container with the host's /proc mounted sees the host, not itself.
 *
 * Reaches: /proc (stat, meminfo, loadavg, net/dev, …) and /sys (interfaces, disks), through an
 * `Fs`.
 *
 * @module
 */

import { statfsSync } from "node:fs";
import { type Fs, type ParseFailure, readParsed, type Roots } from "./fs.ts";
import { parseProcStat, type ProcStat } from "./parse/proc_stat.ts";
import { type Meminfo, parseMeminfo } from "./parse/proc_meminfo.ts";
import { type Loadavg, parseLoadavg } from "./parse/proc_loadavg.ts";
import { parseUptime } from "./parse/proc_uptime.ts";
import { parsePressure, type Pressure } from "./parse/pressure.ts";
import { type NetDevice, parseNetDev } from "./parse/proc_net_dev.ts";
import { parseMounts } from "./parse/proc_mounts.ts";
import { type DiskStats, isPhysicalDisk, parseDiskstats } from "./parse/proc_diskstats.ts";
import { sampleClockMs } from "./clock.ts";

/** How an interface is attached. */
export type InterfaceKind = "loopback" | "physical" | "veth" | "virtual";

/** A network interface with its counters. */
export interface HostInterface extends NetDevice {
  kind: InterfaceKind;
  /** The interface index, and the peer's index for veth (`iflink`). */
  ifindex: number | null;
  iflink: number | null;
}

/** Use of one mounted filesystem. */
export interface FilesystemUse {
  device: string;
  mountPoint: string;
  fsType: string;
  sizeBytes: number;
  usedBytes: number;
  /** Bytes an unprivileged user may still write (statfs f_bavail). */
  availableBytes: number;
  inodes: number;
  inodesFree: number;
}

/** Host identity: read once per run. */
export interface HostIdentity {
  hostname: string | null;
  kernel: string | null;
  os: string | null;
  cpuCount: number;
  bootTimeSeconds: number | null;
}

/** Host counters at one instant. */
export interface HostSample {
  timeMs: number;
  uptimeSeconds: number | null;
  stat: ProcStat | null;
  meminfo: Meminfo | null;
  loadavg: Loadavg | null;
  pressure: { cpu: Pressure | null; memory: Pressure | null; io: Pressure | null };
  interfaces: HostInterface[];
  /** Whole physical disks (no partitions, loop or stacked devices). */
  disks: DiskStats[];
  notes: string[];
}

/** Filesystem types that hold data (not proc, sysfs, cgroup, tmpfs, overlay …). */
const REAL_FILESYSTEMS = new Set([
  "ext2",
  "ext3",
  "ext4",
  "xfs",
  "btrfs",
  "zfs",
  "f2fs",
  "vfat",
  "exfat",
  "ntfs",
  "ntfs3",
  "jfs",
  "reiserfs",
  "nfs",
  "nfs4",
  "cifs",
  "ceph",
  "fuseblk",
]);

/**
 * A PID in the host's initial namespaces whose namespace links we may read: PID 1, or kthreadd
 * (PID 2, a kernel thread that never leaves the initial namespaces) where PID 1 is protected.
 */
export function hostReferencePid(fs: Fs, roots: Roots): number {
  for (const pid of [1, 2]) {
    if (fs.readLink(`${roots.proc}/${pid}/ns/net`) !== null) return pid;
  }
  return 1;
}

/** Reads the host's identity. */
export function readHostIdentity(fs: Fs, roots: Roots): HostIdentity {
  const line = (path: string) => fs.readText(path)?.trim() || null;
  const osRelease = fs.readText(`${roots.host}/etc/os-release`) ??
    fs.readText(`${roots.host}/usr/lib/os-release`);
  const stat = fs.readText(`${roots.proc}/stat`);
  let cpuCount = 0;
  let bootTimeSeconds: number | null = null;
  if (stat !== null) {
    const parsed = parseProcStat(stat);
    cpuCount = parsed.cpus.length;
    bootTimeSeconds = parsed.btimeSeconds;
  }
  return {
    hostname: line(`${roots.proc}/sys/kernel/hostname`),
    kernel: line(`${roots.proc}/sys/kernel/osrelease`),
    os: osRelease === null ? null : parseOsRelease(osRelease),
    cpuCount,
    bootTimeSeconds,
  };
}

/** PRETTY_NAME from os-release text, else NAME VERSION. */
export function parseOsRelease(text: string): string | null {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = line.match(/^([A-Z_]+)=(.*)$/);
    if (m) values.set(m[1], m[2].replace(/^"(.*)"$/, "$1"));
  }
  return values.get("PRETTY_NAME") ??
    ([values.get("NAME"), values.get("VERSION")].filter(Boolean).join(" ") || null);
}

/**
 * What readHost() learns from sysfs that does not change from one second to the next: interface
 * kinds and indexes, and which block devices are whole disks. Kept across sweeps by the caller;
 * an entry goes when its interface leaves /proc/net/dev, the disk set is re-listed when the
 * devices in /proc/diskstats change.
 */
export interface HostCache {
  interfaces: Map<string, Pick<HostInterface, "kind" | "ifindex" | "iflink">>;
  diskNames: string;
  wholeDisks: Set<string>;
}

/** An empty {@linkcode HostCache}. */
export function newHostCache(): HostCache {
  return { interfaces: new Map(), diskNames: "", wholeDisks: new Set() };
}

/**
 * Reads the host's counters; sysfs facts come from `cache` when it has them. A file that exists
 * but cannot be read (a directory, a symlink loop, permission denied) or parsed becomes a note
 * `<path>: <why>` (or the parser's `Cannot parse "<path>": …`) and leaves its part `null`; only a
 * missing pressure file (a kernel without PSI) is left without a note.
 */
export function readHost(
  fs: Fs,
  roots: Roots,
  hostPid = 1,
  cache: HostCache = newHostCache(),
): HostSample {
  const notes: string[] = [];
  const failed = (failure: ParseFailure, path: string) =>
    notes.push(
      failure.stage === "read" ? `${path}: ${failure.why ?? "unreadable"}` : failure.why,
    );
  const read = <T>(path: string, parse: (text: string) => T): T | null =>
    readParsed(fs, path, parse, failed);
  const timeMs = sampleClockMs();
  const stat = read(`${roots.proc}/stat`, parseProcStat);
  const uptime = read(`${roots.proc}/uptime`, parseUptime);
  // Kernels without PSI have no such file: null without a note. Any other failure is noted.
  const pressureFailed = (failure: ParseFailure, path: string) => {
    if (failure.stage === "parse" || failure.why !== "missing") failed(failure, path);
  };
  const pressureOf = (name: string) => {
    const path = `${roots.proc}/pressure/${name}`;
    return readParsed(fs, path, (text) => parsePressure(text, path), pressureFailed);
  };
  const netDev = read(`${roots.proc}/${hostPid}/net/dev`, parseNetDev) ??
    read(`${roots.proc}/net/dev`, parseNetDev) ?? [];
  return {
    timeMs,
    uptimeSeconds: uptime?.uptimeSeconds ?? null,
    stat,
    meminfo: read(`${roots.proc}/meminfo`, parseMeminfo),
    loadavg: read(`${roots.proc}/loadavg`, parseLoadavg),
    pressure: { cpu: pressureOf("cpu"), memory: pressureOf("memory"), io: pressureOf("io") },
    interfaces: describeInterfaces(fs, roots, netDev, cache),
    disks: readDisks(fs, roots, read, cache),
    notes,
  };
}

function readDisks(
  fs: Fs,
  roots: Roots,
  read: <T>(path: string, parse: (text: string) => T) => T | null,
  cache: HostCache,
): DiskStats[] {
  const all = read(`${roots.proc}/diskstats`, parseDiskstats) ?? [];
  const names = all.map((d) => d.name).join(" ");
  if (names !== cache.diskNames) {
    cache.diskNames = names;
    cache.wholeDisks = new Set(fs.listDir(`${roots.sys}/block`).map((e) => e.name));
  }
  return all.filter((d) => isPhysicalDisk(d.name, cache.wholeDisks));
}

function describeInterfaces(
  fs: Fs,
  roots: Roots,
  devices: NetDevice[],
  cache: HostCache,
): HostInterface[] {
  const seen = new Set<string>();
  const out = devices.map((d) => {
    seen.add(d.name);
    const known = cache.interfaces.get(d.name);
    if (known) return { ...d, ...known };
    const described = describeInterface(fs, roots, d);
    const { kind, ifindex, iflink } = described;
    cache.interfaces.set(d.name, { kind, ifindex, iflink });
    return described;
  });
  for (const name of cache.interfaces.keys()) if (!seen.has(name)) cache.interfaces.delete(name);
  return out;
}

/** Adds kind and indexes from sysfs to an interface's counters. */
export function describeInterface(fs: Fs, roots: Roots, device: NetDevice): HostInterface {
  const base = `${roots.sys}/class/net/${device.name}`;
  // sysfs prints both as a positive int: anything else is unknown, not NaN.
  const num = (path: string) => {
    const text = fs.readText(path)?.trim();
    return text === undefined || !/^\d{1,10}$/.test(text) ? null : Number(text);
  };
  const ifindex = num(`${base}/ifindex`);
  const iflink = num(`${base}/iflink`);
  const link = fs.readLink(base);
  let kind: InterfaceKind;
  if (device.name === "lo") kind = "loopback";
  else if (link !== null && !link.includes("/virtual/")) kind = "physical";
  else if (
    device.name.startsWith("veth") ||
    (ifindex !== null && iflink !== null && ifindex !== iflink && iflink !== 0)
  ) kind = "veth";
  else kind = "virtual";
  return { ...device, kind, ifindex, iflink };
}

/** Use of every real filesystem mounted in the host's mount namespace, one entry per device. */
export function readFilesystems(fs: Fs, roots: Roots, hostPid = 1): FilesystemUse[] {
  const text = fs.readText(`${roots.proc}/${hostPid}/mounts`) ??
    fs.readText(`${roots.proc}/mounts`);
  if (text === null) return [];
  const seen = new Set<string>();
  const out: FilesystemUse[] = [];
  for (const mount of parseMounts(text)) {
    if (!REAL_FILESYSTEMS.has(mount.fsType) || seen.has(mount.device)) continue;
    try {
      const s = statfsSync(`${roots.host}${mount.mountPoint}`);
      seen.add(mount.device);
      out.push({
        device: mount.device,
        mountPoint: mount.mountPoint,
        fsType: mount.fsType,
        sizeBytes: s.blocks * s.bsize,
        usedBytes: (s.blocks - s.bfree) * s.bsize,
        availableBytes: s.bavail * s.bsize,
        inodes: s.files,
        inodesFree: s.ffree,
      });
    } catch {
      // Not reachable from here (another mount namespace): skip.
    }
  }
  return out;
}

/** Host CPU use between two samples, in millicores per mode and in percent of all CPUs. */
export interface HostCpuUse {
  totalMillicores: number;
  userMillicores: number;
  systemMillicores: number;
  iowaitMillicores: number;
  stealMillicores: number;
  /** Busy share of all CPUs (100 = every CPU busy). */
  busyPercent: number;
}

/** CPU use between two /proc/stat samples, or `null` when either is missing. */
export function hostCpuUse(before: HostSample, after: HostSample): HostCpuUse | null {
  if (!before.stat || !after.stat) return null;
  const a = before.stat.cpu;
  const b = after.stat.cpu;
  const d = (k: keyof typeof a) => Math.max(0, b[k] - a[k]);
  // user and nice include guest time already.
  const user = d("user") + d("nice");
  const system = d("system") + d("irq") + d("softirq");
  const iowait = d("iowait");
  const steal = d("steal");
  const idle = d("idle");
  const all = user + system + iowait + steal + idle;
  if (all <= 0) return null;
  const cpus = after.stat.cpus.length || 1;
  // Ticks summed over CPUs: scale by the CPU count to get millicores.
  const perTick = (cpus * 1000) / all;
  return {
    totalMillicores: (user + system) * perTick,
    userMillicores: user * perTick,
    systemMillicores: system * perTick,
    iowaitMillicores: iowait * perTick,
    stealMillicores: steal * perTick,
    busyPercent: ((user + system) / all) * 100,
  };
}
