/**
 * The studies in the viewer's UI (specs/viewer.md, REQ-VIEW-048, 051–053) in headless Chromium,
 * over a recording with known truth written the way `fgm collect` writes it, served by `fgm view`
 * itself: a container whose CPU spikes every 10 s, one whose CPU level rises at 900 s and whose
 * throttling follows the first one's CPU by 2 s, one that drifts. Overlays are checked on the
 * chart's pixels: a column of the plot changes where a band or a change line is drawn, and only
 * there. Screenshots go to `tests/artifacts/`.
 */

/// <reference lib="dom" />

import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { launchBrowser, requireBrowser } from "./support/browser.ts";
import { startViewer } from "./support/viewer.ts";
import { appRange, screenshot, waitForPanels } from "./support/view_page.ts";
import { T0, writeStudyRecording } from "../analyze/testing_recording.ts";
import { createRng } from "../analysis/synthetic.ts";

const SECONDS = 1800;
const rng = createRng(3);
const noise = Array.from({ length: SECONDS }, () => rng.normal());
const walk: number[] = [];
for (let s = 0, v = 0; s < SECONDS; s++) walk.push(v += 15 * rng.normal());

/** The pixels (RGBA) of the plot's column at fraction `at` of its width. */
async function column(panel: Locator, at: number): Promise<number[]> {
  const chart = panel.locator(".chart");
  await chart.locator("canvas").waitFor();
  return await chart.evaluate((el, at) => {
    const canvas = el.querySelector("canvas")!;
    const [left, top, width, height] = el.getAttribute("data-plot")!.split(",").map(Number);
    const box = el.getBoundingClientRect();
    const c = canvas.getBoundingClientRect();
    const scale = canvas.width / c.width;
    const x = Math.round((box.left + left + width * at - c.left) * scale);
    const y = Math.round((box.top + top - c.top) * scale);
    const data = canvas.getContext("2d")!.getImageData(x, y, 1, Math.round(height * scale)).data;
    return [...data];
  }, at);
}

/** How many pixels of two columns differ. */
function differing(a: number[], b: number[]): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (
      Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 12
    ) n++;
  }
  return n;
}

