/**
 * `fgm collect`: parses the command line and runs {@linkcode collect} until SIGTERM or SIGINT, on
 * which everything sampled is written to valid files before exit 0.
 *
 * Reaches: through {@linkcode collect} the disk, /proc and cgroup files; with `--view`, the
 * network (the viewer's socket).
 *
 * @module
 */

import { parse, portFlag, ROOT_OPTIONS, rootsFromFlags, textFlag } from "../cli/args.ts";
import {
  describeDurationRange as span,
  durationFlag,
  type DurationRange,
  INTERVAL_RANGE,
} from "../cli/duration.ts";
import { quote, UsageError } from "../cli/errors.ts";
import { sizeFlag, type SizeRange } from "../cli/size.ts";
import type { Roots } from "../reader/fs.ts";
import { collect, type CollectOptions } from "./collect.ts";
import { accessNoticeLine, probeProcessAccess } from "./access_notice.ts";
import { viewBeside } from "../viewer/beside_collector.ts";

/**
 * What each numeric flag of `fgm collect` accepts (REQ-CLI-008), shown in the help and in the
 * message that refuses a value.
 */
export const COLLECT_RANGES: {
  interval: DurationRange;
  pssInterval: DurationRange;
  flush: DurationRange;
  compactAfter: DurationRange;
  compactSpan: DurationRange;
  retention: DurationRange;
  duration: DurationRange;
  maxDisk: SizeRange;
} = {
  // The sampling interval of every subcommand.
  interval: INTERVAL_RANGE,
  pssInterval: { ...INTERVAL_RANGE, off: true },
  // Files are named by whole seconds: two flushes within one would write the same name. Rows wait
  // in memory until flushed, and a SIGKILL loses them: an hour at most.
  flush: { min: "1s", max: "1h" },
  // 0 merges a window as soon as it is over.
  compactAfter: { min: "0", max: "24h" },
  // A first-tier window (a fifteenth of the span) is a whole second at least; no file spans two
  // days (dt= partitions).
  compactSpan: { min: "15s", max: "24h" },
  // Ten years: far past any plan, far inside what a Date holds.
  retention: { min: "1m", max: "3650d" },
  duration: { min: INTERVAL_RANGE.min, max: "3650d" },
  // One flush writes three files of 10 to 30 KiB: a smaller budget would delete each as it is
  // written. 1024T is 2^50 bytes, exact in a double.
  maxDisk: { min: "64K", max: "1024T" },
};

const R = COLLECT_RANGES;
const FLUSH = span(R.flush);
const AFTER = span(R.compactAfter);
const DISK = `${R.maxDisk.min} to ${R.maxDisk.max}`;

const HELP = `Usage: fgm collect [options]

Samples every container, its processes and the host on whole wall-clock multiples of the interval
and writes one folder of Parquet files per table (containers, processes, host):
  <out>/<table>/dt=YYYY-MM-DD/identifier=<node>/<table>-YYYYMMDDTHHMMSSZ.parquet

Options:
  --out <dir>              output directory (default ./fgm-data)
  --interval <duration>    sampling interval, ${span(R.interval)} (default 1s)
  --pss-interval <dur>     PSS (smaps_rollup) cadence, ${span(R.pssInterval)} (default 10s)
  --flush <duration>       most time before a sample is in a file on disk, ${FLUSH} (default 10s)
  --compact-after <dur>    merge small files once they are this old, ${AFTER} (default 2m)
  --compact-span <dur>     span of one fully merged file, ${span(R.compactSpan)} (default 15m;
                           segments merge first into files of a fifteenth of it)
  --retention <duration>   delete files older than this, ${span(R.retention)} (e.g. 7d)
  --max-disk <size>        delete the oldest files past this size, ${DISK} (e.g. 2G)
  --host-processes         also record processes outside containers
  --service-account-dir <dir>  Kubernetes service account (token, ca.crt) for pod names and
                           labels from the API server, with NODE_NAME (default
                           /var/run/secrets/kubernetes.io/serviceaccount)
  --identifier <name>      partition name (default $POD_NAME, $NODE_NAME or the hostname)
  --view                   serve the viewer on the data as it is collected (the rows not yet
                           written too: the chart is as fresh as the last sweep)
  --port <n>, --host <a>   where --view listens (default 8050 on 127.0.0.1)
  --duration <duration>    stop after this long, --interval to ${R.duration.max} (default: until
                           SIGTERM/SIGINT)
  --proc-root <dir>        procfs root (default /proc; /host/proc in a container)
  --cgroup-root <dir>      cgroup mounts root (default /sys/fs/cgroup)
  --sys-root <dir>         sysfs root (default /sys)
  --host-root <dir>        host filesystem root for runtime metadata (default /)
  -h, --help               show this help

Durations are seconds (0.5) or take a unit: 500ms, 2s, 5m, 2h, 7d. Sizes are bytes or take a
binary unit: 500K, 2G, 1.5GiB.

Open a table with one line (schema: specs/data_contract.md):
  DuckDB   SELECT * FROM read_parquet('fgm-data/containers/**/*.parquet', hive_partitioning = true);
  pandas   pd.read_parquet("fgm-data/containers")
  Polars   pl.scan_parquet("fgm-data/containers/**/*.parquet", hive_partitioning=True)
  Spark    spark.read.parquet("fgm-data/containers")`;

