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

/** Runs fgm with `args` and waits for it to exit (killed after `timeoutMs`). */
export async function runFgm(args: string[], { timeoutMs = 60_000 } = {}): Promise<FgmResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MOD, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
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
