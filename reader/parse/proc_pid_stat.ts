/**
 * Parser for /proc/<pid>/stat (also /proc/<pid>/task/<tid>/stat), see proc_pid_stat(5).
 *
 * @module
 */

import { excerpt, parseError, parseInteger, parseSignedInteger } from "./parse_util.ts";

const FILE = "/proc/<pid>/stat";

/** The fields of /proc/<pid>/stat that fgm uses. Tick counts are in USER_HZ (normally 100/s). */
export interface PidStat {
  /** Process (or thread) ID. */
  pid: number;
  /** Command name as the kernel keeps it (up to 15 bytes, 64 for workqueue workers); may hold spaces and parentheses. */
  comm: string;
  /** One-letter state: R running, S sleeping, D disk sleep, Z zombie, T stopped, t traced, X dead, I idle, … */
  state: string;
  /** Parent process ID (0 for the init process and kthreadd). */
  ppid: number;
  /** Process group ID. */
  pgrp: number;
  /** Session ID. */
  session: number;
  /** Controlling terminal as an encoded device number (a signed int); 0 when none. */
  ttyNr: number;
  /** Minor page faults (no disk read). */
  minflt: number;
  /** Major page faults (disk read). */
  majflt: number;
  /** Time scheduled in user mode (includes guest time), in clock ticks. */
  utimeTicks: number;
  /** Time scheduled in kernel mode, in clock ticks. */
  stimeTicks: number;
  /** User time of waited-for children, in clock ticks. */
  cutimeTicks: number;
  /** System time of waited-for children, in clock ticks. */
  cstimeTicks: number;
  /** Kernel priority value (negative for real-time tasks: -2 … -100; 20 + nice otherwise). */
  priority: number;
  /** Nice value, -20 … 19. */
  nice: number;
  /** Number of threads in the process. */
  numThreads: number;
  /** When the process started, in clock ticks since boot. */
  startTimeTicks: number;
  /** Virtual memory size in bytes. */
  vsizeBytes: number;
  /** Resident set size in pages (inaccurate; prefer status or smaps_rollup). */
  rssPages: number;
  /** CPU the task last ran on. */
  processor: number;
}

/** Field number (1-based, as in proc_pid_stat(5)) of the last field this parser needs. */
const LAST_FIELD = 39;

/** Token offsets of the stat line being parsed (the parser is synchronous: one is enough). */
let TOKEN_START = new Int32Array(64);
let TOKEN_END = new Int32Array(64);

function growTokens(): void {
  const start = new Int32Array(TOKEN_START.length * 2);
  const end = new Int32Array(TOKEN_END.length * 2);
  start.set(TOKEN_START);
  end.set(TOKEN_END);
  TOKEN_START = start;
  TOKEN_END = end;
}

/**
 * Token `k` of `rest` as an integer, as `parseInteger()` (or, when `signed`,
 * `parseSignedInteger()`) would read it, with the same errors; computed from the characters,
 * without a string, when it is short enough to be exact (15 digits). Longer tokens and anything
 * that is not digits take the general parsers, which check signs and bounds.
 */
function integerToken(rest: string, k: number, what: string, signed: boolean): number {
  const start = TOKEN_START[k];
  const end = TOKEN_END[k];
  const negative = signed && rest.charCodeAt(start) === 45; // "-"
  let i = negative ? start + 1 : start;
  if (i < end && end - i <= 15) {
    let value = 0;
    for (; i < end; i++) {
      const digit = rest.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    // `0 - value`, not `-value`: "-0" reads as 0, not -0.
    if (i === end) return negative ? 0 - value : value;
  }
  const token = rest.slice(start, end);
  return signed ? parseSignedInteger(token, FILE, what) : parseInteger(token, FILE, what);
}

/**
 * Parse /proc/<pid>/stat. The command name may contain spaces and parentheses (`(a) b)`), so it
 * is taken as everything between the first `(` and the LAST `)`.
 *
 * @param text The file's text.
 * @returns The parsed fields.
 * @throws {SyntaxError} on garbage or a line truncated before field 39 (`processor`).
 */
export function parsePidStat(text: string): PidStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw parseError(FILE, `no "(comm)" in ${excerpt(text)}`);
  const pid = parseInteger(text.slice(0, open).trim(), FILE, "pid");
  const comm = text.slice(open + 1, close);
  // The fields after comm, as `fields()` would split them, found as [start, end) offsets into
  // `rest` (no string per field: this runs for every process every second). Token k is field
  // k + 3 (token 0 is the state).
  // Offsets index `text` itself from just after the `)` (no copy of the rest of the line).
  const rest = text;
  let count = 0;
  let inToken = false;
  for (let i = close + 1; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      if (inToken) {
        TOKEN_END[count++] = i;
        inToken = false;
      }
    } else if (!inToken) {
      if (count === TOKEN_START.length) growTokens();
      TOKEN_START[count] = i;
      inToken = true;
    }
  }
  if (inToken) TOKEN_END[count++] = rest.length;
  if (count < LAST_FIELD - 2) {
    throw parseError(
      FILE,
      `expected at least ${LAST_FIELD} fields, got ${count + 2} in ${excerpt(text)}`,
    );
  }
  // Every field read here is unsigned except tty_nr, priority and nice, which the kernel prints
  // signed (do_task_stat(): an int device number that can pass 2^31, -100 … 39, -20 … 19).
  const field = (n: number, what: string) => integerToken(rest, n - 3, what, false);
  const signedField = (n: number, what: string) => integerToken(rest, n - 3, what, true);
  if (TOKEN_END[0] - TOKEN_START[0] !== 1) {
    const token = rest.slice(TOKEN_START[0], TOKEN_END[0]);
    throw parseError(FILE, `state is not one letter: ${excerpt(token)}`);
  }
  const state = rest[TOKEN_START[0]];
  return {
    pid,
    comm,
    state,
    ppid: field(4, "ppid"),
    pgrp: field(5, "pgrp"),
    session: field(6, "session"),
    ttyNr: signedField(7, "tty_nr"),
    minflt: field(10, "minflt"),
    majflt: field(12, "majflt"),
    utimeTicks: field(14, "utime"),
    stimeTicks: field(15, "stime"),
    cutimeTicks: field(16, "cutime"),
    cstimeTicks: field(17, "cstime"),
    priority: signedField(18, "priority"),
    nice: signedField(19, "nice"),
    numThreads: field(20, "num_threads"),
    startTimeTicks: field(22, "starttime"),
    vsizeBytes: field(23, "vsize"),
    rssPages: field(24, "rss"),
    processor: field(39, "processor"),
  };
}
