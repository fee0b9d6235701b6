/**
 * Parser for /proc/<pid>/status (also /proc/<pid>/task/<tid>/status), see proc_pid_status(5).
 *
 * @module
 */

import {
  excerpt,
  fields,
  parseError,
  parseInteger,
  parseKbValue,
  parseKeyValueLines,
} from "./parse_util.ts";

const FILE = "/proc/<pid>/status";

/**
 * The fields of /proc/<pid>/status that fgm uses. Nullable fields are `null` when the line is
 * absent: kernel threads have no `Vm*`/`Rss*` lines, and older kernels lack `NSpid`/`NStgid`
 * (before 4.1) and `RssAnon`/`RssFile`/`RssShmem` (before 4.5). `null` means unknown, never zero.
 */
export interface PidStatus {
  /** Command name (`Name:`), with the kernel's `\n` and `\\` escapes undone. */
  name: string;
  /** One-letter state (`S` from `S (sleeping)`). */
  state: string;
  /** Thread group ID, i.e. the process ID. */
  tgid: number;
  /** ID of this task (equals tgid for the main thread). */
  pid: number;
  /** Parent process ID. */
  ppid: number;
  /** User IDs [real, effective, saved set, filesystem]. */
  uids: [number, number, number, number];
  /** Group IDs [real, effective, saved set, filesystem]. */
  gids: [number, number, number, number];
  /** PID in each nested PID namespace, outermost (the reader's) first; the last is the PID inside the innermost namespace. */
  nsPids: number[] | null;
  /** Thread group ID in each nested PID namespace, outermost first. */
  nsTgids: number[] | null;
  /** Number of threads. */
  threads: number;
  /** Resident set size (`VmRSS`) in bytes. */
  vmRssBytes: number | null;
  /** Virtual memory size (`VmSize`) in bytes. */
  vmSizeBytes: number | null;
  /** Swapped-out anonymous memory (`VmSwap`) in bytes. */
  vmSwapBytes: number | null;
  /** Resident anonymous memory (`RssAnon`) in bytes. */
  rssAnonBytes: number | null;
  /** Resident file mappings (`RssFile`) in bytes. */
  rssFileBytes: number | null;
  /** Resident shared memory (`RssShmem`) in bytes. */
  rssShmemBytes: number | null;
  /** Voluntary context switches. */
  voluntaryCtxtSwitches: number | null;
  /** Involuntary context switches. */
  nonvoluntaryCtxtSwitches: number | null;
}

/** Undo the kernel's escaping of `Name:` (only `\` and newline are escaped). */
function unescapeName(raw: string): string {
  return raw.replace(/\\([\\n])/g, (_, c: string) => (c === "n" ? "\n" : "\\"));
}

/**
 * Parse /proc/<pid>/status.
 *
 * @param text The file's text.
 * @returns The parsed fields; lines that are absent give `null` (see {@linkcode PidStatus}).
 * @throws {SyntaxError} on garbage, or when Name, State, Tgid, Pid, PPid, Uid, Gid or Threads is
 *   missing (a truncated read).
 */
export function parsePidStatus(text: string): PidStatus {
  const map = parseKeyValueLines(text, FILE);
  const required = (key: string): string => {
    const value = map.get(key);
    if (value === undefined) throw parseError(FILE, `no "${key}:" line`);
    return value;
  };
  const int = (key: string) => parseInteger(required(key), FILE, key);
  const optionalInt = (key: string) => {
    const value = map.get(key);
    return value === undefined ? null : parseInteger(value, FILE, key);
  };
  const optionalKb = (key: string) => {
    const value = map.get(key);
    return value === undefined ? null : parseKbValue(value, FILE, key);
  };
  const intList = (key: string) => {
    const value = map.get(key);
    if (value === undefined) return null;
    const list = fields(value).map((token) => parseInteger(token, FILE, key));
    if (list.length === 0) throw parseError(FILE, `${key} is empty`);
    return list;
  };
  const idQuad = (key: string): [number, number, number, number] => {
    const list = fields(required(key)).map((token) => parseInteger(token, FILE, key));
    if (list.length !== 4) throw parseError(FILE, `${key} needs 4 IDs: ${excerpt(required(key))}`);
    return [list[0], list[1], list[2], list[3]];
  };

  // The name is read from the raw line: trimming would eat leading/trailing spaces of the comm.
  const nameLine = text.split("\n").find((line) => line.startsWith("Name:"));
  if (nameLine === undefined) throw parseError(FILE, `no "Name:" line`);
  const name = unescapeName(nameLine.slice("Name:".length).replace(/^\t/, ""));

  const stateText = required("State");
  if (!/^\S( |$)/.test(stateText)) throw parseError(FILE, `bad State ${excerpt(stateText)}`);

  return {
    name,
    state: stateText[0],
    tgid: int("Tgid"),
    pid: int("Pid"),
    ppid: int("PPid"),
    uids: idQuad("Uid"),
    gids: idQuad("Gid"),
    nsPids: intList("NSpid"),
    nsTgids: intList("NStgid"),
    threads: int("Threads"),
    vmRssBytes: optionalKb("VmRSS"),
    vmSizeBytes: optionalKb("VmSize"),
    vmSwapBytes: optionalKb("VmSwap"),
    rssAnonBytes: optionalKb("RssAnon"),
    rssFileBytes: optionalKb("RssFile"),
    rssShmemBytes: optionalKb("RssShmem"),
    voluntaryCtxtSwitches: optionalInt("voluntary_ctxt_switches"),
    nonvoluntaryCtxtSwitches: optionalInt("nonvoluntary_ctxt_switches"),
  };
}
