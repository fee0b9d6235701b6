/**
 * One reading of a benchmarked process's CPU times (process and per thread, ticks and schedstat
 * nanoseconds) and memory (`VmRSS`, `VmHWM`), from /proc, shared by the collector and peer
 * benchmarks.
 *
 * @module
 */

/** One reading of a process's CPU times and memory (see {@linkcode readSample}). */
export interface Sample {
  ms: number;
  utime: number;
  stime: number;
  /** utime + stime of waited-for children (ticks). */
  childTicks: number;
  schedNs: number | null;
  hwmKiB: number | null;
  rssKiB: number | null;
  /** utime + stime ticks by thread id, with the thread's name. */
  threads: Map<string, { comm: string; ticks: number }>;
}

/**
 * Reads process `pid`'s `stat`, every thread's `stat` and `schedstat`, and `status`; `ms` is
 * `performance.now() - t0`. `null` once the process has exited.
 */
export function readSample(pid: number, t0: number): Sample | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const ms = performance.now() - t0;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after comm start at field 3 (state): utime is field 14, stime 15.
    const utime = Number(fields[14 - 3]);
    const stime = Number(fields[15 - 3]);
    const childTicks = Number(fields[16 - 3]) + Number(fields[17 - 3]);
    let schedNs: number | null = 0;
    const threads: Sample["threads"] = new Map();
    try {
      for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
        try {
          const dir = `/proc/${pid}/task/${task.name}`;
          schedNs += Number(Deno.readTextFileSync(`${dir}/schedstat`).split(" ")[0]);
          const t = Deno.readTextFileSync(`${dir}/stat`);
          const f = t.slice(t.lastIndexOf(")") + 2).split(" ");
          threads.set(task.name, {
            comm: t.slice(t.indexOf("(") + 1, t.lastIndexOf(")")),
            ticks: Number(f[14 - 3]) + Number(f[15 - 3]),
          });
        } catch { /* thread exited */ }
      }
    } catch {
      schedNs = null;
    }
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const hwm = status.match(/^VmHWM:\s+(\d+) kB/m);
    const rss = status.match(/^VmRSS:\s+(\d+) kB/m);
    return {
      ms,
      utime,
      stime,
      childTicks,
      schedNs,
      hwmKiB: hwm ? Number(hwm[1]) : null,
      rssKiB: rss ? Number(rss[1]) : null,
      threads,
    };
  } catch {
    return null; // exited
  }
}
