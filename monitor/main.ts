/**
 * `fgm monitor <level>`: the thin outer layer that takes two sweeps, builds a document and prints
 * it as a table or JSON, once or refreshed in place (`--watch`).
 *
 * @module
 */

import { optionalValue, parse, ROOT_OPTIONS, rootsFromFlags } from "../cli/args.ts";
import { describeDurationRange, durationFlag, INTERVAL_RANGE } from "../cli/duration.ts";
import { NotFoundError, quote, UsageError } from "../cli/errors.ts";
import type { Roots } from "../reader/fs.ts";
import { readFilesystems } from "../reader/host.ts";
import { readNamespaces } from "../reader/process.ts";
import { createReaderContext, type ReaderContext, type Snapshot, sweep } from "../reader/sweep.ts";
import { monitorSweep, type SweepPlan } from "../reader/sweep_plan.ts";
import { correlationView } from "./correlation.ts";
import { gapView } from "./gap.ts";
import { containerView, hostView, type Observation, processView } from "./model.ts";
import {
  renderAll,
  renderContainer,
  renderCorrelation,
  renderGap,
  renderHost,
  renderProcess,
} from "./render.ts";
import { resolveContainer } from "./resolve.ts";

/** The largest PID Linux can give (PID_MAX_LIMIT on 64-bit kernels, 2^22). */
export const PID_MAX_LIMIT = 4_194_304;

const INTERVALS = describeDurationRange(INTERVAL_RANGE);

const HELP = `Usage: fgm monitor <level> [target] [options]

Levels:
  host                      the node: CPU, memory, load, PSI, filesystems, interfaces, containers
  process <pid>             one process: CPU, RSS/PSS, fds, sockets, namespaces, its container
  container <id|name>       one container (id, unique id prefix, name or pod name): CPU and
                            limit, throttling, memory, PSI, IO, pids, network, processes
  all                       host, every container and their processes
  gap                       what each isolation level hides from the next, with numbers
  correlation <id|name>     the process/container/host isolation table for one container

Options:
  --json                    print one JSON document (one per line with --watch)
  --watch [duration]        refresh in place like top, every ${INTERVALS} (default 2s)
  --interval <duration>     interval over which rates are measured, ${INTERVALS} (default 1s)
  --proc-root <dir>         procfs root (default /proc; /host/proc in a container)
  --cgroup-root <dir>       cgroup mounts root (default /sys/fs/cgroup)
  --sys-root <dir>          sysfs root (default /sys)
  --host-root <dir>         host filesystem root for runtime metadata (default /)
  -h, --help                show this help

Durations are seconds (0.5) or take a unit: 500ms, 2s, 5m, 2h. A PID is 1 to ${PID_MAX_LIMIT}.`;

const LEVELS = ["host", "process", "container", "all", "gap", "correlation"];

/** Options of one monitor run, after parsing. */
export interface MonitorOptions {
  level: string;
  target: string | null;
  json: boolean;
  watchSeconds: number | null;
  intervalSeconds: number;
  roots: Partial<Roots>;
}

/**
 * Parses `fgm monitor` arguments: pure, it reads nothing but `args`. Every failure is a
 * {@linkcode UsageError} (REQ-CLI-003, REQ-CLI-007, REQ-CLI-009, REQ-CLI-011).
 *
 * @example Watch a process every half second
 * ```ts
 * import { parseMonitorArgs } from "./main.ts";
 * parseMonitorArgs(["process", "42", "--watch", "500ms"]);
 * // { level: "process", target: "42", json: false, watchSeconds: 0.5, intervalSeconds: 1, roots: {} }
 * ```
 */
export function parseMonitorArgs(args: string[]): MonitorOptions | "help" {
  const { values, positionals } = parse("monitor", optionalValue(args, "--watch", "2"), {
    json: { type: "boolean" },
    watch: { type: "string" },
    interval: { type: "string" },
    ...ROOT_OPTIONS,
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  const [level, target, ...extra] = positionals;
  if (level === undefined) throw new UsageError(`monitor: missing level (${LEVELS.join(", ")})`);
  if (!LEVELS.includes(level)) {
    throw new UsageError(`monitor: unknown level ${quote(level)} (${LEVELS.join(", ")})`);
  }
  const needsTarget = level === "process" || level === "container" || level === "correlation";
  if (needsTarget && target === undefined) {
    throw new UsageError(
      `monitor ${level}: missing ${level === "process" ? "PID" : "container id or name"}`,
    );
  }
  if ((!needsTarget && target !== undefined) || extra.length > 0) {
    throw new UsageError(`monitor ${level}: unexpected argument ${quote(extra[0] ?? target)}`);
  }
  if (level === "process" && !(/^\d+$/.test(target!) && isPid(Number(target)))) {
    throw new UsageError(`monitor process: ${quote(target)} is not a PID (1 to ${PID_MAX_LIMIT})`);
  }
  if (level !== "process" && target?.trim() === "") {
    throw new UsageError(`monitor ${level}: ${quote(target)} is not a container id or name`);
  }
  const roots: Partial<Roots> = rootsFromFlags("monitor", values);
  const seconds = (flag: string, value: unknown) =>
    durationFlag("monitor", flag, value, INTERVAL_RANGE) / 1000;
  return {
    level,
    target: level === "process" ? String(Number(target)) : target ?? null,
    json: Boolean(values.json),
    watchSeconds: values.watch === undefined ? null : seconds("--watch", values.watch),
    intervalSeconds: seconds("--interval", values.interval ?? "1"),
    roots,
  };
}

function isPid(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= PID_MAX_LIMIT;
}

/** Reads /etc/passwd under the host root into uid → name. */
export function parsePasswd(text: string | null): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of (text ?? "").split("\n")) {
    const [name, , uid] = line.split(":");
    if (name && uid !== undefined && /^\d+$/.test(uid)) users.set(Number(uid), name);
  }
  return users;
}

