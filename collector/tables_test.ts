import assert from "node:assert/strict";
import {
  appendSweep,
  type CollectorFigures,
  CONTAINERS,
  HOST,
  PROCESSES,
  type TableBuffers,
} from "./tables.ts";
import {
  appendColumns,
  appendValues,
  bufferColumns,
  columnValues,
  newBuffer,
  retainRows,
  selectRows,
  type TableBuffer,
} from "./table_buffer.ts";
import { vectorAt } from "./parquet/write.ts";
import { id, MiB, snapshot, T0 } from "../monitor/testing_snapshots.ts";

/** Every column of a buffer as plain values. */
function cols(buffer: TableBuffer<unknown>): Record<string, unknown[]> {
  return Object.fromEntries(
    buffer.table.columns.map((c) => [c.name, columnValues(buffer, c.name)]),
  );
}

const SELF: CollectorFigures = {
  cpuMillicores: 3,
  rssBytes: 40 * MiB,
  sweepMs: 1.5,
  pssMs: null,
  missedTicks: 0,
  errors: 0,
  writeErrors: 0,
};

function buffers(): TableBuffers {
  return {
    containers: newBuffer(CONTAINERS),
    processes: newBuffer(PROCESSES),
    host: newBuffer(HOST),
  };
}

const A = id("a");

function sweepAt(seconds: number, usageNs: number, throttled: number, utime: number) {
  return snapshot(T0 + seconds * 1000, {
    containers: [{
      id: A,
      name: "web",
      pids: [10],
      stats: {
        cpu: {
          usageNs,
          periods: seconds * 10,
          throttledPeriods: throttled,
          throttledNs: throttled * 1e7,
          limitMillicores: 200,
        },
        memory: { usageBytes: 50 * MiB, limitBytes: null },
        io: { readBytes: seconds * 4096, writeBytes: 0 },
      },
      network: [{
        name: "eth0",
        rxBytes: seconds * 1000,
        txBytes: 0,
        rxPackets: 0,
        txPackets: 0,
        rxErrors: 0,
        rxDropped: 0,
        txErrors: 0,
        txDropped: 0,
      }],
    }],
    processes: [
      { pid: 10, comm: "nginx", utimeTicks: utime, io: { readBytes: 0, writeBytes: 0 } },
      {
        pid: 99,
        comm: "sshd",
      },
    ],
  });
}

Deno.test("REQ-COL-004: appendSweep() writes null rates at the first sample, then interval values", () => {
  const b = buffers();
  const s0 = sweepAt(0, 0, 0, 0);
  const s1 = sweepAt(1, 200_000_000, 8, 20);
  appendSweep(b, null, s0, "n", SELF);
  appendSweep(b, s0, s1, "n", SELF);
  const c = cols(b.containers);
  assert.equal(b.containers.rows, 2);
  assert.deepEqual(c.cpu_usage_millicores, [null, 200]);
  assert.deepEqual(c.cpu_throttled_periods, [null, 8]);
  assert.deepEqual(c.cpu_throttled_usec, [null, 80_000]);
  assert.deepEqual(c.cpu_periods, [null, 10]);
  assert.deepEqual(c.cpu_limit_millicores, [200, 200]);
  assert.deepEqual(c.memory_limit_bytes, [null, null], "unlimited is null, not a magic number");
  assert.deepEqual(c.io_read_bytes, [null, 4096]);
  assert.deepEqual(c.network_rx_bytes, [null, 1000]);
  assert.deepEqual(c.time, [T0, T0 + 1000]);
  assert.deepEqual(c.container_name, ["web", "web"]);
  // Only containerised processes by default; 20 ticks in 1 s = 200 m.
  assert.deepEqual(cols(b.processes).pid, [10, 10]);
  assert.deepEqual(cols(b.processes).cpu_usage_millicores, [null, 200]);
  assert.deepEqual(cols(b.processes).container_id, [A, A]);
  assert.equal(b.host.rows, 2);
  assert.deepEqual(cols(b.host).collector_rss_bytes, [40 * MiB, 40 * MiB]);
});

