/**
 * The data contract (specs/data_contract.md) on a recording of real containers: three Parquet
 * implementations besides fgm's own open each table folder with the one line the README gives,
 * see plain integer, double, timestamp and string columns, and read the same rows as hyparquet.
 */

import { lockMachine } from "./support/machine_lock.ts";
import assert from "node:assert/strict";
import { requireRuntime } from "./support/available.ts";
import { startDockerd } from "./support/dockerd.ts";
import { queryParquet, sqlString } from "./support/duckdb.ts";
import { spawnFgm } from "./support/fgm.ts";
import {
  normalise,
  readWithArrow,
  readWithDuckDB,
  readWithPolars,
  type Value,
} from "./support/parquet_readers.ts";
import { listDataFiles, parseFileName } from "../collector/files.ts";
import { openTableFile, readTableFile } from "../collector/parquet/read.ts";
import { TABLES } from "../collector/tables.ts";
import { ENTITIES_METADATA_KEY, parseEntities } from "../collector/entities.ts";
import { CONTRACT_METADATA_KEY, CONTRACT_VERSION, type Table } from "../collector/columns.ts";

/** Each reader's name of each declared type: what a numeric column must arrive as. */
const EXPECTED: Record<string, Record<string, string>> = {
  duckdb: {
    timestamp_ms: "TIMESTAMP WITH TIME ZONE",
    int32: "INTEGER",
    int64: "BIGINT",
    double: "DOUBLE",
    string: "VARCHAR",
  },
  polars: {
    timestamp_ms: "Datetime",
    int32: "Int32",
    int64: "Int64",
    double: "Float64",
    string: "String",
  },
  arrow: {
    timestamp_ms: "Timestamp<MILLISECOND, UTC>",
    int32: "Int32",
    int64: "Int64",
    double: "Float64",
    string: "Utf8",
  },
};

/** The columns that tell rows of a table apart within a sample. */
function keyOf(table: Table): string[] {
  return table.name === "containers"
    ? ["time", "container_id"]
    : table.name === "processes"
    ? ["time", "pid"]
    : ["time"];
}

/** Rows restricted to the table's columns, sorted by its key. */
function canonical(table: Table, rows: Record<string, Value>[]): Value[][] {
  const key = keyOf(table).map((k) => table.columns.findIndex((c) => c.name === k));
  return rows
    .map((r) => table.columns.map((c) => (c.name in r ? r[c.name] : "<missing>")))
    .sort((a, b) => {
      for (const i of key) {
        const x = a[i] as number | string;
        const y = b[i] as number | string;
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });
}

/** Every row of every data file of a table, as hyparquet reads them. */
async function readWithHyparquet(out: string, table: Table): Promise<Record<string, Value>[]> {
  const rows: Record<string, Value>[] = [];
  for (const f of listDataFiles(out).filter((f) => f.table === table.name)) {
    const t = await readTableFile(f.path);
    for (let i = 0; i < t.rowCount; i++) {
      rows.push(
        Object.fromEntries(table.columns.map((c) => [c.name, normalise(t.columns[c.name][i])])),
      );
    }
  }
  return rows;
}

/** Every file under `dir`, relative to it. */
function walk(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...walk(`${dir}/${e.name}`, rel));
    else out.push(rel);
  }
  return out;
}

