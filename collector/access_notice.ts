/**
 * One line at start when fgm may not read other processes' private /proc files (REQ-DEP-022):
 * `io` and `smaps_rollup` need ptrace read access to the process (the kernel grants it to the
 * same user when the process has no capability the reader lacks, else only with CAP_SYS_PTRACE,
 * and a Linux security module may refuse it even then) and read permission on files owned by the
 * process's user (root's DAC override, or CAP_DAC_READ_SEARCH). Without them those columns stay
 * null and the collector goes on; this says so once, instead of a line per process and tick. (The
 * number of open fds comes from the size of the `fd` directory since Linux 6.2, which needs
 * neither; before, the directory is listed, which needs both.)
 *
 * Reaches: /proc (each process's `io`, once at start).
 *
 * @module
 */

/** Linux capability numbers (`include/uapi/linux/capability.h`). */
const CAP_DAC_OVERRIDE = 1;
const CAP_DAC_READ_SEARCH = 2;
const CAP_SYS_PTRACE = 19;

/** What a probe of every process's `io` file found. */
export interface AccessProbe {
  /** Processes whose `io` was tried (those that exited meanwhile not counted). */
  tried: number;
  /** Of those, the ones refused (EACCES or EPERM). */
  denied: number;
  /** One refused path, for the message. */
  example: string | null;
  /** The effective capability set of this process (`CapEff` of /proc/self/status), or null. */
  capEff: bigint | null;
}

/** The capabilities whose absence explains refused reads, in `CAP_*` names. */
export function missingCapabilities(capEff: bigint | null): string[] {
  if (capEff === null) return [];
  const has = (cap: number) => (capEff >> BigInt(cap) & 1n) === 1n;
  const missing: string[] = [];
  if (!has(CAP_SYS_PTRACE)) missing.push("CAP_SYS_PTRACE");
  if (!has(CAP_DAC_READ_SEARCH) && !has(CAP_DAC_OVERRIDE)) missing.push("CAP_DAC_READ_SEARCH");
  return missing;
}

/**
 * The columns a missing capability leaves null: without CAP_SYS_PTRACE `io` and `smaps_rollup`
 * (the fd count comes from the size of the `fd` directory since Linux 6.2, without ptrace access);
 * without CAP_DAC_READ_SEARCH `io` (mode 0400) and the `fd` directory (0500) of other users'
 * processes (`smaps_rollup` is 0444).
 */
export function lostColumns(missing: readonly string[]): string[] {
  const lost = new Set<string>(["io_read_bytes", "io_write_bytes"]);
  // A refusal no capability explains is a ptrace check's (a security module's, or a process
  // holding a capability this root lacks): the same columns as without CAP_SYS_PTRACE.
  if (missing.includes("CAP_SYS_PTRACE") || missing.length === 0) lost.add("memory_pss_bytes");
  if (missing.includes("CAP_DAC_READ_SEARCH")) lost.add("fds");
  return [...lost];
}

/** The line to log for `probe`, or `null` when every process could be read. */
export function accessNoticeLine(probe: AccessProbe): string | null {
  if (probe.denied === 0) return null;
  const missing = missingCapabilities(probe.capEff);
  const why = missing.length > 0 ? `; missing ${missing.join(" and ")}` : "";
  const lost = lostColumns(missing);
  const list = `${lost.slice(0, -1).join(", ")} and ${lost[lost.length - 1]}`;
  const advice = missing.length > 0
    ? "run as root, or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH"
    : "refused despite both capabilities: a security module such as AppArmor, or processes " +
      "holding a capability this root lacks";
  return `cannot read /proc/<pid>/io of ${probe.denied} of ${probe.tried} processes ` +
    `("${probe.example}": permission denied${why}): their ${list} are left null (${advice})`;
}

/** `CapEff` of a `/proc/<pid>/status` text, or `null` when absent. */
export function parseCapEff(status: string): bigint | null {
  const m = status.match(/^CapEff:\s*([0-9a-f]+)$/m);
  return m === null ? null : BigInt(`0x${m[1]}`);
}

/**
 * Tries to read `<procRoot>/<pid>/io` of every process but this one (a few hundred reads, once)
 * and reads this process's effective capabilities.
 */
export function probeProcessAccess(procRoot: string): AccessProbe {
  const probe: AccessProbe = { tried: 0, denied: 0, example: null, capEff: null };
  try {
    probe.capEff = parseCapEff(Deno.readTextFileSync("/proc/self/status"));
  } catch { /* not Linux procfs: no capability names */ }
  let self = "";
  try {
    self = Deno.readLinkSync(`${procRoot}/self`);
  } catch { /* another PID namespace: every process is another one */ }
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(procRoot)];
  } catch {
    return probe; // the collector itself reports an unreadable proc root
  }
  for (const e of entries) {
    if (!/^[0-9]+$/.test(e.name) || e.name === self) continue;
    const path = `${procRoot}/${e.name}/io`;
    try {
      // The ptrace check is made when the file is read, the permission check when it is opened.
      Deno.readFileSync(path);
      probe.tried++;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue; // exited meanwhile
      probe.tried++;
      if (error instanceof Deno.errors.PermissionDenied) {
        probe.denied++;
        probe.example ??= path;
      }
    }
  }
  return probe;
}