Deno.test("REQ-COL-004: appendSweep() writes null, not a negative, when a counter went back", () => {
  const b = buffers();
  const s0 = sweepAt(5, 900_000_000, 30, 50);
  const s1 = sweepAt(6, 100_000_000, 2, 60); // container restarted: cgroup counters reset
  appendSweep(b, s0, s1, "n", SELF);
  assert.deepEqual(cols(b.containers).cpu_usage_millicores, [null]);
  assert.deepEqual(cols(b.containers).cpu_throttled_periods, [null]);
  assert.deepEqual(cols(b.processes).cpu_usage_millicores, [100]);
});

Deno.test("REQ-COL-005: appendSweep() sums PSS only on PSS ticks and can include host processes", () => {
  const b = buffers();
  const s = snapshot(T0, {
    containers: [{ id: A, pids: [10, 11] }],
    processes: [{ pid: 10, pssBytes: 3 * MiB }, { pid: 11, pssBytes: 1 * MiB }, { pid: 99 }],
  });
  appendSweep(b, null, s, "n", SELF, { hostProcesses: true });
  assert.deepEqual(cols(b.containers).memory_pss_bytes, [4 * MiB]);
  assert.deepEqual(cols(b.processes).pid, [10, 11, 99]);
  assert.deepEqual(cols(b.processes).container_id, [A, A, null]);
  const noPss = buffers();
  appendSweep(
    noPss,
    null,
    snapshot(T0, { containers: [{ id: A, pids: [10] }], processes: [{ pid: 10 }] }),
    "n",
    SELF,
  );
  assert.deepEqual(cols(noPss.containers).memory_pss_bytes, [null]);
});

Deno.test("REQ-K8S-010: appendSweep() writes pod labels as JSON with sorted keys", () => {
  const b = buffers();
  const s = snapshot(T0, { containers: [{ id: A, pids: [] }, { id: id("b"), pids: [] }] });
  appendSweep(b, null, s, "n", SELF, {
    podLabels: (c) => c.id === A ? { tier: "web", app: "shop" } : null,
  });
  assert.deepEqual(cols(b.containers).pod_labels, ['{"app":"shop","tier":"web"}', null]);
});

Deno.test("appendValues() keeps numbers exactly and nulls as nulls past the initial capacity", () => {
  const b = newBuffer(PROCESSES);
  const big = 2 ** 53 - 1; // memory and I/O byte counts are int64
  for (let i = 0; i < 1000; i++) {
    appendValues(b, {
      time: T0 + i,
      pid: i,
      memory_rss_bytes: i % 3 === 0 ? null : big - i,
      comm: i % 2 ? "sh" : null,
    });
  }
  assert.equal(b.rows, 1000);
  const rss = columnValues(b, "memory_rss_bytes");
  assert.equal(rss[0], null);
  assert.equal(rss[1], big - 1);
  assert.equal(rss[999], null);
  assert.equal(rss[998], big - 998);
  assert.deepEqual(columnValues(b, "comm").slice(0, 3), [null, "sh", null]);
  assert.equal(columnValues(b, "ppid")[500], null, "a missing column is null");
  const view = bufferColumns(b);
  assert.equal(vectorAt(view.memory_rss_bytes, 2), big - 2);
  assert.equal(vectorAt(view.memory_rss_bytes, 3), null);
  assert.throws(() => appendValues(b, { pid: "12" }), /column "pid": expected a number/);
  assert.throws(
    () => appendValues(b, { pids: 1 } as Record<string, number>),
    /column "pids": no such column in "processes"/,
  );
});

