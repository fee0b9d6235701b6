import assert from "node:assert/strict";
import { removeLinearTrend } from "./detrend.ts";
import { scanWindows } from "./period_windows.ts";
import { addGaps, createRng, spikes, whiteNoise } from "./synthetic.ts";

Deno.test("REQ-ANA-013: windows find where a period holds and merge into one span", () => {
  const rng = createRng(1);
  const noise = whiteNoise(20_000, rng);
  // spikes every 40 s between 5000 and 12000 only
  const x = noise.map((v, i) => v + (i >= 5000 && i < 12_000 && i % 40 === 7 ? 8 : 0));
  const spans = scanWindows(removeLinearTrend(x), 40);
  assert.equal(spans.length, 1);
  const [w] = spans;
  assert.ok(w.start >= 4400 && w.start <= 5000, `start ${w.start}`);
  assert.ok(w.end >= 12_000 && w.end <= 12_600, `end ${w.end}`);
  assert.ok(Math.abs(w.periodSeconds - 40) < 0.05);
  assert.ok(Math.abs(w.amplitude - 8) < 1.5, `amplitude ${w.amplitude}`);
  assert.ok(w.confidence > 0.5 && w.confidence <= 1 && w.correlation > 0.5);
});

Deno.test("REQ-ANA-013: window size and step follow the options; seconds scale with the step", () => {
  const x = removeLinearTrend(
    spikes(3000, { periodSeconds: 300, stepSeconds: 10, widthSeconds: 10 }),
  );
  const spans = scanWindows(x, 30, { stepSeconds: 10, windowSteps: 200 });
  assert.equal(spans.length, 1);
  assert.deepEqual([spans[0].start, spans[0].end], [0, 3000]);
  assert.ok(Math.abs(spans[0].periodSeconds - 300) < 1);
  // a window shorter than 3 periods is widened to 3 periods
  const narrow = scanWindows(x, 30, { windowSteps: 10 });
  assert.deepEqual([narrow[0].start, narrow[0].end], [0, 3000]);
});

Deno.test("REQ-ANA-006: a gap splits a span: a period cannot be said to hold where nothing was seen", () => {
  const x = spikes(12_000, { periodSeconds: 20 }).map((v, i) => (i >= 5000 && i < 7000 ? NaN : v));
  const spans = scanWindows(removeLinearTrend(x), 20);
  assert.equal(spans.length, 2);
  assert.ok(spans[0].end <= 5600 && spans[1].start >= 6400);
});

Deno.test("REQ-ANA-015: white noise holds no window at any period", () => {
  for (let seed = 0; seed < 10; seed++) {
    const x = addGaps(whiteNoise(20_000, createRng(seed)), createRng(seed + 100));
    for (const p of [2.5, 7, 40, 333]) {
      assert.deepEqual(scanWindows(x, p), [], `seed ${seed} p ${p}`);
    }
  }
});
