/**
 * Runs fgm as a user would: `deno run -A mod.ts <args>` in a child process, with the same Deno
 * that runs the tests.
 *
 * @module
 */

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

/** What a run of fgm printed and returned. */
export interface FgmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode spawnFgm}: those of `Deno.Command` besides the program and its args. */
export type SpawnOptions = Omit<Deno.CommandOptions, "args">;

/**
 * Starts fgm with `args` (`deno run -A --quiet mod.ts <args>`), stdout and stderr piped and
 * `NO_COLOR=1` unless `options` say otherwise; the caller waits for it and reads its output.
 */
export function spawnFgm(args: string[], options: SpawnOptions = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    stdout: "piped",
    stderr: "piped",
    ...options,
    args: ["run", "-A", "--quiet", MOD, ...args],
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
}

/** Runs fgm with `args` and waits for it to exit (killed after `timeoutMs`). */
export async function runFgm(args: string[], { timeoutMs = 60_000 } = {}): Promise<FgmResult> {
  const child = spawnFgm(args);
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  }, timeoutMs);
  try {
    const out = await child.output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } finally {
    clearTimeout(timer);
  }
}
