/**
 * Speed of the changepoint and correlation studies (specs/analysis.md, REQ-ANA-025 and
 * REQ-ANA-035), each beside a named peer in the same run, interleaved:
 *
 * - changepoints over a day of 1-Hz samples (86 400; target ≤ 200 ms): `detectChangepoints()`
 *   (PELT with functional pruning, mean cost) beside PELT with the classic inequality pruning
 *   alone on the same cost (`pruning: "inequality"`, same segmentation), on a series with a level
 *   shift every 5–60 min and on white noise (no change at all, PELT's worst case: it then keeps
 *   every candidate; run only with FGM_BENCH_SLOW=1);
 * - correlation of one series against 500 others of 3600 points over ±30 lags (target ≤ 2 s):
 *   `rankCorrelations()` beside the same lagged Pearson sums without the autocorrelation and
 *   significance work (the floor any lagged ranking pays).
 *
 * ```sh
 * npx deno bench -A bench/changepoint_correlation_bench.ts
 * ```
 *
 * @module
 */

import { detectChangepoints } from "../analysis/changepoint.ts";
import { laggedPearson, rankCorrelations } from "../analysis/correlation.ts";
import { createRng, whiteNoise } from "../analysis/synthetic.ts";

const N = 86_400;
const rng = createRng(42);
const levels = new Float64Array(N);
for (let i = 0, level = 0, next = 0; i < N; i++) {
  if (i === next) {
    level = 5 * rng.normal();
    next += rng.int(300, 3600);
  }
  levels[i] = level + rng.normal();
}
const noise = whiteNoise(N, rng);

for (const [name, x] of [["level shifts", levels], ["white noise", noise]] as const) {
  Deno.bench({
    name: `changepoints, 86 400 points, ${name}: fgm (PELT + functional pruning)`,
    group: `changepoint ${name}`,
    baseline: true,
    n: 10,
    fn: () => {
      detectChangepoints(x);
    },
  });
  Deno.bench({
    name: `changepoints, 86 400 points, ${name}: PELT, inequality pruning`,
    group: `changepoint ${name}`,
    n: name === "white noise" ? 1 : 3,
    ignore: name === "white noise" && !Deno.env.get("FGM_BENCH_SLOW"),
    fn: () => {
      detectChangepoints(x, { pruning: "inequality" });
    },
  });
}

const target = whiteNoise(3600, rng);
const candidates = Array.from({ length: 500 }, (_, k) => {
  const c = whiteNoise(3600, rng);
  if (k % 50 === 0) { for (let i = 5; i < 3600; i++) c[i] += 0.5 * target[i - 5]; }
  return c;
});

Deno.bench({
  name: "correlation, 500 × 3600 × ±30 lags: fgm rankCorrelations()",
  group: "correlation",
  baseline: true,
  n: 5,
  fn: () => {
    const r = rankCorrelations(target, candidates);
    if (r.hits.filter((h) => h.significant).length < 10) throw new Error("missed a planted pair");
  },
});

Deno.bench({
  name: "correlation, 500 × 3600 × ±30 lags: lagged Pearson sums alone",
  group: "correlation",
  n: 5,
  fn: () => {
    let best = 0;
    for (const c of candidates) {
      for (let lag = -30; lag <= 30; lag++) best = Math.max(best, laggedPearson(target, c, lag).r);
    }
    if (!(best > 0)) throw new Error("no correlation");
  },
});
