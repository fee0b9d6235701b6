import assert from "node:assert/strict";
import { createStore, sameCursor } from "./store.ts";

Deno.test("REQ-VIEW-043: a shared store notifies on changes only, until unsubscribed", () => {
  const s = createStore<{ t: number; panel: number } | null>(null, sameCursor);
  const seen: (number | null)[] = [];
  const off = s.subscribe((v) => seen.push(v?.t ?? null));
  s.set({ t: 5, panel: 1 });
  s.set({ t: 5, panel: 1 });
  s.set({ t: 6, panel: 1 });
  s.set(null);
  s.set(null);
  off();
  s.set({ t: 7, panel: 0 });
  assert.deepEqual(seen, [5, 6, null]);
  assert.deepEqual(s.get(), { t: 7, panel: 0 });
  assert.ok(!sameCursor({ t: 1, panel: 0 }, { t: 1, panel: 2 }));
});
