/**
 * Reads one process from /proc: the cheap counters every sweep needs (stat), and on request the
 * expensive details a `monitor process` view shows (status, cmdline, io, fds, PSS, sockets,
 * namespaces). A process that exits mid-read yields `null`; a file we may not read leaves its
 * field `null` and adds a note saying why.
 *
 * Reaches: /proc (`<pid>/stat`, `status`, `io`, `fd`, …), through an `Fs`.
 *
 * @module
 */

import { type Fs, type ParseFailure, readParsed, type Roots } from "./fs.ts";
import { boundedMemo } from "./memo.ts";
import { sampleClockMs } from "./clock.ts";
import { parsePidStat, type PidStat } from "./parse/proc_pid_stat.ts";
import { parsePidStatus, type PidStatus } from "./parse/proc_pid_status.ts";
import { parsePidIo, type PidIo } from "./parse/proc_pid_io.ts";
import { parseSmapsRollup, type SmapsRollup } from "./parse/proc_pid_smaps_rollup.ts";
import { parsePidCgroup, type PidCgroupEntry } from "./parse/proc_pid_cgroup.ts";
import { parseCmdline } from "./parse/proc_pid_cmdline.ts";
import {
  parseNetTcp,
  parseNetUdp,
  type Socket,
  socketInodesFromFdLinks,
} from "./parse/proc_net_sockets.ts";

/** Linux reports CPU times to user space in USER_HZ ticks, 100 per second on every architecture. */
export const USER_HZ = 100;

/** Which optional parts {@linkcode readProcess} reads. */
export interface ProcessParts {
  status?: boolean;
  cmdline?: boolean;
  io?: boolean;
  fds?: boolean;
  /** smaps_rollup: the kernel walks page tables, ~6 µs per MB of RSS. */
  smaps?: boolean;
  cgroup?: boolean;
  sockets?: boolean;
  namespaces?: boolean;
}

/** Namespace inode numbers by namespace type (`pid`, `net`, `mnt`, `uts`, `ipc`, `user`, `cgroup`). */
export type Namespaces = Record<string, number | null>;

/** One process as read at one instant. */
export interface ProcessSample {
  pid: number;
  /** Milliseconds since the epoch when stat was read. */
  timeMs: number;
  stat: PidStat;
  rssBytes: number;
  status: PidStatus | null;
  cmdline: string[] | null;
  io: PidIo | null;
  fds: number | null;
  smaps: SmapsRollup | null;
  cgroup: PidCgroupEntry[] | null;
  sockets: Socket[] | null;
  namespaces: Namespaces | null;
  /** Why fields are null, e.g. `io: permission denied`. */
  notes: string[];
}

const NAMESPACE_TYPES = ["pid", "net", "mnt", "uts", "ipc", "user", "cgroup"];

/** Lists the PIDs in procfs (numeric directory names). */
export function listPids(fs: Fs, roots: Roots): number[] {
  const pids: number[] = [];
  for (const entry of fs.listDir(roots.proc)) {
    const c = entry.name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(entry.name));
  }
  return pids.sort((a, b) => a - b);
}

/**
 * Reads process `pid`, or returns `null` when it does not exist (or exited mid-read).
 * `pageSize` converts stat's RSS in pages to bytes.
 */
export function readProcess(
  fs: Fs,
  roots: Roots,
  pid: number,
  parts: ProcessParts = {},
  pageSize = 4096,
): ProcessSample | null {
  const statText = fs.readText(pidPath(roots.proc, String(pid), "stat"));
  if (statText === null) return null;
  const timeMs = sampleClockMs();
  let stat: PidStat;
  try {
    stat = parsePidStat(statText);
  } catch {
    return null; // a torn read of a dying process
  }
  const sample: ProcessSample = {
    pid,
    timeMs,
    stat,
    rssBytes: stat.rssPages * pageSize,
    status: null,
    cmdline: null,
    io: null,
    fds: null,
    smaps: null,
    cgroup: null,
    sockets: null,
    namespaces: null,
    notes: [],
  };
  readProcessParts(fs, roots, sample, parts);
  return sample;
}

/**
 * Reads the optional `parts` of a process sampled by {@linkcode readProcess} into `sample` (after
 * its stat: a sweep can decide which parts it needs once it knows the process's container).
 * A part that cannot be read stays `null` and adds a note.
 */
