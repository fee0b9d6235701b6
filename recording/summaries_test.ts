import assert from "node:assert/strict";
import {
  createEntityRegistry,
  createSummaryCache,
  type EntityRegistry,
  summarize,
  type Summary,
} from "./summaries.ts";

const idOf = (node: string, key: (string | number | null)[]) => [node, ...key].join("/");
const keysOf = (s: Summary, r: EntityRegistry) => [...s.entities].map((e) => r.keys[e]);

Deno.test("REQ-VIEW-013: a row group's summary per entity leaves nulls out, any key shape", () => {
  const registry = createEntityRegistry(idOf);
  const metric = {
    kind: "number" as const,
    values: new Float64Array([1, 9, 4, 7, 2, 0]),
    nulls: new Uint8Array([0, 0, 0, 0, 0, 1]),
  };
  const byContainer = summarize(
    6,
    metric,
    [
      { kind: "string", indices: new Int32Array([0, 1, 0, -1, 1, 2]), dictionary: ["a", "b", "c"] },
    ],
    "n",
    registry,
  );
  assert.deepEqual(keysOf(byContainer, registry), [["a"], ["b"], [null], ["c"]]);
  assert.deepEqual([...byContainer.min], [1, 2, 7, Infinity]);
  assert.deepEqual([...byContainer.max], [4, 9, 7, -Infinity]);
  assert.deepEqual([...byContainer.sum], [5, 11, 7, 0]);
  assert.deepEqual([...byContainer.count], [2, 2, 1, 0], "c has only a null: count 0");
  // The next row group's entities are the same registry entries: one id each, not one per group.
  const next = summarize(
    1,
    { kind: "number", values: new Float64Array([3]), nulls: null },
    [
      { kind: "string", indices: new Int32Array([0]), dictionary: ["b"] },
    ],
    "n",
    registry,
  );
  assert.equal(next.entities[0], byContainer.entities[1]);
  assert.equal(registry.ids[next.entities[0]], "n/b");
  const byProcess = summarize(
    6,
    metric,
    [
      { kind: "string", indices: new Int32Array([0, 0, 0, 0, 1, 1]), dictionary: ["a", "b"] },
      { kind: "number", values: new Float64Array([1, 2, 1, 2, 1, 1]), nulls: null },
    ],
    "n",
    registry,
  );
  assert.deepEqual(keysOf(byProcess, registry), [["a", 1], ["a", 2], ["b", 1]]);
  assert.deepEqual([...byProcess.sum], [5, 16, 2]);
  const host = summarize(6, metric, [], "n", registry);
  assert.deepEqual(keysOf(host, registry), [[]]);
  assert.equal(registry.ids[host.entities[0]], "n");
  assert.equal(host.count[0], 5);
  // Many entities: the arrays grow.
  const many = summarize(
    200,
    { kind: "number", values: new Float64Array(200).fill(1), nulls: null },
    [{
      kind: "string",
      indices: Int32Array.from({ length: 200 }, (_, i) => i),
      dictionary: Array.from({ length: 200 }, (_, i) => `c${i}`),
    }],
    "m",
    registry,
  );
  assert.equal(many.entities.length, 200);
  assert.ok(many.count.every((c) => c === 1));
});

Deno.test("REQ-VIEW-013: summaries past the budget are dropped, least recently used first", () => {
  const registry = createEntityRegistry(idOf);
  const one = summarize(
    1,
    { kind: "number", values: new Float64Array([1]), nulls: null },
    [],
    "n",
    registry,
  );
  const cache = createSummaryCache(1300); // room for two
  cache.put("a", one);
  cache.put("b", one);
  assert.ok(cache.get("a"), "a is used: b is now the oldest");
  cache.put("c", one);
  assert.equal(cache.get("b"), undefined);
  assert.ok(cache.get("a") && cache.get("c"));
});
