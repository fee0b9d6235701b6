/**
 * Driving the viewer's page as a person would, for browser tests: wait until the panels show the
 * data of the visible range, read that range, drag and scroll on a chart's plot area, list a
 * panel's legend, save screenshots under `tests/artifacts/` (not committed).
 *
 * The page exposes what these helpers wait on as attributes: the app's visible range
 * (`data-from`, `data-to`, `data-live` on `[data-testid=app]`), each panel's state and the range
 * of the data it shows (`data-state`, `data-from`, `data-to`), and each chart's plot area
 * (`data-plot="left,top,width,height"`).
 *
 * @module
 */

/// <reference lib="dom" />

import type { Locator, Page } from "playwright-core";

/** Where screenshots go. */
export const ARTIFACTS = new URL("../artifacts/", import.meta.url);

/** Saves a screenshot of the page as `tests/artifacts/<name>.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const path = new URL(`${name}.png`, ARTIFACTS).pathname;
  await page.screenshot({ path });
  return path;
}

/** The visible range the app shows, epoch ms. */
export async function appRange(page: Page): Promise<{ fromMs: number; toMs: number }> {
  const app = page.getByTestId("app");
  return {
    fromMs: Number(await app.getAttribute("data-from")),
    toMs: Number(await app.getAttribute("data-to")),
  };
}

/**
 * Waits until at least `count` panels are there and every one is done: it shows the data of the
 * app's visible range (`ready`), or says why it has none (`nodata`, `empty`).
 */
export async function waitForPanels(page: Page, count = 1, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    (count) => {
      const app = document.querySelector("[data-testid=app]");
      const panels = [...document.querySelectorAll("[data-testid=panel]")];
      if (!app || panels.length < count) return false;
      const from = app.getAttribute("data-from");
      const to = app.getAttribute("data-to");
      return panels.every((p) => {
        const state = p.getAttribute("data-state");
        if (state === "empty") return true;
        return (state === "ready" || state === "nodata") && p.getAttribute("data-from") === from &&
          p.getAttribute("data-to") === to;
      });
    },
    count,
    { timeout: timeoutMs, polling: 50 },
  );
}

/** The plot area of a chart (`.chart` element) in page coordinates. */
export async function plotArea(
  chart: Locator,
): Promise<{ left: number; top: number; width: number; height: number }> {
  await chart.locator("canvas").waitFor();
  const box = await chart.boundingBox();
  const plot = await chart.getAttribute("data-plot");
  if (box === null || plot === null) throw new Error("the chart has no plot area yet");
  const [left, top, width, height] = plot.split(",").map(Number);
  return { left: box.x + left, top: box.y + top, width, height };
}

/** Presses the mouse at fraction `from` of a plot's width and releases it at `to`. */
export async function dragOnPlot(
  page: Page,
  chart: Locator,
  from: number,
  to: number,
  { shift = false } = {},
): Promise<void> {
  const a = await plotArea(chart);
  const y = a.top + a.height / 2;
  await page.mouse.move(a.left + a.width * from, y);
  if (shift) await page.keyboard.down("Shift");
  await page.mouse.down();
  await page.mouse.move(a.left + a.width * (from + to) / 2, y, { steps: 4 });
  await page.mouse.move(a.left + a.width * to, y, { steps: 4 });
  await page.mouse.up();
  if (shift) await page.keyboard.up("Shift");
}

/** Scrolls the wheel by `deltaY` with the mouse at fraction `at` of a plot's width. */
export async function wheelOnPlot(page: Page, chart: Locator, at: number, deltaY: number) {
  const a = await plotArea(chart);
  await page.mouse.move(a.left + a.width * at, a.top + a.height / 2);
  await page.mouse.wheel(0, deltaY);
}

/** The entity ids of a panel's legend, in order. */
export async function legendIds(panel: Locator): Promise<string[]> {
  return (await panel.getByTestId("legend-item").evaluateAll((items) =>
    items.map((i) => i.getAttribute("data-id") ?? "")
  ));
}

/** `[table, metric]` of every panel, in order. */
export async function panelMetrics(page: Page): Promise<string[][]> {
  return await page.getByTestId("panel").evaluateAll((panels) =>
    panels.map((p) => [p.getAttribute("data-table") ?? "", p.getAttribute("data-metric") ?? ""])
  );
}
