/**
 * Where one collector sweep allocates: V8's sampling heap profiler (through `node:inspector`),
 * over `--sweeps` sweeps 100 ms apart with the collector's sweep options, against N fake docker
 * containers (`fake_containers.ts`, active workload). Prints KiB allocated per sweep in all and
 * by function (self), with the calling fgm function beside built-ins (`get <- readText` is a
 * `Map.get` called by `readText`). Allocation drives the collector's garbage collection: the
 * young generation fills, survivors are promoted, the old generation needs marking.
 *
 * ```sh
 * npx deno run -A bench/sweep_alloc.ts                     # N=50, 30 sweeps, top 25
 * npx deno run -A bench/sweep_alloc.ts --containers 200 --top 40
 * ```
 *
 * Needs root and cgroups mounted under `/sys/fs/cgroup`. Removes what it made on exit.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Session } from "node:inspector";
import { createReaderContext, sweep } from "../reader/sweep.ts";
import { collectorSweepOptions } from "../collector/collect.ts";
import {
  releaseDockerClaim,
  setUpFakeContainers,
  tearDownFakeContainers,
} from "./fake_containers.ts";

/** A node of a sampling heap profile (Chrome DevTools protocol). */
interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Self bytes by `function file:line`, built-ins named with their nearest fgm caller. */
function selfBytesByFunction(head: ProfileNode): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: ProfileNode, caller: string) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const ours = url.startsWith("file:");
    const name = `${functionName || "(anonymous)"} ${url.split("/").pop()}:${lineNumber}`;
    const key = ours ? name : `${name} <- ${caller}`;
    out.set(key, (out.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, ours ? name : caller);
  };
  walk(head, "?");
  return out;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      containers: { type: "string", default: "50" },
      sweeps: { type: "string", default: "30" },
      top: { type: "string", default: "25" },
    },
  });
  const containers = Number(values.containers);
  const sweeps = Number(values.sweeps);
  const load = setUpFakeContainers({
    containers,
    processes: containers * 5,
    workload: "active",
  });
  const session = new Session();
  try {
    const ctx = createReaderContext();
    const options = collectorSweepOptions(false);
    // Warm up: caches filled, functions optimised.
    for (let i = 0; i < 30; i++) {
      sweep(ctx, options);
      await pause(100);
    }
    session.connect();
    const post = <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve, reject) =>
        session.post(
          method,
          params,
          (error, result) => error ? reject(error) : resolve(result as T),
        )
      );
    await post("HeapProfiler.enable");
    await post("HeapProfiler.startSampling", {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    for (let i = 0; i < sweeps; i++) {
      sweep(ctx, options);
      await pause(100);
    }
    const { profile } = await post<{ profile: { head: ProfileNode } }>("HeapProfiler.stopSampling");
    const bytes = selfBytesByFunction(profile.head);
    const total = [...bytes.values()].reduce((a, b) => a + b, 0);
    const kib = (b: number) => (b / sweeps / 1024).toFixed(1).padStart(8);
    console.log(`N=${containers}: ${kib(total).trim()} KiB allocated per sweep (${sweeps} sweeps)`);
    const top = [...bytes.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
    for (const [name, b] of top) console.log(`${kib(b)} KiB  ${name}`);
  } finally {
    session.disconnect();
    await tearDownFakeContainers(load);
    releaseDockerClaim();
  }
}