Deno.test("selectRows() and retainRows() keep the chosen rows of every column", () => {
  const b = newBuffer(PROCESSES);
  for (let i = 0; i < 5; i++) appendValues(b, { time: T0 + i, pid: i, comm: `p${i}` });
  const picked = selectRows(b, [1, 3]);
  assert.equal(vectorAt(picked.pid, 0), 1);
  assert.equal(vectorAt(picked.pid, 1), 3);
  assert.equal(vectorAt(picked.comm, 1), "p3");
  retainRows(b, [3, 4]);
  assert.equal(b.rows, 2);
  assert.deepEqual(columnValues(b, "pid"), [3, 4]);
  assert.deepEqual(columnValues(b, "comm"), ["p3", "p4"]);
  appendValues(b, { time: T0 + 9, pid: 9, comm: "p9" });
  assert.deepEqual(columnValues(b, "pid"), [3, 4, 9]);
  retainRows(b, []);
  assert.equal(b.rows, 0);
  assert.deepEqual(columnValues(b, "comm"), []);
  appendValues(b, { time: T0, pid: 7 });
  assert.deepEqual(columnValues(b, "pid"), [7]);
});

Deno.test("appendColumns() copies rows of masked and plain columns and shares equal strings", () => {
  const from = newBuffer(PROCESSES);
  for (let i = 0; i < 5; i++) {
    appendValues(from, {
      time: T0 + i * 1000,
      node: "n",
      container_id: "c",
      pid: i,
      comm: `sh${i % 2}`,
      memory_rss_bytes: i === 2 ? null : i * MiB,
    });
  }
  const to = newBuffer(PROCESSES);
  const strings = new Map<string, string>();
  appendColumns(to, bufferColumns(from), 3, strings);
  // Plain arrays for the numeric columns too (as read back from a file).
  const plain = Object.fromEntries(
    PROCESSES.columns.map((c) => [c.name, columnValues(from, c.name).slice(3)]),
  );
  appendColumns(to, plain, 2, strings);
  assert.equal(to.rows, 5);
  for (const c of PROCESSES.columns) {
    assert.deepEqual(columnValues(to, c.name), columnValues(from, c.name), c.name);
  }
  const comm = columnValues(to, "comm");
  assert.deepEqual([...strings.keys()].sort(), ["c", "n", "sh0", "sh1"]);
  assert.ok(comm[0] === strings.get("sh0") && comm[2] === strings.get("sh0"));
  assert.throws(
    () => appendColumns(to, { ...plain, pid: ["x", "y"] }, 2),
    /Cannot buffer column "pid": expected a number, got string/,
  );
});

Deno.test("REQ-COL-032: appendSweep() writes each PSI line's stall microseconds of the interval, null at the first sample", () => {
  const psi = (some: number, full: number | null) => ({
    some: { avg10: 12.5, avg60: 3, avg300: 1, totalUs: some },
    full: full === null ? null : { avg10: 2, avg60: 1, avg300: 0, totalUs: full },
  });
  const at = (seconds: number, cpu: number, mem: number) =>
    snapshot(T0 + seconds * 1000, {
      host: {
        pressure: { cpu: psi(cpu * 2, 0), memory: psi(mem, mem / 4), io: psi(7, 7) },
      },
      containers: [{
        id: A,
        stats: { pressure: { cpu: psi(cpu, cpu / 2), memory: psi(mem, null), io: null } },
      }],
    });
  const b = buffers();
  const s0 = at(0, 1_000_000, 40);
  const s1 = at(1, 1_812_345, 1_040);
  appendSweep(b, null, s0, "n", SELF);
  appendSweep(b, s0, s1, "n", SELF);
  const c = cols(b.containers);
  assert.deepEqual(c.cpu_pressure_some_usec, [null, 812_345], "the kernel's own µs, exactly");
  assert.deepEqual(c.cpu_pressure_full_usec, [null, 406_173], "406 172.5 µs: rounded to whole µs");
  assert.deepEqual(c.memory_pressure_some_usec, [null, 1000]);
  assert.deepEqual(c.memory_pressure_full_usec, [null, null], "no full line");
  assert.deepEqual(c.io_pressure_some_usec, [null, null], "no io.pressure");
  assert.deepEqual(c.cpu_pressure_some_avg10, [12.5, 12.5], "avg10 as the kernel prints it");
  const h = cols(b.host);
  assert.deepEqual(h.cpu_pressure_some_usec, [null, 1_624_690]);
  assert.deepEqual(h.memory_pressure_full_usec, [null, 250]);
  assert.deepEqual(h.io_pressure_some_usec, [null, 0]);
  assert.ok(!("cpu_pressure_full_usec" in h), "the host's cpu has no full line to speak of");
});