export function readProcessParts(
  fs: Fs,
  roots: Roots,
  sample: ProcessSample,
  parts: ProcessParts,
): void {
  const { stat, notes } = sample;
  const pid = String(sample.pid);
  const proc = roots.proc;

  failureNotes = notes;
  if (parts.status) {
    sample.status = readParsed(fs, pidPath(proc, pid, "status"), parsePidStatus, noteFailure);
  }
  if (parts.cmdline) {
    sample.cmdline = readParsed(fs, pidPath(proc, pid, "cmdline"), parseCmdline, noteFailure);
  }
  if (parts.io) sample.io = readParsed(fs, pidPath(proc, pid, "io"), parsePidIo, noteFailure);
  if (parts.smaps) {
    // Kernel threads have no mm: smaps_rollup is empty for them.
    sample.smaps = stat.vsizeBytes === 0
      ? null
      : readParsed(fs, pidPath(proc, pid, "smaps_rollup"), parseSmapsRollup, noteFailure);
  }
  if (parts.cgroup) {
    sample.cgroup = readParsed(fs, pidPath(proc, pid, "cgroup"), parsePidCgroup, noteFailure);
  }
  let fdLinks: string[] | null = null;
  // Linux 6.2+ tells the number of open fds as the size of the fd directory: one stat instead of
  // a listing. 0 (older kernels, or no fd at all) falls back to listing.
  const fdCount = parts.fds && !parts.sockets
    ? fs.statSize?.(pidPath(proc, pid, "fd")) ?? null
    : null;
  if (fdCount !== null && fdCount > 0) sample.fds = fdCount;
  else if (parts.fds || parts.sockets) {
    const entries = fs.listDir(pidPath(proc, pid, "fd"));
    if (entries.length === 0 && fs.lastFailure === "permission denied") {
      notes.push("fd: permission denied");
    } else {
      sample.fds = entries.length;
      if (parts.sockets) {
        fdLinks = [];
        for (const e of entries) {
          const link = fs.readLink(`${pidPath(proc, pid, "fd")}/${e.name}`);
          if (link !== null) fdLinks.push(link);
        }
      }
    }
    if (!parts.fds) sample.fds = null;
  }
  if (parts.sockets && fdLinks !== null) {
    const inodes = socketInodesFromFdLinks(fdLinks);
    const sockets: Socket[] = [];
    if (inodes.size > 0) {
      for (const family of ["tcp", "tcp6", "udp", "udp6"] as const) {
        const text = fs.readText(`${roots.proc}/${pid}/net/${family}`);
        if (text === null) continue;
        const all = family.startsWith("tcp")
          ? parseNetTcp(text, family as "tcp" | "tcp6")
          : parseNetUdp(text, family as "udp" | "udp6");
        for (const s of all) if (inodes.has(s.inode)) sockets.push(s);
      }
    }
    sample.sockets = sockets;
  }
  if (parts.namespaces) sample.namespaces = readNamespaces(fs, `${roots.proc}/${pid}`);
}

/**
 * `<procRoot>/<pid>/<name>`, as the same string object every sweep: the handle cache looks paths
 * up by value, and a path built anew is copied flat for every lookup (~90 KiB per sweep at 250
 * processes; bench/README.md, "Seventh round").
 */
const pidPath = boundedMemo<string>(
  16_384,
  (procRoot, pid, name) => `${procRoot}/${pid}/${name}`,
);

/** Where {@linkcode noteFailure} writes: the notes of the sample being read (reads are synchronous). */
let failureNotes: string[] = [];

/** A part that cannot be read or parsed becomes a note `<file>: <why>` (and stays null). */
function noteFailure(failure: ParseFailure, path: string): void {
  failureNotes.push(`${path.slice(path.lastIndexOf("/") + 1)}: ${failure.why ?? "unreadable"}`);
}

/** Namespace inode numbers of the process at `dir` (`/proc/<pid>`), `null` per unreadable link. */
export function readNamespaces(fs: Fs, dir: string): Namespaces {
  const out: Namespaces = {};
  for (const type of NAMESPACE_TYPES) {
    const link = fs.readLink(`${dir}/ns/${type}`);
    const m = link?.match(/\[(\d+)\]/);
    out[type] = m ? Number(m[1]) : null;
  }
  return out;
}

/**
 * CPU used between two samples of one process in millicores (1000 = one core busy), or `null`
 * when the samples are of different processes (PID reused) or time did not advance.
 */
export function processCpuMillicores(
  before: ProcessSample,
  after: ProcessSample,
): { total: number; user: number; system: number } | null {
  if (before.stat.startTimeTicks !== after.stat.startTimeTicks) return null;
  const seconds = (after.timeMs - before.timeMs) / 1000;
  if (seconds <= 0) return null;
  const perTick = 1000 / USER_HZ / seconds;
  const user = Math.max(0, after.stat.utimeTicks - before.stat.utimeTicks) * perTick;
  const system = Math.max(0, after.stat.stimeTicks - before.stat.stimeTicks) * perTick;
  return { total: user + system, user, system };
}
