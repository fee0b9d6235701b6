/**
 * Runs `fgm view <dir> --port 0` as a user would and reads the URL it prints
 * (`fgm view: <url> (…)` on stdout); stops it by its PID.
 *
 * ```ts
 * await using viewer = await startViewer(dir);
 * await fetch(`${viewer.url}api/health`);
 * ```
 *
 * @module
 */

import { spawnFgm } from "./fgm.ts";

/** A running `fgm view`. */
export interface RunningView {
  /** Its URL, with the trailing slash (`http://127.0.0.1:<port>/`). */
  url: string;
  pid: number;
  /** What it printed on stderr so far. */
  stderr(): string;
  /** SIGTERM (SIGKILL after 5 s); resolves with its exit code. Idempotent. */
  stop(): Promise<number>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Collects a stream's text into `sink` until it ends. */
async function drain(stream: ReadableStream<Uint8Array>, sink: (text: string) => void) {
  const decoder = new TextDecoder();
  for await (const chunk of stream) sink(decoder.decode(chunk, { stream: true }));
}

/**
 * Starts `fgm view <dir> --port 0` and waits (at most `timeoutMs`) for its URL.
 *
 * @throws {Error} with its stderr when it exits or prints no URL in time.
 */
export async function startViewer(dir: string, { timeoutMs = 30_000 } = {}): Promise<RunningView> {
  const child = spawnFgm(["view", dir, "--port", "0"]);
  let out = "";
  let err = "";
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stdoutDone = drain(child.stdout, (t) => out += t);
  const stderrDone = drain(child.stderr, (t) => err += t);
  let stopped: Promise<number> | null = null;
  const stop = () =>
    stopped ??= (async () => {
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch { /* exited meanwhile */ }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* exited */ }
        }, 5_000);
        await status;
        clearTimeout(timer);
      }
      await Promise.all([stdoutDone, stderrDone]);
      return (await status).code;
    })();
  const deadline = performance.now() + timeoutMs;
  let url: string | null = null;
  while (url === null) {
    url = out.match(/^fgm view: (http:\/\/\S+\/) /m)?.[1] ?? null;
    if (url !== null) break;
    if (exited || performance.now() > deadline) {
      await stop();
      throw new Error(`fgm view printed no URL${exited ? " (it exited)" : ""}: ${out}${err}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    pid: child.pid,
    stderr: () => err,
    stop,
    [Symbol.asyncDispose]: async () => void await stop(),
  };
}
