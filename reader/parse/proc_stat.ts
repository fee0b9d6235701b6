/**
 * Parser for /proc/stat, see proc_stat(5).
 *
 * @module
 */

import { excerpt, fields, nonBlankLines, parseError, parseInteger } from "./parse_util.ts";

const FILE = "/proc/stat";

/** Number of time columns on a `cpu` line (Linux 2.6.33+). */
const CPU_COLUMNS = 10;

/**
 * Time spent by CPUs in each mode, in USER_HZ ticks (normally 1/100 s), cumulative since boot.
 * Note the kernel already counts `guest` inside `user` and `guestNice` inside `nice`.
 */
export interface CpuTimes {
  /** Normal processes in user mode (includes guest). */
  user: number;
  /** Niced processes in user mode (includes guestNice). */
  nice: number;
  /** Kernel mode. */
  system: number;
  /** Idle. */
  idle: number;
  /** Idle while waiting for I/O (unreliable; see proc_stat(5)). */
  iowait: number;
  /** Servicing hardware interrupts. */
  irq: number;
  /** Servicing softirqs. */
  softirq: number;
  /** Stolen by the hypervisor for other guests. */
  steal: number;
  /** Running a virtual CPU for guests. */
  guest: number;
  /** Running a niced guest. */
  guestNice: number;
}

/** Times of one CPU. Offline CPUs have no line, so the index into `cpus` is not the CPU number. */
export interface PerCpuTimes extends CpuTimes {
  /** CPU number (`cpu3` → 3). */
  cpu: number;
}

/** The parts of /proc/stat fgm uses. */
export interface ProcStat {
  /** Sum over all CPUs (the `cpu` line), ticks. */
  cpu: CpuTimes;
  /** One entry per online CPU, in file order. */
  cpus: PerCpuTimes[];
  /** Context switches since boot. */
  ctxt: number;
  /** Boot time, seconds since the Unix epoch. */
  btimeSeconds: number;
  /** Forks since boot. */
  processes: number;
  /** Runnable threads now. */
  procsRunning: number;
  /** Threads blocked on I/O now. */
  procsBlocked: number;
}

function cpuTimes(tokens: string[], line: string): CpuTimes {
  if (tokens.length < CPU_COLUMNS + 1) {
    throw parseError(FILE, `expected ${CPU_COLUMNS} times in ${excerpt(line)}`);
  }
  const [user, nice, system, idle, iowait, irq, softirq, steal, guest, guestNice] = tokens
    .slice(1, CPU_COLUMNS + 1)
    .map((token) => parseInteger(token, FILE, tokens[0]));
  return { user, nice, system, idle, iowait, irq, softirq, steal, guest, guestNice };
}

/**
 * Parse /proc/stat. `intr`, `softirq` and unknown lines are ignored.
 *
 * @param text The file's text.
 * @returns CPU times and system counters.
 * @throws {SyntaxError} when the `cpu`, `ctxt`, `btime`, `processes`, `procs_running` or
 *   `procs_blocked` line is missing, or a `cpu` line has fewer than 10 time columns.
 */
export function parseProcStat(text: string): ProcStat {
  let cpu: CpuTimes | null = null;
  const cpus: PerCpuTimes[] = [];
  const counters = new Map<string, number>();
  for (const line of nonBlankLines(text)) {
    const tokens = fields(line);
    const key = tokens[0];
    if (key === "cpu") {
      cpu = cpuTimes(tokens, line);
    } else if (/^cpu\d+$/.test(key)) {
      cpus.push({ cpu: parseInteger(key.slice(3), FILE, "CPU number"), ...cpuTimes(tokens, line) });
    } else if (["ctxt", "btime", "processes", "procs_running", "procs_blocked"].includes(key)) {
      counters.set(key, parseInteger(tokens[1], FILE, key));
    }
  }
  if (cpu === null) throw parseError(FILE, `no "cpu" line in ${excerpt(text)}`);
  const counter = (key: string) => {
    const value = counters.get(key);
    if (value === undefined) throw parseError(FILE, `no "${key}" line`);
    return value;
  };
  return {
    cpu,
    cpus,
    ctxt: counter("ctxt"),
    btimeSeconds: counter("btime"),
    processes: counter("processes"),
    procsRunning: counter("procs_running"),
    procsBlocked: counter("procs_blocked"),
  };
}
