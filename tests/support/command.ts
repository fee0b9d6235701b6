/**
 * Runs a command to completion and returns its output, for the test harness that drives real
 * container runtimes (`docker`, `ctr`, `runc`, `podman`, `tar`, …) through their CLIs.
 *
 * @module
 */

/** What a finished command printed and how it exited. */
export interface CommandResult {
  /** Exit code (non-zero when killed by a signal). */
  code: number;
  /** Standard output, decoded as UTF-8. */
  stdout: string;
  /** Standard error, decoded as UTF-8. */
  stderr: string;
}

/** Options for {@linkcode runCommand}. */
export interface RunCommandOptions {
  /** Throw when the exit code is not 0 (default `true`). */
  check?: boolean;
  /** Working directory. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Text written to standard input (stdin is closed, i.e. `/dev/null`, when absent). */
  stdin?: string;
  /**
   * Kill the command (SIGKILL) when it runs longer than this; it then counts as failed with
   * code 124 and `timed out after N ms` appended to stderr. Default: no limit.
   */
  timeoutMs?: number;
}

/** Thrown when a command that had to succeed exited non-zero. */
export class CommandError extends Error {
  /** The result of the failed command. */
  result: CommandResult;
  constructor(command: string, args: string[], result: CommandResult) {
    super(
      `Command failed (exit ${result.code}): ${[command, ...args].join(" ")}\n` +
        result.stderr.trim().slice(-2000),
    );
    this.name = "CommandError";
    this.result = result;
  }
}

/**
 * Runs `command args…` to completion and collects its output.
 *
 * @example
 * ```ts
 * const { stdout } = await runCommand("runc", ["--version"]);
 * ```
 */
export async function runCommand(
  command: string,
  args: string[],
  { check = true, cwd, env, stdin, timeoutMs }: RunCommandOptions = {},
): Promise<CommandResult> {
  const child = new Deno.Command(command, {
    args,
    cwd,
    env,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  let timedOut = false;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  }, timeoutMs);
  const out = await child.output().finally(() => clearTimeout(timer));
  const decoder = new TextDecoder();
  const result = {
    code: timedOut ? 124 : out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr) + (timedOut ? `\ntimed out after ${timeoutMs} ms` : ""),
  };
  if (check && result.code !== 0) throw new CommandError(command, args, result);
  return result;
}

/** The absolute path of `name` found on `PATH` (or in `extraDirs`), or `null` when absent. */
export function findExecutable(name: string, extraDirs: string[] = []): string | null {
  if (name.includes("/")) return isExecutable(name) ? name : null;
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":"), ...extraDirs];
  for (const dir of dirs) {
    if (dir === "") continue;
    const path = `${dir}/${name}`;
    if (isExecutable(path)) return path;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}
