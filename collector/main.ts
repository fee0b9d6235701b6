/**
 * `fgm collect`: parses the command line and runs {@linkcode collect} until SIGTERM or SIGINT, on
 * which everything sampled is written to valid files before exit 0.
 *
 * @module
 */

import { parse, ROOT_OPTIONS, rootsFromFlags } from "../cli/args.ts";
import { UsageError } from "../cli/errors.ts";
import type { Roots } from "../reader/fs.ts";
import { collect, type CollectOptions } from "./collect.ts";
import { parseDuration, parseSize } from "./schedule.ts";

const HELP = `Usage: fgm collect [options]

Samples every container, its processes and the host on whole wall-clock multiples of the interval
and writes one folder of Parquet files per table (containers, processes, host):
  <out>/<table>/dt=YYYY-MM-DD/identifier=<node>/<table>-YYYYMMDDTHHMMSSZ.parquet

Options:
  --out <dir>              output directory (default ./fgm-data)
  --interval <duration>    sampling interval (default 1s)
  --pss-interval <dur>     PSS (smaps_rollup) cadence, 0 to turn off (default 10s)
  --flush <duration>       most time before a sample is in a file on disk (default 10s)
  --compact-after <dur>    merge small files once they are this old (default 2m)
  --compact-span <dur>     span of one fully merged file (default 15m; segments merge
                           first into files of a fifteenth of it)
  --retention <duration>   delete files older than this (e.g. 7d)
  --max-disk <size>        delete the oldest files past this size (e.g. 2G)
  --host-processes         also record processes outside containers
  --service-account-dir <dir>  Kubernetes service account (token, ca.crt) for pod names and
                           labels from the API server, with NODE_NAME (default
                           /var/run/secrets/kubernetes.io/serviceaccount)
  --identifier <name>      partition name (default $POD_NAME, $NODE_NAME or the hostname)
  --duration <duration>    stop after this long (default: until SIGTERM/SIGINT)
  --proc-root <dir>        procfs root (default /proc; /host/proc in a container)
  --cgroup-root <dir>      cgroup mounts root (default /sys/fs/cgroup)
  --sys-root <dir>         sysfs root (default /sys)
  --host-root <dir>        host filesystem root for runtime metadata (default /)
  -h, --help               show this help

Open a table with one line (schema: specs/data_contract.md):
  DuckDB   SELECT * FROM read_parquet('fgm-data/containers/**/*.parquet', hive_partitioning = true);
  pandas   pd.read_parquet("fgm-data/containers")
  Polars   pl.scan_parquet("fgm-data/containers/**/*.parquet", hive_partitioning=True)
  Spark    spark.read.parquet("fgm-data/containers")`;

function duration(flag: string, value: unknown, fallback: string): number {
  try {
    return parseDuration(value === undefined ? fallback : String(value));
  } catch (error) {
    throw new UsageError(`collect: ${flag}: ${(error as Error).message}`);
  }
}

/** Parses `fgm collect` arguments into options. */
export function parseCollectArgs(args: string[]): CollectOptions | "help" {
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
    ...ROOT_OPTIONS,
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  if (positionals.length > 0) {
    throw new UsageError(`collect: unexpected argument "${positionals[0]}"`);
  }
  const intervalMs = duration("--interval", values.interval, "1s");
  if (intervalMs < 100) throw new UsageError("collect: --interval must be at least 100ms");
  let maxDiskBytes: number | null = null;
  if (values["max-disk"] !== undefined) {
    try {
      maxDiskBytes = parseSize(String(values["max-disk"]));
    } catch (error) {
      throw new UsageError(`collect: --max-disk: ${(error as Error).message}`);
    }
  }
  const roots: Partial<Roots> = rootsFromFlags(values);
  const node = String(
    values.identifier ?? Deno.env.get("POD_NAME") ?? Deno.env.get("NODE_NAME") ?? Deno.hostname(),
  );
  // It names a directory (`identifier=<node>`): a "/" would nest the files where compaction,
  // retention and hive partitioning do not look for them.
  if (node === "" || node === "." || node === ".." || /[/\0]/.test(node)) {
    throw new UsageError(
      `collect: the identifier "${node}" cannot name a directory (empty, "/", "." or "..")`,
    );
  }
  return {
    out: String(values.out ?? "./fgm-data").replace(/\/+$/, "") || "/",
    node,
    intervalMs,
    pssIntervalMs: duration("--pss-interval", values["pss-interval"], "10s"),
    flushMs: duration("--flush", values.flush, "10s"),
    compactMinAgeMs: duration("--compact-after", values["compact-after"], "2m"),
    compactSpanMs: duration("--compact-span", values["compact-span"], "15m"),
    retentionMs: values.retention === undefined
      ? null
      : duration("--retention", values.retention, "0"),
    maxDiskBytes,
    hostProcesses: Boolean(values["host-processes"]),
    serviceAccountDir: values["service-account-dir"] === undefined
      ? undefined
      : String(values["service-account-dir"]),
    roots,
    durationMs: values.duration === undefined ? null : duration("--duration", values.duration, "0"),
  };
}

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
    const summary = await collect(o, controller.signal, () =>
      console.error(
        `fgm collect: sampling every ${o.intervalMs} ms into ${o.out} as "${o.node}" (SIGTERM or Ctrl-C to stop)`,
      ));
    console.error(
      `fgm collect: stopped after ${summary.ticks} ticks (${summary.missedTicks} missed), ${summary.filesWritten} files, ${summary.windowsCompacted} windows compacted in memory, ${summary.merges} merges, ${summary.errors} errors`,
    );
    return 0;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, stop);
  }
}
