/**
 * Process helpers for the runtime test harness: liveness from `/proc/<pid>/stat`, finding the
 * processes that belong to one test (their command line names the test's unique temporary
 * directory), and terminating a process by its own PID only.
 *
 * @module
 */

/** One process on the host. */
export interface ProcessInfo {
  /** Process ID. */
  pid: number;
  /** Parent process ID. */
  ppid: number;
  /** State letter from `/proc/<pid>/stat` (`R`, `S`, `Z`, …). */
  state: string;
  /** Arguments from `/proc/<pid>/cmdline`, split on NUL. */
  argv: string[];
}

/** Reads one process, or `null` when it does not exist (or exited while being read). */
export function readProcess(pid: number, proc = "/proc"): ProcessInfo | null {
  try {
    const stat = Deno.readTextFileSync(`${proc}/${pid}/stat`);
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    const cmdline = Deno.readTextFileSync(`${proc}/${pid}/cmdline`);
    return {
      pid,
      ppid: Number(fields[1]),
      state: fields[0],
      argv: cmdline === "" ? [] : cmdline.replace(/\0$/, "").split("\0"),
    };
  } catch {
    return null;
  }
}

/** True while `pid` exists and is not a zombie (`Z`) or dead (`X`). */
export function isAlive(pid: number): boolean {
  const info = readProcess(pid);
  return info !== null && info.state !== "Z" && info.state !== "X";
}

/** Every live process (zombies excluded) whose command line contains `text`. */
export function processesReferencing(text: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    if (pid === Deno.pid) continue;
    const info = readProcess(pid);
    if (info === null || info.state === "Z" || info.state === "X") continue;
    if (info.argv.some((a) => a.includes(text))) found.push(info);
  }
  return found;
}

/** Polls `predicate` every `intervalMs` until it holds; false when `timeoutMs` passed first. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    if (await predicate()) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Options for {@linkcode terminateProcess}. */
export interface TerminateOptions {
  /**
   * Only signal the process when its command line contains this text (guards against a PID
   * that was reused by some other process after ours exited).
   */
  expectInCmdline?: string;
  /** How long to wait after SIGTERM before SIGKILL. */
  graceMs?: number;
}

/**
 * Stops the process `pid`: SIGTERM, then SIGKILL after `graceMs`, and waits until it is gone.
 * Returns false when there was nothing to stop (already gone, or another process holds the PID).
 *
 * @throws {Error} when the process survives SIGKILL for 5 s.
 */
export async function terminateProcess(
  pid: number,
  { expectInCmdline, graceMs = 5_000 }: TerminateOptions = {},
): Promise<boolean> {
  const info = readProcess(pid);
  if (info === null || info.state === "Z" || info.state === "X") return false;
  if (expectInCmdline !== undefined && !info.argv.some((a) => a.includes(expectInCmdline))) {
    return false;
  }
  signal(pid, "SIGTERM");
  if (await waitFor(() => !isAlive(pid), { timeoutMs: graceMs })) return true;
  signal(pid, "SIGKILL");
  if (await waitFor(() => !isAlive(pid), { timeoutMs: 5_000 })) return true;
  throw new Error(`Cannot stop process ${pid} (${info.argv.join(" ")}): alive after SIGKILL`);
}

function signal(pid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(pid, sig);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