Deno.test({
  name:
    "REQ-DATA-001, REQ-DATA-002, REQ-DATA-003: DuckDB, Polars and arrow-rs open each table folder in one line and agree with hyparquet",
  ignore: !requireRuntime("docker"),
  sanitizeResources: false,
  fn: async (t) => {
    // It asserts on what the recording holds: no other test's containers meanwhile.
    await using _machine = await lockMachine("exclusive");
    const daemon = await startDockerd();
    const out = Deno.makeTempDirSync({ prefix: "fgm-contract-" });
    try {
      const busy = await daemon.run({ name: "busy", cpus: 0.3, memory: "128m" });
      await daemon.run({ name: "idle", cmd: ["sleep", "3600"] });
      // Segments every second, first-tier windows of 2 s and merges: every kind of file.
      const child = spawnFgm([
        "collect",
        "--out",
        out,
        "--identifier",
        "node-a",
        "--duration",
        "12s",
        "--flush",
        "1s",
        "--compact-after",
        "1s",
        "--compact-span",
        "30s",
        "--pss-interval",
        "2s",
      ]);
      const r = await child.output();
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
      const files = listDataFiles(out);
      assert.ok(files.some((f) => f.compacted) && files.some((f) => !f.compacted));

      await t.step(
        "REQ-DATA-001: a table folder holds its Parquet files and nothing a reader takes for data",
        () => {
          assert.deepEqual(
            Deno.readDirSync(out).map((e) => e.name).toArray().sort(),
            [".fgm-collect.lock", "containers", "host", "processes", "session.json"],
          );
          for (const table of TABLES) {
            for (const rel of walk(`${out}/${table.name}`)) {
              const parts = rel.split("/");
              const name = parts.at(-1)!;
              if (name.startsWith(".") || name.startsWith("_")) continue; // skipped by every reader
              assert.equal(parts.length, 3, rel);
              assert.match(parts[0], /^dt=\d{4}-\d{2}-\d{2}$/);
              assert.equal(parts[1], "identifier=node-a");
              assert.equal(parseFileName(name)?.table, table.name, rel);
            }
          }
        },
      );

      await t.step("REQ-DATA-003: every file carries the contract's version", async () => {
        for (const f of files) {
          const file = await openTableFile(f.path);
          file.close();
          assert.equal(file.metadata[CONTRACT_METADATA_KEY], String(CONTRACT_VERSION), f.path);
        }
        const kv = await queryParquet(
          `SELECT DISTINCT decode(value) AS v FROM parquet_kv_metadata(${
            sqlString(`${out}/*/**/*.parquet`)
          }) WHERE decode(key) = ${sqlString(CONTRACT_METADATA_KEY)}`,
        );
        assert.deepEqual(kv, [{ v: String(CONTRACT_VERSION) }]);
      });

      await t.step(
        "REQ-DATA-005: every file lists its entities, as its rows have them",
        async () => {
          for (const f of files) {
            const table = TABLES.find((t) => t.name === f.table)!;
            const data = await readTableFile(f.path);
            const list = parseEntities(data.metadata[ENTITIES_METADATA_KEY]);
            assert.ok(list !== null, `${f.path} has ${ENTITIES_METADATA_KEY}`);
            const keys = new Set<string>();
            for (let i = 0; i < data.rowCount; i++) {
              keys.add(JSON.stringify(table.key.map((k) => data.columns[k][i])));
            }
            const listed = new Set(
              list.rows.map((r) =>
                JSON.stringify(table.key.map((k) => r[list.columns.indexOf(k)]))
              ),
            );
            assert.deepEqual(listed, keys, f.path);
            const n = list.columns.length;
            assert.equal(
              list.rows.reduce((sum, r) => sum + (r[n + 2] as number), 0),
              data.rowCount,
            );
          }
        },
      );

      for (const table of TABLES) {
        await t.step(
          `REQ-DATA-002: ${table.name}: three readers, declared types, the same rows`,
          async () => {
            const mine = canonical(table, await readWithHyparquet(out, table));
            assert.ok(mine.length > 0, `${table.name} has rows`);
            const readers = {
              duckdb: await readWithDuckDB(out, table.name),
              polars: await readWithPolars(out, table.name),
              arrow: readWithArrow(out, table.name),
            };
            for (const [reader, read] of Object.entries(readers)) {
              for (const c of table.columns) {
                assert.equal(read.types[c.name], EXPECTED[reader][c.type], `${reader}: ${c.name}`);
              }
              if (reader !== "arrow") {
                // The hive partitions, as typed columns of their own.
                assert.ok(read.rows.every((r) => r.identifier === "node-a"), reader);
                assert.ok(read.rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(String(r.dt))), reader);
              }
              assert.deepEqual(
                canonical(table, read.rows),
                mine,
                `${reader} reads what hyparquet reads`,
              );
            }
          },
        );
      }

      await t.step("REQ-DATA-002: values are whole millicores and µs near the truth", async () => {
        const [b] = await queryParquet(`
          SELECT avg(cpu_usage_millicores) AS cpu, max(cpu_limit_millicores) AS lim,
                 sum(cpu_throttled_usec) AS throttled, sum(cpu_pressure_some_usec) AS stalled,
                 count(cpu_usage_millicores) AS rated, count(*) AS n
          FROM read_parquet(${
          sqlString(`${out}/containers/**/*.parquet`)
        }, hive_partitioning = true)
          WHERE container_id = ${sqlString(busy)}`);
        assert.ok(Math.abs(Number(b.cpu) - 300) <= 30, `busy at ${b.cpu} m`);
        assert.equal(Number(b.lim), 300);
        assert.ok(Number(b.throttled) > 0 && Number(b.stalled) > 0, "throttled and stalled µs");
        assert.equal(Number(b.rated), Number(b.n) - 1, "the first sample has no rate");
      });
    } finally {
      await daemon.stop();
      Deno.removeSync(out, { recursive: true });
    }
  },
});