/** Waits for a study list to be ready. */
async function ready(page: Page, testid: string) {
  try {
    await page.waitForFunction(
      (id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute("data-state") === "ready",
      testid,
      { timeout: 30_000 },
    );
  } catch (e) {
    const list = await page.locator(`[data-testid=${testid}]`).first().innerText().catch(() => "");
    throw new Error(`the ${testid} list is not ready: ${list}`, { cause: e });
  }
}

Deno.test({
  name:
    "REQ-VIEW-051: studies on a panel: shaded periods, change lines, click to zoom, correlations",
  sanitizeResources: false,
  sanitizeOps: false,
  ignore: !requireBrowser(),
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "fgm_studies_view_" });
    try {
      const ids = await writeStudyRecording(dir, {
        seconds: SECONDS,
        containers: [
          {
            name: "spiky",
            values: { cpu_usage_millicores: (s) => (s % 10 === 0 ? 900 : 100) + 20 * noise[s] },
          },
          {
            name: "steady",
            values: {
              cpu_usage_millicores: (s) => (s < 900 ? 200 : 450) + 10 * noise[(s * 7) % SECONDS],
              cpu_throttled_usec: (s) =>
                (s >= 2 && (s - 2) % 10 === 0 ? 50_000 : 100) + 50 * noise[(s * 3) % SECONDS],
            },
          },
          { name: "drifting", values: { cpu_usage_millicores: (s) => 1000 + walk[s] } },
        ],
      });
      await using viewer = await startViewer(dir);
      await using browser = await launchBrowser();
      const page = await browser.newPage();
      const e = (name: string) => `e=${encodeURIComponent(ids[name]).replace(/%2F/g, "/")}`;
      const base = `${viewer.url}?p=containers:cpu_usage_millicores:0&${e("spiky")}`;

      await t.step(
        "REQ-VIEW-048: periodic windows are shaded; a click on the row zooms",
        async () => {
          await page.goto(base);
          await waitForPanels(page, 1);
          const panel = page.getByTestId("panel").first();
          const before = await column(panel, 0.5);
          await panel.getByRole("button", { name: "Periodicity" }).click();
          await ready(page, "study");
          const row = panel.locator(`[data-testid=study-row][data-id="${ids.spiky}"]`);
          assert.ok(Math.abs(Number(await row.getAttribute("data-period")) - 10) < 0.1);
          await page.waitForTimeout(300);
          const after = await column(panel, 0.5);
          assert.ok(
            differing(before, after) > after.length / 4 / 2,
            `the band shades the column: ${differing(before, after)} of ${after.length / 4} px`,
          );
          await screenshot(page, "studies-periodicity");
          const whole = await appRange(page);
          await row.click();
          await waitForPanels(page, 1);
          const zoomed = await appRange(page);
          assert.ok(
            zoomed.toMs - zoomed.fromMs <= 61_000,
            `zoomed to ${zoomed.toMs - zoomed.fromMs} ms`,
          );
          assert.ok(zoomed.fromMs >= whole.fromMs && zoomed.toMs <= whole.toMs);
        },
      );

      await t.step("REQ-VIEW-052: a change of level is a line; a click on it zooms", async () => {
        await page.goto(`${viewer.url}?p=containers:cpu_usage_millicores:0&${e("steady")}`);
        await waitForPanels(page, 1);
        const panel = page.getByTestId("panel").first();
        const { fromMs, toMs } = await appRange(page);
        const at = (T0 + 900_000 - fromMs) / (toMs - fromMs);
        const before = await column(panel, at);
        const away = await column(panel, at / 2);
        await panel.getByRole("button", { name: "Changes" }).click();
        await ready(page, "changes");
        const rows = panel.getByTestId("change-row");
        assert.equal(await rows.count(), 1);
        assert.equal(Number(await rows.first().getAttribute("data-at")), T0 + 900_000);
        assert.match(page.url(), /p=containers:cpu_usage_millicores:0:changes/);
        assert.match(await rows.first().innerText(), /↑ \+/);
        await page.waitForTimeout(300);
        const after = await column(panel, at);
        const h = after.length / 4;
        assert.ok(
          differing(before, after) > h / 3,
          `a dashed line: ${differing(before, after)} of ${h} px`,
        );
        assert.ok(differing(away, await column(panel, at / 2)) < 3, "nothing drawn elsewhere");
        await screenshot(page, "studies-changes");
        await rows.first().click();
        await waitForPanels(page, 1);
        const z = await appRange(page);
        assert.ok(z.fromMs < T0 + 900_000 && z.toMs > T0 + 900_000, "the change is in view");
        assert.ok(z.toMs - z.fromMs < (toMs - fromMs) / 5, "zoomed in");
      });

      await t.step(
        "REQ-VIEW-053: what correlates with the throttling: the spiky CPU, 2 s before; Add puts it on a panel",
        async () => {
          await page.goto(`${viewer.url}?p=containers:cpu_throttled_usec:0&${e("steady")}`);
          await waitForPanels(page, 1);
          const panel = page.getByTestId("panel").first();
          await panel.getByRole("button", { name: "Correlates" }).click();
          await ready(page, "correlations");
          const top = panel.getByTestId("correlation-row").first();
          assert.equal(await top.getAttribute("data-id"), ids.spiky);
          assert.equal(await top.getAttribute("data-metric"), "cpu_usage_millicores");
          assert.equal(await top.getAttribute("data-lag"), "2");
          assert.equal(await top.getAttribute("data-significant"), "true");
          await screenshot(page, "studies-correlation");
          await top.getByRole("button", { name: "Add" }).click();
          await waitForPanels(page, 2);
          const added = page.getByTestId("panel").nth(1);
          assert.equal(await added.getAttribute("data-metric"), "cpu_usage_millicores");
          await page.waitForFunction(() =>
            document.querySelectorAll("[data-testid=panel]")[1]?.getAttribute("data-state") ===
              "ready"
          );
          assert.match(page.url(), /p=containers:cpu_usage_millicores:\d/);
          await screenshot(page, "studies-correlation-added");
        },
      );
      assert.deepEqual(browser.errors, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
