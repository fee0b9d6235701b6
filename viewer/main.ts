/**
 * `fgm view <file.parquet | directory>`: serves the interactive viewer over a recording on
 * http://127.0.0.1:8050 (`--host`, `--port`), prints the URL, and with `--open` starts the user's
 * browser. A directory that is still being written is walked again every 2 s, so new files show up
 * and the UI's live mode follows them.
 *
 * @module
 */

import { parse, portFlag } from "../cli/args.ts";
import { UsageError } from "../cli/errors.ts";
import { openRecording } from "../recording/recording.ts";
import { serveViewer } from "./serve.ts";
import denoJson from "../deno.json" with { type: "json" };

const HELP = `Usage: fgm view <file.parquet | directory> [options]

Serves the interactive viewer over a recording (a directory fgm collect wrote, several nodes'
directories copied into one, or one Parquet file) and prints its URL.

Options:
  --port <n>        port to listen on (default 8050; 0 picks a free one)
  --host <address>  address to listen on (default 127.0.0.1; 0.0.0.0 to reach it from elsewhere,
                    e.g. inside a pod: it then answers any host name)
  --open            open the URL in the default browser
  -h, --help        show this help

Nothing is ever written to the recording. The API the UI uses is for scripts too: specs/viewer.md.`;

/** Parsed `fgm view` arguments. */
export interface ViewOptions {
  path: string;
  port: number;
  host: string;
  open: boolean;
}

/** Parses `fgm view` arguments. */
export function parseViewArgs(args: string[]): ViewOptions | "help" {
  const { values, positionals } = parse("view", args, {
    port: { type: "string" },
    host: { type: "string" },
    open: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "view: which recording? (fgm view <file.parquet | directory>)"
        : `view: one recording at a time, not ${positionals.length}`,
    );
  }
  if (positionals[0].trim() === "") throw new UsageError(`view: the recording's path is empty`);
  const port = portFlag("view", values.port);
  const host = values.host === undefined ? "127.0.0.1" : String(values.host);
  if (host.trim() === "") throw new UsageError(`view: --host needs an address, not ""`);
  return { path: positionals[0], port, host, open: values.open === true };
}

/** Starts the user's browser on `url` (best effort). */
async function openBrowser(url: string): Promise<void> {
  for (const command of ["xdg-open", "open", "sensible-browser"]) {
    try {
      const child = new Deno.Command(command, {
        args: [url],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      await child.status;
      return;
    } catch { /* try the next one */ }
  }
  console.error(`fgm view: cannot start a browser here; open ${url} yourself`);
}

/** Runs `fgm view`; resolves when the server stops (SIGINT/SIGTERM). */
export async function viewMain(args: string[]): Promise<number> {
  const o = parseViewArgs(args);
  if (o === "help") {
    console.log(HELP);
    return 0;
  }
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(o.path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`view: "${o.path}" does not exist`);
    }
    throw error;
  }
  let shown = 0;
  const rec = await openRecording(o.path, {
    progress: (files) => {
      if (files - shown >= 2000) {
        console.error(`fgm view: indexing "${o.path}": ${files} files so far…`);
        shown = files;
      }
    },
    // One file that cannot be read is the error itself (below), not a file skipped.
    problem: (path, reason) => {
      if (info.isDirectory) console.error(`fgm view: skipping "${path}": ${reason}`);
    },
  });
  const files = rec.catalog.tables().reduce((n, t) => n + rec.catalog.files(t).length, 0);
  if (files === 0 && info.isFile) {
    rec.close();
    const why = [...rec.catalog.problems.values()][0] ?? "not a recording";
    throw new Error(why);
  }
  if (files === 0) {
    console.error(`fgm view: "${o.path}" holds no Parquet file yet; waiting for some`);
  }
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => controller.abort());
  }
  const server = serveViewer(rec, {
    port: o.port,
    host: o.host,
    signal: controller.signal,
    version: denoJson.version,
    live: info.isDirectory,
  });
  console.log(`fgm view: ${server.url} (${files} files; Ctrl-C to stop)`);
  if (o.open) await openBrowser(server.url);
  await server.finished;
  rec.close();
  return 0;
}
