/**
 * Rates from kernel counters between two consecutive samples. A counter that went backwards (a
 * container restarted, a cgroup was recreated, a counter wrapped) or is unknown on either side
 * gives `null`, never a negative or a made-up zero. Each rate belongs to the interval it was
 * measured over; nothing is interpolated.
 *
 * @module
 */

import type { NetDevice } from "./parse/proc_net_dev.ts";
import type { Pressure } from "./parse/pressure.ts";
import type { CgroupStats } from "./cgroup_stats.ts";

/** `after - before`, or `null` when either is unknown or the counter went backwards. */
export function counterDelta(
  before: number | null | undefined,
  after: number | null | undefined,
): number | null {
  if (before === null || before === undefined || after === null || after === undefined) {
    return null;
  }
  return after >= before ? after - before : null;
}

/** `delta / seconds`, or `null`. */
export function perSecond(delta: number | null, seconds: number): number | null {
  return delta === null || seconds <= 0 ? null : delta / seconds;
}

/**
 * Microseconds that tasks stalled between two readings of one PSI file (`cpu.pressure`,
 * `/proc/pressure/memory`, …), from its `total=` counter (µs) on the `some` or `full` line: the
 * exact stall time of that interval, where `avg10` is a 10-s exponential average that the kernel
 * recomputes every 2 s. `null` when either reading lacks the line or the counter went backwards.
 */
export function stallMicroseconds(
  before: Pressure | null | undefined,
  after: Pressure | null | undefined,
  line: "some" | "full",
): number | null {
  const a = line === "some" ? before?.some.totalUs : before?.full?.totalUs;
  const b = line === "some" ? after?.some.totalUs : after?.full?.totalUs;
  return counterDelta(a, b);
}

/** {@linkcode stallMicroseconds} in seconds. */
export function stallSeconds(
  before: Pressure | null | undefined,
  after: Pressure | null | undefined,
  line: "some" | "full",
): number | null {
  const us = stallMicroseconds(before, after, line);
  return us === null ? null : us / 1e6;
}

/** A container's rates over one interval. */
export interface ContainerRates {
  seconds: number;
  cpuMillicores: number | null;
  cpuUserMillicores: number | null;
  cpuSystemMillicores: number | null;
  /** CFS periods that elapsed in the interval. */
  cpuPeriods: number | null;
  /** Of those, periods in which the cgroup was throttled. */
  cpuThrottledPeriods: number | null;
  /** Time the cgroup's threads spent throttled in the interval (summed over CPUs). */
  cpuThrottledSeconds: number | null;
  /** The same in nanoseconds, as the kernel counts it (v2's `throttled_usec` × 1000). */
  cpuThrottledNs: number | null;
  ioReadBytesPerSecond: number | null;
  ioWriteBytesPerSecond: number | null;
  /** Bytes in the interval (not per second), for columns that sum over intervals. */
  ioReadBytes: number | null;
  ioWriteBytes: number | null;
  networkRxBytes: number | null;
  networkTxBytes: number | null;
  networkRxBytesPerSecond: number | null;
  networkTxBytesPerSecond: number | null;
  oomKills: number | null;
}

const NS_PER_MILLICORE_SECOND = 1e6;

/** Sum of a field over interfaces, or `null` when there are none. */
export function sumInterfaces(
  devices: NetDevice[] | null,
  field: "rxBytes" | "txBytes" | "rxPackets" | "txPackets",
): number | null {
  if (devices === null) return null;
  let sum = 0;
  for (const d of devices) sum += d[field];
  return sum;
}

/** Rates of one container between two samples `seconds` apart. */
export function containerRates(
  before: { stats: CgroupStats; network: NetDevice[] | null },
  after: { stats: CgroupStats; network: NetDevice[] | null },
  seconds: number,
): ContainerRates {
  const a = before.stats;
  const b = after.stats;
  const cpu = (f: "usageNs" | "userNs" | "systemNs") => {
    const d = perSecond(counterDelta(a.cpu[f], b.cpu[f]), seconds);
    return d === null ? null : d / NS_PER_MILLICORE_SECOND;
  };
  const throttledNs = counterDelta(a.cpu.throttledNs, b.cpu.throttledNs);
  const read = counterDelta(a.io.readBytes, b.io.readBytes);
  const write = counterDelta(a.io.writeBytes, b.io.writeBytes);
  const rx = counterDelta(
    sumInterfaces(before.network, "rxBytes"),
    sumInterfaces(after.network, "rxBytes"),
  );
  const tx = counterDelta(
    sumInterfaces(before.network, "txBytes"),
    sumInterfaces(after.network, "txBytes"),
  );
  return {
    seconds,
    cpuMillicores: cpu("usageNs"),
    cpuUserMillicores: cpu("userNs"),
    cpuSystemMillicores: cpu("systemNs"),
    cpuPeriods: counterDelta(a.cpu.periods, b.cpu.periods),
    cpuThrottledPeriods: counterDelta(a.cpu.throttledPeriods, b.cpu.throttledPeriods),
    cpuThrottledSeconds: throttledNs === null ? null : throttledNs / 1e9,
    cpuThrottledNs: throttledNs,
    ioReadBytesPerSecond: perSecond(read, seconds),
    ioWriteBytesPerSecond: perSecond(write, seconds),
    ioReadBytes: read,
    ioWriteBytes: write,
    networkRxBytes: rx,
    networkTxBytes: tx,
    networkRxBytesPerSecond: perSecond(rx, seconds),
    networkTxBytesPerSecond: perSecond(tx, seconds),
    oomKills: counterDelta(a.memory.oomKills, b.memory.oomKills),
  };
}
