/**
 * A recording of real docker containers with known workloads, for tests of what reads recordings
 * (`fgm mcp`): a private dockerd runs a busy container (a spinning loop limited to 0.8 CPU), a
 * spiky one (2 s of busy loop at every wall-clock multiple of 10 s, limited to 0.5 CPU: a period
 * of exactly 10 s) and an idle one, while `fgm collect` records them for `seconds` into a
 * temporary directory. Everything it made is removed by `stop()` (containers and daemon by their
 * own PIDs, the directory). The collector records every container of the machine, other tests'
 * too: the three are named `busy-<tag>`, `spiky-<tag>` and `idle-<tag>` with a random tag.
 *
 * @module
 */

import { type DockerDaemon, startDockerd } from "./dockerd.ts";
import { spawnFgm } from "./fgm.ts";

/** The workload of the spiky container: busy 2 s of every 10 s, on the wall clock. */
export const SPIKE_CMD = [
  "sh",
  "-c",
  "while :; do sleep $((10 - $(date +%s) % 10)); timeout 2 sh -c 'while :; do :; done'; done",
];

/** A finished recording of the three containers. */
export interface RecordedContainers {
  /** The directory `fgm collect` wrote. */
  dir: string;
  /** The node name the recording carries. */
  node: string;
  /** Full container ids by role. */
  ids: { busy: string; spiky: string; idle: string };
  /** Container names by role. */
  names: { busy: string; spiky: string; idle: string };
  /** The random part of the names. */
  tag: string;
  /** What the collector printed on stderr. */
  collectorStderr: string;
  /** Removes the containers, the daemon and the directory. */
  stop(): Promise<void>;
}

/** Options of {@linkcode recordContainers}. */
export interface RecordOptions {
  /** How long `fgm collect` records (default 60). */
  seconds?: number;
  /** The recording's node name (default `mcp-node`). */
  node?: string;
}

/** Starts the containers, records them, and stops the collector (the containers keep running). */
export async function recordContainers(o: RecordOptions = {}): Promise<RecordedContainers> {
  const node = o.node ?? "mcp-node";
  const seconds = o.seconds ?? 60;
  const daemon: DockerDaemon = await startDockerd();
  const dir = await Deno.makeTempDir({ prefix: "fgm-recorded-" });
  const stop = async () => {
    await daemon.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const tag = crypto.randomUUID().slice(0, 8);
  const names = { busy: `busy-${tag}`, spiky: `spiky-${tag}`, idle: `idle-${tag}` };
  try {
    const busy = await daemon.run({
      name: names.busy,
      cpus: 0.8,
      memory: "64m",
      cmd: ["sh", "-c", "while :; do :; done & sleep 3600; true"],
    });
    const spiky = await daemon.run({
      name: names.spiky,
      cpus: 0.5,
      memory: "64m",
      cmd: SPIKE_CMD,
    });
    const idle = await daemon.run({
      name: names.idle,
      memory: "64m",
      cmd: ["sh", "-c", "sleep 3600; true"],
    });
    const collector = spawnFgm([
      "collect",
      "--out",
      dir,
      "--identifier",
      node,
      "--duration",
      `${seconds}s`,
      "--flush",
      "5s",
    ]);
    const out = await collector.output();
    const collectorStderr = new TextDecoder().decode(out.stderr);
    if (out.code !== 0) throw new Error(`fgm collect exited ${out.code}: ${collectorStderr}`);
    return { dir, node, ids: { busy, spiky, idle }, names, tag, collectorStderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