/**
 * Parses `fgm collect` arguments into options: pure but for the defaults of `--identifier`,
 * `$POD_NAME` or `$NODE_NAME` from `env` (an empty one counts as unset), else the hostname. Every
 * failure is a {@linkcode UsageError}; every number it returns is finite and inside
 * {@linkcode COLLECT_RANGES} (REQ-COL-003, REQ-CLI-008).
 *
 * @example Record every 500 ms for a minute
 * ```ts
 * import { parseCollectArgs } from "./main.ts";
 * const o = parseCollectArgs(["--interval", "500ms", "--duration", "1m", "--identifier", "a"]);
 * // o.intervalMs === 500, o.durationMs === 60_000, o.node === "a"
 * ```
 */
export function parseCollectArgs(
  args: string[],
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): CollectArgs | "help" {
  const { values, positionals } = parse("collect", args, {
    out: { type: "string" },
    interval: { type: "string" },
    "pss-interval": { type: "string" },
    flush: { type: "string" },
    "compact-after": { type: "string" },
    "compact-span": { type: "string" },
    retention: { type: "string" },
    "max-disk": { type: "string" },
    "host-processes": { type: "boolean" },
    identifier: { type: "string" },
    "service-account-dir": { type: "string" },
    duration: { type: "string" },
    view: { type: "boolean" },
    port: { type: "string" },
    host: { type: "string" },
    ...ROOT_OPTIONS,
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  if (positionals.length > 0) {
    throw new UsageError(`collect: unexpected argument ${quote(positionals[0])}`);
  }
  const duration = (flag: string, value: unknown, range: DurationRange) =>
    durationFlag("collect", flag, value, range);
  const intervalMs = duration("--interval", values.interval ?? "1s", R.interval);
  const durationMs = values.duration === undefined
    ? null
    : duration("--duration", values.duration, R.duration);
  if (durationMs !== null && durationMs < intervalMs) {
    throw new UsageError(
      `collect: --duration must be at least --interval (${values.interval ?? "1s"}), not ${
        quote(values.duration)
      }`,
    );
  }
  const roots: Partial<Roots> = rootsFromFlags("collect", values);
  const node = textFlag("collect", "--identifier", values.identifier) ??
    (env("POD_NAME") || env("NODE_NAME") || Deno.hostname());
  // It names a directory (`identifier=<node>`): a "/" would nest the files where compaction,
  // retention and hive partitioning do not look for them.
  if (node.trim() === "" || node === "." || node === ".." || /[/\0]/.test(node)) {
    throw new UsageError(
      `collect: the identifier ${quote(node)} cannot name a directory (empty, "/", "." or "..")`,
    );
  }
  return {
    // A directory named by slashes alone is the root itself.
    out: (textFlag("collect", "--out", values.out) ?? "./fgm-data").replace(/\/+$/, "") || "/",
    node,
    intervalMs,
    pssIntervalMs: duration("--pss-interval", values["pss-interval"] ?? "10s", R.pssInterval),
    flushMs: duration("--flush", values.flush ?? "10s", R.flush),
    compactMinAgeMs: duration("--compact-after", values["compact-after"] ?? "2m", R.compactAfter),
    compactSpanMs: duration("--compact-span", values["compact-span"] ?? "15m", R.compactSpan),
    retentionMs: values.retention === undefined
      ? null
      : duration("--retention", values.retention, R.retention),
    maxDiskBytes: values["max-disk"] === undefined
      ? null
      : sizeFlag("collect", "--max-disk", values["max-disk"], R.maxDisk),
    hostProcesses: Boolean(values["host-processes"]),
    serviceAccountDir: textFlag("collect", "--service-account-dir", values["service-account-dir"]),
    roots,
    durationMs,
    view: viewFlags(values),
  };
}

/** `--view [--port n] [--host address]`: serve the viewer beside the collector. */
function viewFlags(values: Record<string, unknown>): CollectArgs["view"] {
  if (!values.view) {
    if (values.port !== undefined || values.host !== undefined) {
      throw new UsageError("collect: --port and --host go with --view");
    }
    return null;
  }
  const host = textFlag("collect", "--host", values.host) ?? "127.0.0.1";
  return { port: portFlag("collect", values.port), host };
}

/** The collector's options and, with `--view`, where to serve the viewer. */
export type CollectArgs = CollectOptions & { view: { port: number; host: string } | null };

/** Runs `fgm collect` and returns the exit code. */
export async function collectMain(args: string[]): Promise<number> {
  const o = parseCollectArgs(args);
  if (o === "help") {
    console.log(HELP);
    return 0;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  const signals: Deno.Signal[] = ["SIGTERM", "SIGINT"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  try {
    const viewer = o.view
      ? viewBeside(o, o.view, controller.signal, () => controller.abort())
      : null;
    const summary = await collect(
      o,
      controller.signal,
      () => {
        console.error(
          `fgm collect: sampling every ${o.intervalMs} ms into ${o.out} as "${o.node}" (SIGTERM or Ctrl-C to stop)`,
        );
        const notice = accessNoticeLine(probeProcessAccess(o.roots.proc ?? "/proc"));
        if (notice !== null) console.error(`fgm collect: ${notice}`);
        viewer?.start();
      },
      viewer?.observer,
    );
    await viewer?.stop();
    console.error(
      `fgm collect: stopped after ${summary.ticks} ticks (${summary.missedTicks} missed), ${summary.filesWritten} files, ${summary.windowsCompacted} windows compacted in memory, ${summary.merges} merges, ${summary.errors} errors`,
    );
    return 0;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, stop);
  }
}
