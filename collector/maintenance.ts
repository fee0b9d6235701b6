/**
 * Compaction and retention beside the collector loop. The collector compacts its own first-tier
 * windows from memory (`windows.ts`); what is left — second-tier merges, which copy row groups, and
 * segments of earlier runs, which are decoded and encoded again — runs in a child process
 * (`fgm _compact`, see `compact_main.ts`): a re-encoding merge takes a second or more of CPU and
 * a few hundred MiB for a 15-minute window, which inside the collector would delay ticks and leave
 * its heap grown.
 * At most one merge runs at a time; retention never deletes a file a running merge uses. A merge
 * that fails is logged, counted, and its window is left alone for a while (counted from the
 * time the merge started).
 *
 * Reaches: the disk (merges, retention) and child processes (`fgm _compact`).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type CompactionPlan, listDataFiles, planCompactions, planRetention } from "./files.ts";

/** How to start this program again with `args`. */
export interface Invocation {
  command: string;
  args: string[];
}

/**
 * The command line that runs this very program with `args`: a compiled `fgm` binary runs itself;
 * under `deno run` (the executable is `deno`), the same Deno runs this checkout's mod.ts with its
 * deno.json (so imports resolve whatever the working directory).
 */
export function selfInvocation(
  args: string[],
  { execPath = Deno.execPath(), moduleUrl = import.meta.url }: {
    execPath?: string;
    /** URL of a module in the collector/ directory (default: this one). */
    moduleUrl?: string;
  } = {},
): Invocation {
  const name = execPath.slice(execPath.lastIndexOf("/") + 1);
  if (!/^deno(\.exe)?$/.test(name)) return { command: execPath, args };
  const file = (relative: string) => fileURLToPath(new URL(relative, moduleUrl));
  return {
    command: execPath,
    args: ["run", "-A", "--quiet", "--config", file("../deno.json"), file("../mod.ts"), ...args],
  };
}

/** Settings of {@linkcode createMaintainer}. */
export interface MaintainerOptions {
  out: string;
  compactMinAgeMs: number;
  compactSpanMs: number;
  retentionMs: number | null;
  maxDiskBytes: number | null;
}

/** What {@linkcode createMaintainer} reports. */
export interface MaintainerEvents {
  /** A message for stderr. */
  log(message: string): void;
  /** An error to count in the data (`collector_errors`). */
  error(): void;
  /** Starts a merge; default a child process running `fgm _compact`. */
  spawn?: (args: string[]) => Deno.ChildProcess;
}

/** Compaction and retention for one output directory. */
export interface Maintainer {
  /**
   * After a flush: applies retention to the files no running merge uses and, when no merge is
   * running, starts the first one due. Never waits for a merge. `reserved` files (those the
   * collector compacts itself from memory) are never merged here.
   */
  run(nowMs: number, reserved?: ReadonlySet<string>): void;
  /**
   * Waits up to `graceMs` for a running merge, then kills it (its journal is finished or rolled
   * back at the next start; the files stay readable meanwhile).
   */
  stop(graceMs: number): Promise<void>;
  /** The target of the running merge, or `null`. */
  readonly running: string | null;
  /** Merges finished so far. */
  readonly merges: number;
}

/** A window whose merge failed is not tried again for this long. */
export const FAILED_MERGE_BACKOFF_MS = 10 * 60_000;

function defaultSpawn(args: string[]): Deno.ChildProcess {
  const { command, args: full } = selfInvocation(args);
  return new Deno.Command(command, {
    args: full,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

/** Creates the {@linkcode Maintainer} of `o.out`. */
export function createMaintainer(o: MaintainerOptions, events: MaintainerEvents): Maintainer {
  const spawn = events.spawn ?? defaultSpawn;
  let current: {
    target: string;
    uses: Set<string>;
    child: Deno.ChildProcess;
    done: Promise<void>;
  } | null = null;
  const failed = new Map<string, number>();
  let merges = 0;

  function start(plan: CompactionPlan, nowMs: number): void {
    const sources = plan.sources.map((f) => f.path);
    let child: Deno.ChildProcess;
    try {
      child = spawn([
        "_compact",
        ...(plan.tier === 2 ? ["--concat"] : []),
        "--target",
        plan.target,
        ...sources,
      ]);
    } catch (error) {
      events.log(`cannot start a compaction: ${error instanceof Error ? error.message : error}`);
      events.error();
      failed.set(plan.target, nowMs);
      return;
    }
    const stderr = child.stderr ? new Response(child.stderr).text() : Promise.resolve("");
    const done = child.status.then(async (status) => {
      const said = (await stderr.catch(() => "")).trim().split("\n").pop() ?? "";
      if (status.success) merges++;
      else if (!killed) {
        events.log(
          `compaction into "${plan.target}" failed (${status.signal ?? `exit ${status.code}`})${
            said ? `: ${said}` : ""
          }; the window is retried in ${FAILED_MERGE_BACKOFF_MS / 60_000} min`,
        );
        events.error();
        failed.set(plan.target, nowMs);
      }
      current = null;
    });
    current = { target: plan.target, uses: new Set([...sources, plan.target]), child, done };
  }

  let stopping = false;
  let killed = false;
  return {
    run(nowMs, reserved) {
      if (stopping) return;
      try {
        const files = listDataFiles(o.out);
        const retained = planRetention(files, nowMs, o).filter((f) => !current?.uses.has(f.path));
        for (const f of retained) {
          try {
            Deno.removeSync(f.path);
          } catch { /* gone already */ }
        }
        if (current !== null) return;
        const removed = new Set(retained.map((f) => f.path));
        const plans = planCompactions(files.filter((f) => !removed.has(f.path)), nowMs, {
          minAgeMs: o.compactMinAgeMs,
          maxSpanMs: o.compactSpanMs,
          minFiles: 2,
          reserved,
        });
        for (const [target, at] of failed) {
          if (nowMs - at >= FAILED_MERGE_BACKOFF_MS) failed.delete(target);
        }
        const plan = plans.find((p) => !failed.has(p.target));
        if (plan) start(plan, nowMs);
      } catch (error) {
        events.log(`maintenance failed: ${error instanceof Error ? error.message : error}`);
        events.error();
      }
    },
    async stop(graceMs) {
      stopping = true;
      const running = current;
      if (running === null) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), graceMs);
      });
      const outcome = await Promise.race([running.done.then(() => "done" as const), timeout]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        killed = true;
        try {
          running.child.kill("SIGKILL");
        } catch { /* exited just now */ }
        await running.done;
      }
    },
    get running() {
      return current?.target ?? null;
    },
    get merges() {
      return merges;
    },
  };
}