/** The `fgm monitor` sweep preset for a level, its targets' details included. */
function sweepOptions(
  o: MonitorOptions,
  pid: number | null,
  containerPids: number[],
): SweepPlan {
  const all = {
    status: true,
    cmdline: true,
    io: true,
    fds: true,
    smaps: true,
    cgroup: true,
    sockets: true,
    namespaces: true,
  };
  const pids = new Set<number>(containerPids);
  if (pid !== null) pids.add(pid);
  const wide = o.level === "all" || o.level === "gap";
  return monitorSweep({
    processParts: { status: wide || o.level === "container" || o.level === "correlation" },
    detail: {
      pids,
      parts: o.level === "process" || o.level === "correlation"
        ? all
        : { status: true, smaps: true, namespaces: true },
    },
    vethPeers: o.level !== "process" && o.level !== "gap",
  });
}

/** Takes the document for `o` from two sweeps: `before` (reused in --watch) and a new one. */
export async function observe(
  ctx: ReaderContext,
  o: MonitorOptions,
  before: Snapshot | null,
): Promise<{ document: unknown; text: string; after: Snapshot }> {
  let pid: number | null = null;
  let containerId: string | null = null;
  if (o.level === "process") {
    pid = Number(o.target);
    if (ctx.fs.readText(`${ctx.roots.proc}/${pid}/stat`) === null) {
      throw new NotFoundError(`no process with PID ${pid}`);
    }
  }
  let first = before;
  if (first === null) first = sweep(ctx, sweepOptions(o, pid, []));
  if (o.level === "container" || o.level === "correlation") {
    containerId = resolveContainer(first, o.target!);
  }
  const containerPids = containerId === null
    ? []
    : first.containers.get(containerId)?.container.pids ?? [];
  if (before === null) {
    // The first sweep only found the targets; measure the interval from a sweep with details.
    first = sweep(ctx, sweepOptions(o, pid, containerPids));
  }
  await new Promise((r) => setTimeout(r, o.intervalSeconds * 1000));
  const after = sweep(ctx, sweepOptions(o, pid, containerPids));
  const observation: Observation = {
    before: first,
    after,
    identity: ctx.identity,
    filesystems: o.level === "host" || o.level === "all" || o.level === "correlation"
      ? readFilesystems(ctx.fs, ctx.roots, ctx.hostPid)
      : [],
    users: parsePasswd(ctx.fs.readText(`${ctx.roots.host}/etc/passwd`)),
  };
  switch (o.level) {
    case "host": {
      const v = hostView(observation);
      return { document: v, text: renderHost(v), after };
    }
    case "process": {
      const v = processView(observation, pid!);
      if (v === null) throw new NotFoundError(`process ${pid} exited`);
      return { document: v, text: renderProcess(v), after };
    }
    case "container": {
      const v = containerView(observation, containerId!);
      if (v === null) throw new NotFoundError(`container ${o.target} is gone`);
      return { document: v, text: renderContainer(v), after };
    }
    case "all": {
      const host = hostView(observation);
      const containers = host.containers.map((c) => containerView(observation, c.id)!).filter(
        Boolean,
      );
      return { document: { host, containers }, text: renderAll(host, containers), after };
    }
    case "gap": {
      const v = gapView(observation);
      return { document: v, text: renderGap(v), after };
    }
    default: {
      const v = correlationView(
        observation,
        containerId!,
        readNamespaces(ctx.fs, `${ctx.roots.proc}/${ctx.hostPid}`),
        (() => {
          const main = after.containers.get(containerId!)?.container.pids[0];
          return main === undefined ? null : ctx.fs.readLink(`${ctx.roots.proc}/${main}/exe`);
        })(),
      );
      if (v === null) throw new NotFoundError(`container ${o.target} is gone`);
      return { document: v, text: renderCorrelation(v), after };
    }
  }
}

/** Runs `fgm monitor` and returns the exit code. */
export async function monitorMain(args: string[]): Promise<number> {
  const o = parseMonitorArgs(args);
  if (o === "help") {
    console.log(HELP);
    return 0;
  }
  const ctx = createReaderContext({ roots: o.roots });
  try {
    if (o.watchSeconds === null) {
      const { document, text } = await observe(ctx, o, null);
      console.log(o.json ? JSON.stringify(document, null, 2) : text);
      return 0;
    }
    const interactive = Deno.stdout.isTerminal() && !o.json;
    let before: Snapshot | null = null;
    const watch = { ...o, intervalSeconds: o.watchSeconds };
    while (true) {
      const { document, text, after } = await observe(ctx, before ? watch : o, before);
      before = after;
      if (o.json) console.log(JSON.stringify(document));
      else if (interactive) {
        console.log(`\x1b[H\x1b[2J${text}\n\n(every ${o.watchSeconds} s; Ctrl-C to quit)`);
      } else console.log(`${text}\n`);
    }
  } finally {
    ctx.fs.close();
  }
}