Deno.test("REQ-COL-033: appendValues() buffers a value its column's type cannot hold as null and counts it", () => {
  const b = newBuffer(CONTAINERS);
  appendValues(b, {
    time: T0,
    node: "n",
    container_id: A,
    cpu_periods: 2 ** 31, // past int32
    pids: 1.5, // a fraction in an integer column
    memory_usage_bytes: 2 ** 53 + 2, // past what an int64 keeps exactly here
    cpu_pressure_some_avg10: NaN,
    cpu_usage_millicores: 2_147_483_647, // the largest int32
    cpu_throttled_usec: 2 ** 52, // an int64 column holds far more than a 1-s interval
  });
  const c = cols(b);
  assert.deepEqual(c.cpu_periods, [null]);
  assert.deepEqual(c.pids, [null]);
  assert.deepEqual(c.memory_usage_bytes, [null]);
  assert.deepEqual(c.cpu_pressure_some_avg10, [null]);
  assert.deepEqual(c.cpu_usage_millicores, [2_147_483_647]);
  assert.deepEqual(c.cpu_throttled_usec, [2 ** 52]);
  assert.equal(b.unstorable, 4);
  assert.equal(b.unstorableColumn, "pids"); // the last of them in column order
  // What was buffered encodes: the nulls keep the file writable.
  appendValues(b, { time: T0 + 1000, node: "n", container_id: A, cpu_usage_millicores: 12.5 });
  assert.deepEqual(cols(b).cpu_usage_millicores, [2_147_483_647, null], "a fraction: null");
  assert.equal(b.unstorable, 5);
});

Deno.test("REQ-DATA-002: appendSweep() writes whole millicores, rounded, and µs of throttling", () => {
  const b = buffers();
  const s0 = sweepAt(0, 0, 0, 0);
  // 123 456 789 ns over 1 s = 123.456789 m; 3 throttled periods = 30 ms.
  const s1 = sweepAt(1, 123_456_789, 3, 7);
  appendSweep(b, s0, s1, "n", { ...SELF, sweepMs: 1.2345, pssMs: 0.0004 });
  const c = cols(b.containers);
  assert.deepEqual(c.cpu_usage_millicores, [123]);
  assert.deepEqual(c.cpu_throttled_usec, [30_000]);
  const h = cols(b.host);
  assert.deepEqual(h.collector_sweep_usec, [1235], "1.2345 ms = 1234.5 µs, rounded");
  assert.deepEqual(h.collector_pss_usec, [0]);
  for (const buffer of [b.containers, b.processes, b.host]) {
    for (const col of buffer.table.columns) {
      for (const v of columnValues(buffer, col.name)) {
        if (typeof v !== "number" || col.type === "double") continue;
        assert.ok(Number.isInteger(v), `${buffer.table.name}.${col.name} = ${v}`);
      }
    }
  }
});

Deno.test("REQ-RDR-228: appendSweep() writes the memory event counts as they are, null where the kernel keeps none", () => {
  const b = buffers();
  const at = (seconds: number, memory: Record<string, number | null>) =>
    snapshot(T0 + seconds * 1000, {
      containers: [{ id: A, name: "web", pids: [10], stats: { memory } }],
    });
  appendSweep(b, null, at(0, { highEvents: 0, maxEvents: 37, oomEvents: 1 }), "n", SELF);
  appendSweep(b, null, at(1, { highEvents: null, maxEvents: 5, oomEvents: null }), "n", SELF);
  const c = cols(b.containers);
  assert.deepEqual(c.memory_high_events_total, [0, null]);
  assert.deepEqual(c.memory_max_events_total, [37, 5]);
  assert.deepEqual(c.memory_oom_events_total, [1, null]);
  const declared = CONTAINERS.columns.filter((col) => col.name.endsWith("_events_total"));
  assert.deepEqual(declared.map((col) => [col.name, col.unit, col.kind]), [
    ["memory_high_events_total", "count", "total"],
    ["memory_max_events_total", "count", "total"],
    ["memory_oom_events_total", "count", "total"],
  ]);
});
