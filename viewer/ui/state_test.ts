import assert from "node:assert/strict";
import {
  type Action,
  emptyState,
  newPanel,
  reduce,
  selectedContainers,
  type ViewState,
  visibleRange,
} from "./state.ts";

const BOUNDS = { fromMs: 0, toMs: 3_600_000 };

function twoPanels(): ViewState {
  return {
    ...emptyState(),
    panels: [
      newPanel({ table: "containers", metric: "cpu_usage_millicores", ids: ["n/a", "n/b"] }),
      newPanel({ table: "processes", metric: "memory_rss_bytes", ids: ["n/a/1"] }),
      newPanel({ table: "containers", metric: "memory_working_set_bytes", ids: ["n/b"] }),
    ],
  };
}

const run = (s: ViewState, ...actions: Action[]) => actions.reduce(reduce, s);

Deno.test("REQ-VIEW-044: zooming sets one range for every panel and leaves live mode", () => {
  const s = run(twoPanels(), { type: "live", on: true, visible: BOUNDS });
  assert.equal(s.live, true);
  const z = reduce(s, { type: "range", range: { fromMs: 10, toMs: 20_000 } });
  assert.equal(z.live, false);
  assert.deepEqual(visibleRange(z, BOUNDS), { fromMs: 10, toMs: 20_000 });
  assert.deepEqual(visibleRange(reduce(z, { type: "range", range: null }), BOUNDS), BOUNDS);
});

Deno.test("REQ-VIEW-044: presets end at the recording's end; in live mode they set the span", () => {
  const s = reduce(twoPanels(), { type: "preset", spanMs: 300_000, bounds: BOUNDS });
  assert.deepEqual(s.range, { fromMs: 3_300_000, toMs: 3_600_000 });
  assert.equal(reduce(s, { type: "preset", spanMs: null, bounds: BOUNDS }).range, null);
  const live = run(s, { type: "live", on: true, visible: s.range! }, {
    type: "preset",
    spanMs: 60_000,
    bounds: BOUNDS,
  });
  assert.equal(live.live, true);
  assert.equal(live.liveSpanMs, 60_000);
  // The range follows the end of the recording as it grows.
  assert.deepEqual(visibleRange(live, { fromMs: 0, toMs: 7_200_000 }), {
    fromMs: 7_140_000,
    toMs: 7_200_000,
  });
});

Deno.test("REQ-VIEW-047: live mode on keeps the span shown; off keeps the range shown", () => {
  const zoomed = reduce(twoPanels(), { type: "range", range: { fromMs: 1000, toMs: 61_000 } });
  const live = reduce(zoomed, { type: "live", on: true, visible: zoomed.range! });
  assert.equal(live.liveSpanMs, 60_000);
  const all = reduce(twoPanels(), { type: "live", on: true, visible: BOUNDS });
  assert.equal(all.liveSpanMs, null);
  const off = reduce(live, { type: "live", on: false, visible: { fromMs: 5, toMs: 60_005 } });
  assert.equal(off.live, false);
  assert.deepEqual(off.range, { fromMs: 5, toMs: 60_005 });
  assert.equal(reduce(off, { type: "live", on: false, visible: BOUNDS }), off);
});

Deno.test("REQ-VIEW-046: panels are added, moved and removed; the active one follows", () => {
  let s = reduce(twoPanels(), { type: "addPanel", table: "host", metric: "load1", ids: ["n"] });
  assert.equal(s.panels.length, 4);
  assert.equal(s.active, 3);
  assert.equal(s.panels[3].table, "host");
  assert.ok(new Set(s.panels.map((p) => p.uid)).size === 4);
  s = reduce(s, { type: "movePanel", index: 3, by: -1 });
  assert.equal(s.panels[2].table, "host");
  assert.equal(s.active, 2);
  assert.equal(reduce(s, { type: "movePanel", index: 0, by: -1 }), s);
  s = reduce(s, { type: "removePanel", index: 0 });
  assert.equal(s.panels.length, 3);
  assert.equal(s.active, 1);
  s = reduce(s, { type: "metric", index: 0, table: "containers", metric: "pids", ids: ["n/c"] });
  assert.equal(s.panels[0].metric, "pids");
  assert.deepEqual(s.panels[0].ids, ["n/c"]);
  assert.equal(s.active, 0);
  s = run(s, { type: "study", index: 0, on: true }, { type: "removeEntity", index: 0, id: "n/c" });
  assert.equal(s.panels[0].study, true);
  assert.deepEqual(s.panels[0].ids, []);
  assert.equal(reduce(s, { type: "active", index: 9 }), s);
  const none = run(s, ...s.panels.map(() => ({ type: "removePanel", index: 0 }) as Action));
  assert.equal(none.panels.length, 0);
  assert.equal(none.active, 0);
});

Deno.test("REQ-VIEW-042: a container is selected for every containers panel at once", () => {
  const s = twoPanels();
  assert.deepEqual(selectedContainers(s), ["n/a", "n/b"]);
  const added = reduce(s, { type: "toggleContainer", id: "n/c", metric: "cpu_usage_millicores" });
  assert.deepEqual(added.panels[0].ids, ["n/a", "n/b", "n/c"]);
  assert.deepEqual(added.panels[2].ids, ["n/b", "n/c"]);
  assert.deepEqual(added.panels[1].ids, ["n/a/1"]); // processes untouched
  const removed = reduce(added, { type: "toggleContainer", id: "n/b", metric: "x" });
  assert.deepEqual(removed.panels[0].ids, ["n/a", "n/c"]);
  assert.deepEqual(removed.panels[2].ids, ["n/c"]);
  const top = reduce(s, { type: "containers", ids: ["n/z", "n/y"], metric: "x" });
  assert.deepEqual(top.panels[0].ids, ["n/z", "n/y"]);
  assert.deepEqual(top.panels[2].ids, ["n/z", "n/y"]);
  // No containers panel yet: one is made.
  const host = {
    ...emptyState(),
    panels: [newPanel({ table: "host", metric: "load1", ids: ["n"] })],
  };
  const made = reduce(host, { type: "toggleContainer", id: "n/a", metric: "cpu_usage_millicores" });
  assert.equal(made.panels.length, 2);
  assert.deepEqual(made.panels[1].ids, ["n/a"]);
  assert.equal(made.panels[1].metric, "cpu_usage_millicores");
  const madeTop = reduce(host, { type: "containers", ids: ["n/a"], metric: "pids" });
  assert.equal(madeTop.panels[1].metric, "pids");
});

Deno.test("REQ-VIEW-042: filters merge", () => {
  const s = reduce(emptyState(), { type: "filters", filters: { namespaces: ["shop"] } });
  const t = reduce(s, { type: "filters", filters: { search: "web" } });
  assert.deepEqual(t.filters.namespaces, ["shop"]);
  assert.equal(t.filters.search, "web");
  assert.equal(reduce(t, { type: "utc", utc: false }).utc, false);
});
