/**
 * A peer on the same load: Netdata (Debian's `netdata` package, 1.37) with only its cgroups
 * collector, at 1 s, against the same N fake docker containers as `collect_bench.ts`
 * (`fake_containers.ts`), so that fgm's cost can be read next to a C collector's on this machine
 * at this hour (the cost of reading /proc and cgroup files here moves by a third within an hour).
 *
 * Netdata runs in the foreground from a configuration written to a temporary directory: every
 * plugin off but `cgroups`, no web server, no health checks, no machine learning, and `memory mode
 * = ram`, so it writes nothing to disk (fgm writes Parquet; Netdata's figure is collection only).
 * It reads the containers' cgroup files only, no per-process files: fgm reads the 5 processes of
 * every container as well. On a machine like ours (cgroup v1 controllers, a cgroup2 mirror without
 * controllers), `strace` shows Netdata 1.37 reading four files per container each second, all in the
 * mirror (`cpu.stat`, `cpu.pressure`, `memory.pressure`, `io.pressure`), each opened, read and
 * closed: no memory, block I/O, throttling or pids figures at all. fgm reads ten per container (and
 * two per process), so compare the cost per file read as well as the total. The bench waits until Netdata has named every fake container (its
 * `cgroup-name.sh` asks a docker daemon that does not exist, then falls back to the id: one line
 * per container in its error log), then `--warmup` seconds more, then measures for `--duration`
 * seconds:
 *
 * - CPU ms per second of wall time of the whole Netdata process (`utime + stime`), split into user
 *   and system, from the tasks' `schedstat` too, and by thread (`PLUGIN[cgroups]` is the
 *   collector);
 * - VmRSS at the end and VmHWM.
 *
 * ```sh
 * apt-get install -y netdata        # then stop any netdata service the package started
 * npx deno run -A bench/peer_netdata.ts --containers 50 --workload active --duration 60
 * ```
 *
 * Needs root and cgroups mounted under `/sys/fs/cgroup`. Stops the Netdata it started, also on
 * SIGINT or SIGTERM (SIGTERM, then SIGKILL after 10 s), then any of the descendants it had just
 * before that are still alive (checked by PID and start time), and removes its configuration
 * directory and the fake containers. Without `/usr/sbin/netdata` it prints `skipped:` and exits 0.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { readSample, type Sample } from "./proc_sample.ts";
import { markdownTable } from "./table.ts";
import { type FakeLoad, forEachFakeLoad, parseWorkloads } from "./fake_containers.ts";

const NETDATA = "/usr/sbin/netdata";
const CLK_TCK_MS = 10; // USER_HZ = 100

/** One Netdata run's figures. */
export interface PeerResult {
  containers: number;
  processes: number;
  workload: "idle" | "active";
  /** Containers Netdata named before the window (its error log). */
  containersNamed: number;
  /** Seconds of the measured window. */
  windowSeconds: number;
  cpuMsPerSecond: number;
  userMsPerSecond: number;
  systemMsPerSecond: number;
  schedCpuMsPerSecond: number | null;
  rssMiB: number | null;
  maxRssMiB: number | null;
  /** CPU ms per second by thread name (threads of one name summed). */
  threadMsPerSecond: Record<string, number>;
}

/** Netdata's configuration: the cgroups collector alone, at `everySeconds`, nothing on disk. */
export function netdataConfig(dir: string, everySeconds = 1): string {
  const off = [
    "proc",
    "diskspace",
    "tc",
    "idlejitter",
    "timex",
    "checks",
    "apps",
    "python.d",
    "charts.d",
    "go.d",
    "node.d",
    "ebpf",
    "perf",
    "slabinfo",
    "fping",
    "ioping",
    "cups",
    "nfacct",
    "freeipmi",
    "statsd",
  ];
  return [
    "[global]",
    "    run as user = root",
    `    update every = ${everySeconds}`,
    "    memory mode = ram",
    "    history = 3600",
    `    cache directory = ${dir}/cache`,
    `    lib directory = ${dir}/lib`,
    `    log directory = ${dir}/log`,
    "    debug log = none",
    `    error log = ${dir}/log/error.log`,
    "    access log = none",
    "[web]",
    "    mode = none",
    "[health]",
    "    enabled = no",
    "[ml]",
    "    enabled = no",
    "[statsd]",
    "    enabled = no",
    "[plugins]",
    "    cgroups = yes",
    "    enable running new plugins = no",
    ...off.map((p) => `    ${p} = no`),
    "[plugin:cgroups]",
    `    update every = ${everySeconds}`,
    "    check for new cgroups every = 10",
    "",
  ].join("\n");
}

