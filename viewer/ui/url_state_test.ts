import assert from "node:assert/strict";
import { decodeState, encodeState } from "./url_state.ts";
import { emptyState, newPanel, reduce, type ViewState } from "./state.ts";

const C1 = "node-a/3f2a9c0d1e";
const C2 = "node-a/77bb00aa11";
const P1 = "node-a/3f2a9c0d1e/4242";

/** The state without panel uids (fresh ones are made on decoding). */
function plain(s: ViewState) {
  return { ...s, panels: s.panels.map(({ uid: _, ...p }) => p) };
}

function sample(): ViewState {
  return {
    ...emptyState(),
    panels: [
      newPanel({ table: "containers", metric: "cpu_usage_millicores", ids: [C1, C2] }),
      newPanel({ table: "containers", metric: "memory_working_set_bytes", ids: [C2, C1] }),
      newPanel({ table: "processes", metric: "memory_rss_bytes", ids: [P1], study: true }),
      newPanel({ table: "host", metric: "load1", ids: [] }),
    ],
    range: { fromMs: Date.UTC(2026, 0, 1, 10), toMs: Date.UTC(2026, 0, 1, 11, 30, 0, 250) },
    filters: {
      search: "web & api",
      nodes: ["node-a"],
      namespaces: ["shop", "batch"],
      qos: ["Burstable"],
      runtimes: ["docker"],
      pods: ["web-0"],
    },
    active: 2,
    utc: false,
  };
}

Deno.test("REQ-VIEW-049: a state survives the URL unchanged", () => {
  const s = sample();
  const text = encodeState(s);
  assert.deepEqual(plain(decodeState(text)), plain(s));
  assert.deepEqual(plain(decodeState(`?${text}`)), plain(s));
  // Through a real URL, as a browser would hand it back.
  const url = new URL(`http://127.0.0.1:8050/?${text}`);
  assert.deepEqual(plain(decodeState(url.search)), plain(s));
});

Deno.test("REQ-VIEW-049: the URL is readable and names each entity once", () => {
  const text = encodeState(sample());
  assert.match(
    text,
    /^p=containers:cpu_usage_millicores:0,1&p=containers:memory_working_set_bytes:1,0/,
  );
  assert.match(text, /&p=processes:memory_rss_bytes:2:study&p=host:load1:&/);
  assert.equal(text.split("&").filter((p) => p.startsWith("e=")).length, 3);
  assert.match(text, /e=node-a\/3f2a9c0d1e&/);
  assert.match(text, /from=2026-01-01T10:00:00.000Z&to=2026-01-01T11:30:00.250Z/);
  assert.match(text, /q=web%20%26%20api/);
  assert.match(text, /ns=shop,batch/);
  assert.match(text, /a=2&tz=local$/);
  assert.equal(encodeState(emptyState()), "");
});

Deno.test("REQ-VIEW-049: live mode carries its span instead of a range", () => {
  const s: ViewState = { ...sample(), live: true, liveSpanMs: 300_000 };
  const text = encodeState(s);
  assert.match(text, /live=1&span=300000/);
  assert.doesNotMatch(text, /from=/);
  const back = decodeState(text);
  assert.equal(back.live, true);
  assert.equal(back.liveSpanMs, 300_000);
  const all = decodeState(encodeState({ ...s, liveSpanMs: null }));
  assert.equal(all.live, true);
  assert.equal(all.liveSpanMs, null);
});

Deno.test("REQ-VIEW-049: a damaged URL opens with defaults for what it gets wrong", () => {
  const s = decodeState(
    "p=containers&p=containers:cpu:0,9,x,0&e=n/a&from=yesterday&to=2026-01-01T00:00:00Z&a=7&tz=x",
  );
  assert.equal(s.panels.length, 1);
  assert.deepEqual(s.panels[0].ids, ["n/a"]);
  assert.equal(s.range, null);
  assert.equal(s.active, 0);
  assert.equal(s.utc, true);
  assert.deepEqual(decodeState("from=2000&to=1000").range, null);
  assert.deepEqual(decodeState("from=1000&to=2000").range, { fromMs: 1000, toMs: 2000 });
  assert.equal(decodeState("live=1&span=-5").liveSpanMs, null);
});

Deno.test("REQ-VIEW-049: the studies on a panel are in the URL", () => {
  let s: ViewState = {
    ...emptyState(),
    panels: [newPanel({ table: "containers", metric: "cpu_usage_millicores", ids: ["n/a"] })],
  };
  s = reduce(s, { type: "study", index: 0, on: true, which: "changes" });
  s = reduce(s, { type: "study", index: 0, on: true, which: "correlates" });
  const text = encodeState(s);
  assert.equal(text, "p=containers:cpu_usage_millicores:0:changes:correlates&e=n/a");
  const back = decodeState(text).panels[0];
  assert.deepEqual([back.study, back.changes, back.correlates], [false, true, true]);
  s = reduce(s, { type: "study", index: 0, on: false, which: "changes" });
  s = reduce(s, { type: "study", index: 0, on: true });
  assert.equal(encodeState(s), "p=containers:cpu_usage_millicores:0:study:correlates&e=n/a");
});
