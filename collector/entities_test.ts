import assert from "node:assert/strict";
import {
  ENTITIES_METADATA_KEY,
  entitiesMetadata,
  entitiesOf,
  type EntityList,
  labelColumns,
  mergeEntities,
  mergeFileMetadata,
  parseEntities,
} from "./entities.ts";
import { CONTAINERS, HOST, PROCESSES, TABLES } from "./tables.ts";
import { appendValues, bufferColumns, newBuffer } from "./table_buffer.ts";
import { CONTRACT_METADATA_KEY } from "./columns.ts";

const T0 = Date.UTC(2026, 11, 4, 10);

Deno.test("REQ-DATA-005: entitiesOf() lists each container once with its last labels, first and last time and rows", () => {
  const b = newBuffer(CONTAINERS);
  for (let s = 0; s < 3; s++) {
    appendValues(b, { time: T0 + s * 1000, node: "n", container_id: "a", container_name: "web" });
    appendValues(b, {
      time: T0 + s * 1000,
      node: "n",
      container_id: "b",
      container_name: "db",
      // Learned at the third sample.
      pod_name: s === 2 ? "db-0" : null,
    });
  }
  const list = entitiesOf(CONTAINERS, bufferColumns(b), b.rows);
  assert.deepEqual(list.columns, labelColumns(CONTAINERS));
  assert.ok(list.columns.includes("container_id") && list.columns.includes("pod_labels"));
  const col = (name: string) => list.columns.indexOf(name);
  const n = list.columns.length;
  assert.equal(list.rows.length, 2);
  const db = list.rows.find((r) => r[col("container_id")] === "b")!;
  assert.equal(db[col("pod_name")], "db-0");
  assert.deepEqual(db.slice(n), [T0, T0 + 2000, 3]);
  // Processes are keyed by container and PID; the host is one entity.
  const p = newBuffer(PROCESSES);
  appendValues(p, { time: T0, node: "n", container_id: "a", pid: 1, comm: "sh" });
  appendValues(p, { time: T0, node: "n", container_id: "b", pid: 1, comm: "sh" });
  appendValues(p, { time: T0 + 1000, node: "n", container_id: "a", pid: 1, comm: "sh" });
  assert.equal(entitiesOf(PROCESSES, bufferColumns(p), p.rows).rows.length, 2);
  const h = newBuffer(HOST);
  appendValues(h, { time: T0, node: "n" });
  appendValues(h, { time: T0 + 1000, node: "n" });
  assert.deepEqual(entitiesOf(HOST, bufferColumns(h), h.rows).rows, [["n", T0, T0 + 1000, 2]]);
});

Deno.test("REQ-DATA-005: mergeEntities() unions lists: earliest first, latest last, summed rows, latest labels", () => {
  const columns = ["node", "container_id", "container_name"];
  const a: EntityList = {
    columns,
    rows: [["n", "x", "old", 10, 20, 2], ["n", "y", "y", 10, 10, 1]],
  };
  const b: EntityList = { columns, rows: [["n", "x", "new", 30, 40, 2]] };
  const merged = mergeEntities([b, a], ["container_id"]);
  assert.deepEqual(merged.rows.sort(), [["n", "x", "new", 10, 40, 4], ["n", "y", "y", 10, 10, 1]]);
  assert.throws(() => mergeEntities([a, { columns: ["x"], rows: [] }], ["x"]), /different columns/);
});

Deno.test("REQ-DATA-005: mergeFileMetadata() keeps the contract and unions the entities; a source without a list drops it", () => {
  const list = (id: string, t: number): Record<string, string> => ({
    [CONTRACT_METADATA_KEY]: "2",
    ...entitiesMetadata({
      columns: labelColumns(CONTAINERS),
      rows: [[...labelColumns(CONTAINERS).map((c) => (c === "container_id" ? id : null)), t, t, 1]],
    }),
  });
  const merged = mergeFileMetadata([list("a", 1), list("b", 2), list("a", 3)], TABLES);
  assert.equal(merged[CONTRACT_METADATA_KEY], "2");
  const back = parseEntities(merged[ENTITIES_METADATA_KEY])!;
  assert.equal(back.rows.length, 2);
  const without = mergeFileMetadata([list("a", 1), { [CONTRACT_METADATA_KEY]: "2" }], TABLES);
  assert.deepEqual(without, { [CONTRACT_METADATA_KEY]: "2" });
  assert.equal(parseEntities("{"), null);
  assert.equal(parseEntities('{"columns":["a"],"rows":[[1]]}'), null, "rows of the wrong width");
});