/** How many of `ids` Netdata's error log says it named (`cgroup 'docker_<id>' is called`). */
export function containersNamed(log: string, ids: readonly string[]): number {
  return ids.filter((id) => log.includes(`cgroup 'docker_${id}' is called`)).length;
}

function readText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

/** A process, by PID and start time (so that a reused PID is never signalled). */
interface Proc {
  pid: number;
  startTicks: string;
}

/** Every process's parent and start time (from every `/proc/<n>/stat`). */
function processTable(): { proc: Proc; ppid: number }[] {
  const out: { proc: Proc; ppid: number }[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const stat = readText(`/proc/${e.name}/stat`);
    if (stat === "") continue;
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after comm start at field 3: ppid is field 4, starttime field 22.
    out.push({ proc: { pid: Number(e.name), startTicks: f[22 - 3] }, ppid: Number(f[4 - 3]) });
  }
  return out;
}

/** The descendants of `pid` (children, their children...), as they are now. */
function descendantsOf(pid: number): Proc[] {
  const table = processTable();
  const out: Proc[] = [];
  const parents = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const { proc, ppid } of table) {
      if (parents.has(ppid) && !parents.has(proc.pid)) {
        parents.add(proc.pid);
        out.push(proc);
        grew = true;
      }
    }
  }
  return out;
}

/** SIGKILLs `proc` if that PID still is that process. */
function killIfSame(proc: Proc): void {
  const stat = readText(`/proc/${proc.pid}/stat`);
  if (stat === "" || stat.slice(stat.lastIndexOf(")") + 2).split(" ")[22 - 3] !== proc.startTicks) {
    return;
  }
  try {
    Deno.kill(proc.pid, "SIGKILL");
  } catch { /* already gone */ }
}

/** The Netdata running now and its directory, for the signal handler. */
let running: { child: Deno.ChildProcess; dir: string } | null = null;

