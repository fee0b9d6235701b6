import assert from "node:assert/strict";
import {
  appendColumns,
  appendRow,
  appendSweep,
  bufferColumns,
  type CollectorFigures,
  columnValues,
  newBuffer,
  retainRows,
  selectRows,
  type TableBuffer,
  TABLES,
} from "./tables.ts";
import { vectorAt } from "./parquet/write.ts";
import { id, MiB, snapshot, T0 } from "../monitor/testing_snapshots.ts";

/** Every column of a buffer as plain values. */
function cols(buffer: TableBuffer): Record<string, unknown[]> {
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
};

function buffers() {
  return {
    containers: newBuffer(TABLES[0]),
    processes: newBuffer(TABLES[1]),
    host: newBuffer(TABLES[2]),
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
  assert.deepEqual(c.cpu_throttled_seconds, [null, 0.08]);
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

Deno.test("REQ-COL-031: specs/collector.md documents every column of every table", () => {
  const spec = Deno.readTextFileSync(new URL("../specs/collector.md", import.meta.url));
  for (const table of TABLES) {
    assert.match(spec, new RegExp(`### Table \`${table.name}\``));
    for (const column of table.columns) {
      const row = spec.split("\n").some((line) => line.startsWith(`| \`${column.name}\` `));
      assert.ok(row, `${table.name}.${column.name} undocumented`);
    }
  }
});

Deno.test("REQ-K8S-010: appendSweep() writes pod labels as JSON with sorted keys", () => {
  const b = buffers();
  const s = snapshot(T0, { containers: [{ id: A, pids: [] }, { id: id("b"), pids: [] }] });
  appendSweep(b, null, s, "n", SELF, {
    podLabels: (c) => c.id === A ? { tier: "web", app: "shop" } : null,
  });
  assert.deepEqual(cols(b.containers).pod_labels, ['{"app":"shop","tier":"web"}', null]);
});

Deno.test("appendRow() keeps numbers exactly and nulls as nulls past the initial capacity", () => {
  const b = newBuffer(TABLES[1]);
  const big = 2 ** 53 - 1; // memory and I/O byte counts are int64
  for (let i = 0; i < 1000; i++) {
    appendRow(b, {
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
  assert.throws(() => appendRow(b, { pid: "12" }), /column "pid": expected a number/);
});

Deno.test("selectRows() and retainRows() keep the chosen rows of every column", () => {
  const b = newBuffer(TABLES[1]);
  for (let i = 0; i < 5; i++) appendRow(b, { time: T0 + i, pid: i, comm: `p${i}` });
  const picked = selectRows(b, [1, 3]);
  assert.equal(vectorAt(picked.pid, 0), 1);
  assert.equal(vectorAt(picked.pid, 1), 3);
  assert.equal(vectorAt(picked.comm, 1), "p3");
  retainRows(b, [3, 4]);
  assert.equal(b.rows, 2);
  assert.deepEqual(columnValues(b, "pid"), [3, 4]);
  assert.deepEqual(columnValues(b, "comm"), ["p3", "p4"]);
  appendRow(b, { time: T0 + 9, pid: 9, comm: "p9" });
  assert.deepEqual(columnValues(b, "pid"), [3, 4, 9]);
  retainRows(b, []);
  assert.equal(b.rows, 0);
  assert.deepEqual(columnValues(b, "comm"), []);
  appendRow(b, { time: T0, pid: 7 });
  assert.deepEqual(columnValues(b, "pid"), [7]);
});

Deno.test("appendColumns() copies rows of masked and plain columns and shares equal strings", () => {
  const from = newBuffer(TABLES[1]);
  for (let i = 0; i < 5; i++) {
    appendRow(from, {
      time: T0 + i * 1000,
      node: "n",
      container_id: "c",
      pid: i,
      comm: `sh${i % 2}`,
      memory_rss_bytes: i === 2 ? null : i * MiB,
    });
  }
  const to = newBuffer(TABLES[1]);
  const strings = new Map<string, string>();
  appendColumns(to, bufferColumns(from), 3, strings);
  // Plain arrays for the numeric columns too (as read back from a file).
  const plain = Object.fromEntries(
    TABLES[1].columns.map((c) => [c.name, columnValues(from, c.name).slice(3)]),
  );
  appendColumns(to, plain, 2, strings);
  assert.equal(to.rows, 5);
  for (const c of TABLES[1].columns) {
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

Deno.test("REQ-COL-032: appendSweep() writes each PSI line's stall seconds of the interval, null at the first sample", () => {
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
  assert.deepEqual(c.cpu_pressure_some_seconds, [null, 0.812345]);
  assert.deepEqual(c.cpu_pressure_full_seconds, [null, 0.406173]); // 406 172.5 µs, to 1 µs
  assert.deepEqual(c.memory_pressure_some_seconds, [null, 0.001]);
  assert.deepEqual(c.memory_pressure_full_seconds, [null, null], "no full line");
  assert.deepEqual(c.io_pressure_some_seconds, [null, null], "no io.pressure");
  assert.deepEqual(c.cpu_pressure_some_avg10, [12.5, 12.5], "avg10 as the kernel prints it");
  const h = cols(b.host);
  assert.deepEqual(h.cpu_pressure_some_seconds, [null, 1.62469]);
  assert.deepEqual(h.memory_pressure_full_seconds, [null, 0.00025]);
  assert.deepEqual(h.io_pressure_some_seconds, [null, 0]);
  assert.ok(!("cpu_pressure_full_seconds" in h), "the host's cpu has no full line to speak of");
});

Deno.test("REQ-COL-033: appendRow() buffers a value its column's type cannot hold as null and counts it", () => {
  const b = newBuffer(TABLES[0]);
  appendRow(b, {
    time: T0,
    node: "n",
    container_id: A,
    cpu_throttled_seconds: 1000, // 1e9 µs: past a 9-digit decimal
    cpu_periods: 2 ** 31, // past int32
    pids: 1.5, // a fraction in an integer column
    memory_usage_bytes: 2 ** 53 + 2, // past what an int64 keeps exactly here
    cpu_pressure_some_avg10: NaN,
    cpu_usage_millicores: 99_999_999.9, // the largest 0.1-m value that fits
  });
  const c = cols(b);
  assert.deepEqual(c.cpu_throttled_seconds, [null]);
  assert.deepEqual(c.cpu_periods, [null]);
  assert.deepEqual(c.pids, [null]);
  assert.deepEqual(c.memory_usage_bytes, [null]);
  assert.deepEqual(c.cpu_pressure_some_avg10, [null]);
  assert.deepEqual(c.cpu_usage_millicores, [99_999_999.9]);
  assert.equal(b.unstorable, 5);
  assert.equal(b.unstorableColumn, "pids"); // the last of them in column order
  // What was buffered encodes: the nulls keep the file writable.
  appendRow(b, { time: T0 + 1000, node: "n", container_id: A, cpu_throttled_seconds: 999.999999 });
  assert.deepEqual(cols(b).cpu_throttled_seconds, [null, 999.999999]);
  assert.equal(b.unstorable, 5);
});