/** Stops the running Netdata (SIGTERM, then SIGKILL), its descendants, and removes its directory. */
async function stopNetdata(): Promise<void> {
  if (running === null) return;
  const { child, dir } = running;
  running = null;
  const descendants = descendantsOf(child.pid);
  try {
    child.kill("SIGTERM");
  } catch { /* exited */ }
  const exited = await Promise.race([child.status.then(() => true), sleep(10_000)]);
  if (!exited) {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
  }
  for (const proc of descendants) killIfSame(proc);
  Deno.removeSync(dir, { recursive: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runNetdata(
  load: FakeLoad,
  o: { durationS: number; warmupS: number; discoveryS: number },
): Promise<PeerResult> {
  const dir = Deno.makeTempDirSync({ prefix: "fgm_peer_netdata_" });
  for (const sub of ["cache", "lib", "log"]) Deno.mkdirSync(`${dir}/${sub}`);
  Deno.writeTextFileSync(`${dir}/netdata.conf`, netdataConfig(dir));
  const child = new Deno.Command(NETDATA, {
    args: ["-D", "-c", `${dir}/netdata.conf`, "-P", `${dir}/netdata.pid`],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  running = { child, dir };
  try {
    const t0 = performance.now();
    const log = () => readText(`${dir}/log/error.log`);
    let named = 0;
    while (performance.now() - t0 < o.discoveryS * 1000) {
      named = containersNamed(log(), load.ids);
      if (named === load.ids.length) break;
      await sleep(500);
    }
    if (named < load.ids.length) {
      throw new Error(
        `Cannot measure Netdata: it named ${named} of ${load.ids.length} containers in ` +
          `${o.discoveryS} s; its log ends:\n${log().split("\n").slice(-10).join("\n")}`,
      );
    }
    await sleep(o.warmupS * 1000);
    const first = readSample(child.pid, t0);
    await sleep(o.durationS * 1000);
    const last = readSample(child.pid, t0);
    if (first === null || last === null) {
      throw new Error(`Cannot measure Netdata: it exited; its log ends:\n${log().slice(-2000)}`);
    }
    return figures(load, named, first, last);
  } finally {
    await stopNetdata();
  }
}

function figures(load: FakeLoad, named: number, first: Sample, last: Sample): PeerResult {
  const seconds = (last.ms - first.ms) / 1000;
  const perSecond = (ticks: number) => (ticks * CLK_TCK_MS) / seconds;
  const threadMsPerSecond: Record<string, number> = {};
  for (const [tid, t] of last.threads) {
    const before = first.threads.get(tid)?.ticks ?? 0;
    threadMsPerSecond[t.comm] = (threadMsPerSecond[t.comm] ?? 0) + perSecond(t.ticks - before);
  }
  return {
    containers: load.spec.containers,
    processes: load.spec.processes,
    workload: load.spec.workload ?? "idle",
    containersNamed: named,
    windowSeconds: seconds,
    cpuMsPerSecond: perSecond(last.utime + last.stime - first.utime - first.stime),
    userMsPerSecond: perSecond(last.utime - first.utime),
    systemMsPerSecond: perSecond(last.stime - first.stime),
    schedCpuMsPerSecond: first.schedNs !== null && last.schedNs !== null
      ? (last.schedNs - first.schedNs) / 1e6 / seconds
      : null,
    rssMiB: last.rssKiB === null ? null : last.rssKiB / 1024,
    maxRssMiB: last.hwmKiB === null ? null : last.hwmKiB / 1024,
    threadMsPerSecond,
  };
}

/** The results as a Markdown table, then one line of per-thread figures per run. */
export function formatPeerResults(results: readonly PeerResult[]): string {
  const f = (v: number | null) => v === null ? "–" : v.toFixed(2);
  const rows = [
    ["N", "procs", "load", "CPU ms/s", "user", "sys", "sched ms/s", "cgroups thread", "RSS MiB"],
    ...results.map((r) => [
      String(r.containers),
      String(r.processes),
      r.workload,
      f(r.cpuMsPerSecond),
      f(r.userMsPerSecond),
      f(r.systemMsPerSecond),
      f(r.schedCpuMsPerSecond),
      f(r.threadMsPerSecond["PLUGIN[cgroups]"] ?? null),
      f(r.rssMiB),
    ]),
  ];
  const threads = results.map((r) =>
    `N=${r.containers} ${r.workload}: ${r.containersNamed} containers named, window ` +
    `${r.windowSeconds.toFixed(1)} s; CPU ms/s by thread: ` +
    Object.entries(r.threadMsPerSecond).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ")
  );
  return [markdownTable(rows), ...threads].join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      containers: { type: "string", default: "10,50,200" },
      "per-container": { type: "string", default: "5" },
      workload: { type: "string", default: "active" },
      duration: { type: "string", default: "60" },
      // Netdata's first minute after naming the containers costs 3-4 times its steady state
      // (N=50: 34.8 ms/s with 10 s of warm-up, 9.0 with 60).
      warmup: { type: "string", default: "60" },
      // Netdata names containers one by one with a shell script each: about 1 s apiece on a
      // busy 2-core machine.
      discovery: { type: "string", default: "600" },
    },
  });
  try {
    Deno.statSync(NETDATA);
  } catch {
    console.error(`skipped: ${NETDATA} is not installed (apt-get install -y netdata)`);
    return 0;
  }
  const perContainer = Number(values["per-container"]);
  const o = {
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    discoveryS: Number(values.discovery),
  };
  const results: PeerResult[] = [];
  await forEachFakeLoad({
    counts: values.containers.split(",").map(Number),
    workloads: parseWorkloads(values.workload),
    perContainer,
    onInterrupt: async () => {
      console.error("peer bench: interrupted, tearing down");
      await stopNetdata();
    },
  }, async (load) => {
    console.error(
      `peer bench: Netdata, N=${load.spec.containers} ${load.spec.workload}, ${o.durationS} s…`,
    );
    const r = await runNetdata(load, o);
    results.push(r);
    console.error(formatPeerResults([r]).split("\n").slice(2).join("\n"));
  });
  console.log(`Netdata (cgroups collector only, 1 s, memory mode ram), ${o.durationS} s per run`);
  console.log(formatPeerResults(results));
  return 0;
}

if (import.meta.main) Deno.exit(await main());
