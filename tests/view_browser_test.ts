/**
 * The viewer's UI (specs/viewer.md, "UI") in headless Chromium, driven as a person would, over a
 * recording that `fgm collect` writes meanwhile from real docker containers: a busy loop, a
 * container that works 2 s of every 10, an idle one (with Kubernetes labels, two namespaces) and a
 * plain one. The page is served by `fgm view` itself. Screenshots go to `tests/artifacts/`.
 */

/// <reference lib="dom" />

import { lockMachine } from "./support/machine_lock.ts";
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { requireRuntime } from "./support/available.ts";
import { launchBrowser, requireBrowser, type TestBrowser } from "./support/browser.ts";
import { startDockerd } from "./support/dockerd.ts";
import { spawnFgm } from "./support/fgm.ts";
import { waitFor } from "./support/processes.ts";
import { type RunningView, startViewer } from "./support/viewer.ts";
import {
  appRange,
  dragOnPlot,
  legendIds,
  panelMetrics,
  plotArea,
  screenshot,
  waitForPanels,
  wheelOnPlot,
} from "./support/view_page.ts";
import { listDataFiles } from "../collector/files.ts";
import { readTableFile } from "../collector/parquet/read.ts";

const NODE = "test-node";
/** How long the collector records: enough cycles of a 10-s period for the study. */
const COLLECT_SECONDS = 80;

/** Labels dockershim/cri-dockerd put on a pod's containers, which fgm reads. */
function kube(namespace: string, pod: string, container: string): Record<string, string> {
  return {
    "io.kubernetes.pod.namespace": namespace,
    "io.kubernetes.pod.name": pod,
    "io.kubernetes.container.name": container,
  };
}

/** 2 s of busy loop at every wall-clock multiple of 10 s: a period of exactly 10 s. */
const SPIKE_CMD = [
  "sh",
  "-c",
  "while :; do sleep $((10 - $(date +%s) % 10)); timeout 2 sh -c 'while :; do :; done'; done",
];

const panels = (page: Page) => page.getByTestId("panel");
const panelOf = (page: Page, table: string, metric: string) =>
  page.locator(`[data-testid=panel][data-table="${table}"][data-metric="${metric}"]`).first();

/** Picks a metric in the open picker by typing `query`; checks what comes first. */
async function pickMetric(page: Page, query: string, first: { table: string; metric: string }) {
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Search metrics").fill(query);
  const top = dialog.getByRole("option").first();
  assert.equal(await top.getAttribute("data-metric"), first.metric, `first match for "${query}"`);
  assert.equal(await top.getAttribute("data-table"), first.table);
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
}

Deno.test({
  name:
    "REQ-VIEW-040..REQ-VIEW-050: the viewer in Chromium over a live recording of docker containers",
  ignore: !requireRuntime("docker") || !requireBrowser(),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    // It asserts on what the recording holds: no other test's containers meanwhile.
    await using _machine = await lockMachine("exclusive");
    const daemon = await startDockerd();
    const out = await Deno.makeTempDir({ prefix: "fgm-view-browser-" });
    let collector: Deno.ChildProcess | null = null;
    let viewer: RunningView | null = null;
    const browsers: TestBrowser[] = [];
    try {
      const busy = await daemon.run({
        name: "busy",
        cpus: 0.3,
        memory: "64m",
        labels: kube("shop", "web-0", "busy"),
      });
      const spiky = await daemon.run({
        name: "spiky",
        cpus: 0.5,
        memory: "64m",
        cmd: SPIKE_CMD,
        labels: kube("batch", "cron-0", "spiky"),
      });
      const idle = await daemon.run({
        name: "idle",
        memory: "64m",
        cmd: ["sh", "-c", "sleep 3600; true"],
        labels: kube("shop", "web-1", "idle"),
      });
      const plain = await daemon.run({ name: "plain", cmd: ["sh", "-c", "sleep 3600; true"] });
      const ids = Object.fromEntries(
        Object.entries({ busy, spiky, idle, plain }).map(([k, v]) => [k, `${NODE}/${v}`]),
      );
      collector = spawnFgm([
        "collect",
        "--out",
        out,
        "--identifier",
        NODE,
        "--duration",
        `${COLLECT_SECONDS}s`,
        "--flush",
        "2s",
      ]);
      const collected = collector.output();
      assert.ok(
        await waitFor(() => listDataFiles(out).some((f) => f.table === "containers"), {
          timeoutMs: 20_000,
          intervalMs: 100,
        }),
        "the collector wrote no file",
      );
      viewer = await startViewer(out);
      const base = viewer.url;
      const browser = await launchBrowser();
      browsers.push(browser);
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(base) && !r.url().startsWith("data:")) foreign.push(r.url());
      });

      await t.step("REQ-VIEW-040: the page and its script come from fgm itself", async () => {
        const started = performance.now();
        await page.goto(base);
        await waitForPanels(page, 5);
        const firstChart = performance.now() - started;
        assert.deepEqual(foreign, [], "requests to anywhere but the viewer");
        assert.equal(await panels(page).count(), 5);
        // Every container, named, on the default panels (the recording is seconds old).
        const legend = await legendIds(panels(page).first());
        assert.deepEqual([...legend].sort(), Object.values(ids).sort());
        await assert.doesNotReject(
          () =>
            panels(page).first().getByTestId("legend-item").filter({ hasText: "spiky" }).waitFor(),
        );
        console.log(`first charts after ${firstChart.toFixed(0)} ms`);
        await screenshot(page, "view-default");
      });

      await t.step("REQ-VIEW-047: live mode follows the newest data", async () => {
        await page.getByRole("button", { name: "Live" }).click();
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=app]")?.getAttribute("data-live") === "true"
        );
        assert.match(page.url(), /[?&]live=1/);
        const before = await appRange(page);
        // The collector writes every 2 s, the viewer walks the directory every 2 s.
        await page.waitForFunction(
          (to) =>
            Number(document.querySelector("[data-testid=app]")?.getAttribute("data-to")) >
              to + 1500,
          before.toMs,
          { timeout: 20_000 },
        );
        await waitForPanels(page, 5);
        const after = await appRange(page);
        assert.equal(
          after.fromMs,
          before.fromMs,
          "live mode over the whole recording keeps its start",
        );
        assert.equal(await panels(page).first().getAttribute("data-to"), String(after.toMs));
        await page.getByRole("button", { name: "Live" }).click();
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=app]")?.getAttribute("data-live") === "false"
        );
        assert.match(page.url(), /[?&]from=.*&to=/);
      });

      await t.step("REQ-VIEW-041: a metric picked by fuzzy search, with the keyboard", async () => {
        const first = panels(page).first();
        await first.getByTestId("metric-button").click();
        const dialog = page.getByRole("dialog");
        await dialog.getByLabel("Search metrics").fill("wrkset");
        const options = dialog.getByRole("option");
        assert.equal(await options.first().getAttribute("data-metric"), "memory_working_set_bytes");
        // Arrows move the choice; Escape closes without changing anything.
        await page.keyboard.press("ArrowDown");
        assert.equal(await options.nth(1).getAttribute("aria-selected"), "true");
        await page.keyboard.press("ArrowUp");
        assert.equal(await options.first().getAttribute("aria-selected"), "true");
        await screenshot(page, "view-picker");
        await page.keyboard.press("Escape");
        await dialog.waitFor({ state: "detached" });
        assert.equal(await first.getAttribute("data-metric"), "cpu_usage_millicores");
        // Enter picks the best match: word starts and prefixes first.
        await first.getByTestId("metric-button").click();
        await pickMetric(page, "thrusec", { table: "containers", metric: "cpu_throttled_usec" });
        await waitForPanels(page, 5);
        assert.equal(await first.getAttribute("data-metric"), "cpu_throttled_usec");
        assert.match(page.url(), /p=containers:cpu_throttled_usec:/);
        await first.getByTestId("metric-button").click();
        await pickMetric(page, "cpuusage", { table: "containers", metric: "cpu_usage_millicores" });
        await waitForPanels(page, 5);
        assert.equal(await first.getAttribute("data-metric"), "cpu_usage_millicores");
      });

      await t.step(
        "REQ-VIEW-042: containers filtered by namespace and searched; top N; processes and host in one click",
        async () => {
          const list = page.getByTestId("containers");
          const names = () =>
            list.getByTestId("container").evaluateAll((l) =>
              l.map((e) => e.getAttribute("data-name")).sort()
            );
          await page.waitForFunction(() =>
            document.querySelectorAll("[data-testid=container]").length === 4
          );
          const facet = page.getByTestId("facet-namespace");
          await facet.getByRole("button").first().click();
          await facet.getByLabel("batch").check();
          await page.waitForFunction(() =>
            document.querySelectorAll("[data-testid=container]").length === 1
          );
          assert.deepEqual(await names(), ["spiky"]);
          assert.match(page.url(), /[?&]ns=batch/);
          await facet.getByLabel("batch").uncheck();
          await facet.getByLabel("shop").check();
          await page.waitForFunction(() =>
            document.querySelectorAll("[data-testid=container]").length === 2
          );
          assert.deepEqual(await names(), ["busy", "idle"]);
          await screenshot(page, "view-namespace");
          await facet.getByRole("button", { name: "clear" }).click();
          await facet.getByRole("button", { name: "done" }).click();
          await facet.getByRole("group").waitFor({ state: "detached" });
          await page.waitForFunction(() =>
            document.querySelectorAll("[data-testid=container]").length === 4
          );
          await page.getByLabel("Search containers").fill("idl");
          await page.waitForFunction(() =>
            document.querySelectorAll("[data-testid=container]").length === 1
          );
          assert.deepEqual(await names(), ["idle"]);
          await page.getByLabel("Search containers").fill("");
          await page.waitForFunction(() =>
            document.querySelectorAll("[data-testid=container]").length === 4
          );
          // Top 2 by the maximum of CPU in the visible range: the two that use CPU, once the
          // spiky one has had a burst (every 10 s) and the view follows the recording past it.
          let burstMs = 0;
          assert.ok(
            await waitFor(async () => {
              const r = await fetch(
                `${base}api/timeseries?metric=cpu_usage_millicores&ids=${ids.spiky}&points=20000`,
              );
              const s = (await r.json()).series[0] as { t: number[]; mean: (number | null)[] };
              const i = s?.mean.findIndex((v) => (v ?? 0) > 300) ?? -1;
              if (i >= 0) burstMs = s.t[i];
              return i >= 0;
            }, { timeoutMs: 30_000, intervalMs: 500 }),
            "no burst of the spiky container",
          );
          await page.getByRole("button", { name: "Live" }).click();
          await page.waitForFunction(
            (t) => Number(document.querySelector("[data-testid=app]")?.getAttribute("data-to")) > t,
            burstMs,
            { timeout: 20_000 },
          );
          await page.getByLabel("how many").selectOption("2");
          await page.getByRole("button", { name: "Top", exact: true }).click();
          await page.waitForFunction(() =>
            document.querySelector("[data-testid=panel]")?.querySelectorAll(
              "[data-testid=legend-item]",
            ).length === 2
          );
          assert.deepEqual(
            (await legendIds(panels(page).first())).sort(),
            [ids.busy, ids.spiky].sort(),
          );
          // Every containers panel shows the same containers.
          assert.deepEqual(
            (await legendIds(panels(page).nth(1))).sort(),
            [ids.busy, ids.spiky].sort(),
          );
          // A click adds one back, everywhere.
          await list.locator(`[data-id="${ids.idle}"] input[type=checkbox]`).check();
          await page.waitForFunction(() =>
            document.querySelector("[data-testid=panel]")?.querySelectorAll(
              "[data-testid=legend-item]",
            ).length === 3
          );
          await page.getByRole("button", { name: "Live" }).click();
          await page.waitForFunction(() =>
            document.querySelector("[data-testid=app]")?.getAttribute("data-live") === "false"
          );
          await waitForPanels(page, 5);
          // The busy container's processes: the shell, its busy subshell, sleep.
          await list.getByRole("button", { name: "processes of busy" }).click();
          const procs = panelOf(page, "processes", "cpu_usage_millicores");
          await procs.waitFor();
          await waitForPanels(page, 6);
          const procIds = await legendIds(procs);
          assert.ok(procIds.length >= 2, `processes: ${procIds}`);
          assert.ok(procIds.every((id) => id.startsWith(`${ids.busy}/`)), `${procIds}`);
          assert.equal(await procs.getAttribute("data-state"), "ready");
          await procs.getByTestId("legend-item").filter({ hasText: "sleep" }).first().waitFor();
          await page.getByRole("button", { name: "Host", exact: true }).click();
          const host = page.locator("[data-testid=panel][data-table=host]");
          await host.waitFor();
          await waitForPanels(page, 7);
          assert.deepEqual(await legendIds(host), [NODE]);
          assert.equal(await host.getAttribute("data-state"), "ready");
        },
      );

      await t.step(
        "REQ-VIEW-043: units in tooltips and legends; an empty panel says so",
        async () => {
          const cpu = panels(page).first();
          const area = await plotArea(cpu.locator(".chart"));
          await page.mouse.move(area.left + area.width * 0.6, area.top + area.height / 2);
          const tip = cpu.getByRole("tooltip");
          await tip.waitFor();
          const text = await tip.innerText();
          assert.match(text, /UTC/);
          assert.match(text, /\d(m| cores?)\b/, text);
          assert.match(text, /average over the interval/);
          await page.mouse.move(0, 0);
          await tip.waitFor({ state: "detached" });
          const memory = panelOf(page, "containers", "memory_working_set_bytes");
          assert.match(
            await memory.getByTestId("legend-item").first().innerText(),
            /\d (B|KiB|MiB)/,
          );
          const throttled = panelOf(page, "containers", "cpu_throttled_usec");
          assert.match(await throttled.locator(".unit").innerText(), /µs, in the interval/);
          // Remove every entity from a panel: it says so and offers the top 5.
          while (await memory.getByTestId("legend-item").count() > 0) {
            await memory.getByTestId("legend-item").first().getByRole("button", {
              name: /^remove /,
            })
              .click();
          }
          assert.equal(await memory.getAttribute("data-state"), "empty");
          await memory.getByText("No entities on this panel.").waitFor();
          await memory.getByRole("button", { name: "show the top 5 by this metric" }).click();
          await page.waitForFunction(() =>
            document.querySelector("[data-testid=panel][data-metric=memory_working_set_bytes]")
              ?.getAttribute("data-state") !== "empty"
          );
          assert.equal(await legendIds(memory).then((l) => l.length), 4);
          await waitForPanels(page, 7);
        },
      );

      await t.step(
        "REQ-VIEW-046: a panel is added; stacked panels share the time axis",
        async () => {
          await page.getByTestId("add-panel").click();
          await pickMetric(page, "pids", { table: "containers", metric: "pids" });
          await waitForPanels(page, 8);
          const all = await panelMetrics(page);
          assert.equal(all.length, 8);
          assert.deepEqual(all.at(-1), ["containers", "pids"]);
          const ranges = await panels(page).evaluateAll((ps) =>
            ps.map((p) => `${p.getAttribute("data-from")}-${p.getAttribute("data-to")}`)
          );
          assert.equal(new Set(ranges).size, 1, `${ranges}`);
          // The plots line up: the same left edge and width on every panel.
          const plots = await page.locator("[data-testid=panel] .chart").evaluateAll((cs) =>
            cs.map((c) =>
              c.getAttribute("data-plot")!.split(",").filter((_: string, i: number) =>
                i !== 1 && i !== 3
              ).join()
            )
          );
          assert.equal(new Set(plots).size, 1, `${plots}`);
          await page.getByRole("button", { name: "All", exact: true }).click();
          await waitForPanels(page, 8);
        },
      );

      // The rest needs the whole recording.
      const status = await collected;
      collector = null;
      assert.equal(status.code, 0, new TextDecoder().decode(status.stderr));
      // The recording's final range (the page asks for it every 10 s outside live mode).
      await page.reload();
      await waitForPanels(page, 8);

      await t.step(
        "the spiky container works 2 s of every 10 s (the study's ground truth)",
        async () => {
          const r = await fetch(
            `${base}api/timeseries?metric=cpu_usage_millicores&ids=${ids.spiky}&points=20000`,
          );
          const { series, stepMs } = await r.json();
          assert.equal(stepMs, 0);
          const { t: times, mean } = series[0] as { t: number[]; mean: (number | null)[] };
          // Each burst's centre (its samples above a third of the peak, weighted by CPU).
          const peak = Math.max(...mean.map((v) => v ?? 0));
          const centres: number[] = [];
          let sum = 0;
          let weighted = 0;
          for (let i = 0; i <= times.length; i++) {
            const v = mean[i] ?? 0;
            if (i < times.length && v > peak / 3) {
              sum += v;
              weighted += v * times[i];
            } else if (sum > 0) {
              centres.push(weighted / sum);
              sum = weighted = 0;
            }
          }
          assert.ok(peak > 300, `peak ${peak}m`);
          // The first and last bursts may be cut by the recording's ends.
          const whole = centres.slice(1, -1);
          assert.ok(whole.length >= 5, `bursts at ${centres}`);
          for (let i = 1; i < whole.length; i++) {
            const gap = whole[i] - whole[i - 1];
            assert.ok(gap >= 8500 && gap <= 11_500, `bursts ${gap} ms apart`);
          }
          const average = (whole.at(-1)! - whole[0]) / (whole.length - 1);
          assert.ok(Math.abs(average - 10_000) < 300, `bursts every ${average} ms`);
        },
      );

      await t.step(
        "REQ-VIEW-044: zoom by drag and wheel, pan, reset; every panel follows",
        async () => {
          const chart = panels(page).first().locator(".chart");
          const whole = await appRange(page);
          await dragOnPlot(page, chart, 0.2, 0.8);
          await waitForPanels(page, 7);
          const dragged = await appRange(page);
          const span = whole.toMs - whole.fromMs;
          assert.ok(
            Math.abs((dragged.fromMs - whole.fromMs) - 0.2 * span) < 0.03 * span,
            `${dragged.fromMs}`,
          );
          assert.ok(Math.abs((dragged.toMs - dragged.fromMs) - 0.6 * span) < 0.03 * span);
          assert.match(page.url(), /[?&]from=.*&to=/);
          // Every panel shows that range.
          for (
            const from of await panels(page).evaluateAll((ps) =>
              ps.map((p) => p.getAttribute("data-from"))
            )
          ) {
            assert.equal(from, String(dragged.fromMs));
          }
          await screenshot(page, "view-zoomed");
          // The wheel zooms in around the cursor: the time under it stays where it was.
          const at = 0.75;
          const t0 = dragged.fromMs + at * (dragged.toMs - dragged.fromMs);
          await wheelOnPlot(page, chart, at, -200);
          await page.waitForFunction(
            (from) =>
              document.querySelector("[data-testid=app]")?.getAttribute("data-from") !== from,
            String(dragged.fromMs),
          );
          await waitForPanels(page, 7);
          const wheeled = await appRange(page);
          const wSpan = wheeled.toMs - wheeled.fromMs;
          assert.ok(wSpan < dragged.toMs - dragged.fromMs, `span ${wSpan}`);
          assert.ok(wSpan >= 10_000, `span ${wSpan} below the minimum`);
          const t1 = wheeled.fromMs + at * wSpan;
          assert.ok(
            Math.abs(t1 - t0) < 0.05 * (dragged.toMs - dragged.fromMs),
            `${t1 - t0} ms off`,
          );
          // Shift-drag pans: the same span, earlier.
          await dragOnPlot(page, chart, 0.3, 0.6, { shift: true });
          await waitForPanels(page, 7);
          const panned = await appRange(page);
          assert.equal(panned.toMs - panned.fromMs, wSpan);
          assert.ok(panned.fromMs < wheeled.fromMs, "dragging right shows earlier data");
          // Reset: the whole recording again.
          await page.getByRole("button", { name: "Reset zoom" }).click();
          await waitForPanels(page, 7);
          const reset = await appRange(page);
          assert.equal(reset.fromMs, whole.fromMs);
          assert.doesNotMatch(page.url(), /[?&]from=/);
          // A double-click resets too.
          await dragOnPlot(page, chart, 0.4, 0.6);
          await page.waitForFunction(
            (from) =>
              document.querySelector("[data-testid=app]")?.getAttribute("data-from") !== from,
            String(reset.fromMs),
          );
          await chart.dblclick({ position: { x: 200, y: 60 } });
          await page.waitForFunction(
            (from) =>
              document.querySelector("[data-testid=app]")?.getAttribute("data-from") === from,
            String(whole.fromMs),
          );
        },
      );

      await t.step(
        "REQ-VIEW-045: the overview shows the whole recording and moves the range",
        async () => {
          const chart = panels(page).first().locator(".chart");
          await dragOnPlot(page, chart, 0.1, 0.4);
          await waitForPanels(page, 7);
          const zoomed = await appRange(page);
          const overview = page.getByTestId("overview");
          const win = overview.getByTestId("overview-window");
          const box = (await win.boundingBox())!;
          const plot = await plotArea(overview.locator(".chart"));
          // The window covers the visible share of the whole recording.
          assert.ok(
            box.width > plot.width * 0.2 && box.width < plot.width * 0.4,
            `${box.width}/${plot.width}`,
          );
          // Drag the window right by a fifth of the overview: the range moves later, same span.
          const y = box.y + box.height / 2;
          await page.mouse.move(box.x + box.width / 2, y);
          await page.mouse.down();
          await page.mouse.move(box.x + box.width / 2 + plot.width * 0.1, y, { steps: 3 });
          await page.mouse.move(box.x + box.width / 2 + plot.width * 0.2, y, { steps: 3 });
          await page.mouse.up();
          await waitForPanels(page, 7);
          const moved = await appRange(page);
          assert.equal(moved.toMs - moved.fromMs, zoomed.toMs - zoomed.fromMs);
          assert.ok(moved.fromMs > zoomed.fromMs, "moved later");
          // Drag across the empty start of the overview: that becomes the range.
          await page.mouse.move(plot.left + plot.width * 0.02, y);
          await page.mouse.down();
          await page.mouse.move(plot.left + plot.width * 0.08, y, { steps: 3 });
          await page.mouse.move(plot.left + plot.width * 0.15, y, { steps: 3 });
          await page.mouse.up();
          await waitForPanels(page, 7);
          const picked = await appRange(page);
          assert.ok(picked.toMs < moved.fromMs, "a range from the start of the recording");
        },
      );

      await t.step("REQ-VIEW-048: the periodicity study finds the 10-s period", async () => {
        await page.getByRole("button", { name: "All", exact: true }).click();
        await waitForPanels(page, 8);
        const cpu = panelOf(page, "containers", "cpu_usage_millicores");
        assert.ok((await legendIds(cpu)).includes(ids.spiky));
        await cpu.getByRole("button", { name: "Periodicity" }).click();
        const study = cpu.getByTestId("study");
        await page.waitForFunction(
          () =>
            document.querySelector("[data-testid=study]")?.getAttribute("data-state") === "ready",
          null,
          {
            timeout: 30_000,
          },
        );
        assert.match(page.url(), /p=containers:cpu_usage_millicores:[\d,]+:study/);
        const row = study.locator(`[data-testid=study-row][data-id="${ids.spiky}"]`);
        const period = await row.locator(".period").innerText();
        const seconds = Number(period.match(/^([\d.]+) s$/)?.[1]);
        assert.ok(Math.abs(seconds - 10) <= 0.6, `period read off the page: "${period}"`);
        assert.match(await row.innerText(), /\d+ %/);
        assert.ok(Number(await row.locator("td").nth(5).innerText()) >= 1, "a shaded window");
        await screenshot(page, "view-study");
      });

      await t.step(
        "REQ-VIEW-049: a shared link opens the same view in a fresh browser",
        async () => {
          // Something of everything in the URL: a zoomed range, a filter, the study.
          await dragOnPlot(page, panels(page).first().locator(".chart"), 0.1, 0.9);
          await page.getByLabel("Search containers").fill("s");
          await page.waitForFunction(() => location.search.includes("q=s"));
          await waitForPanels(page, 8);
          const shared = page.url();
          const original = {
            metrics: await panelMetrics(page),
            legends: await Promise.all((await panels(page).all()).map((p) => legendIds(p))),
            range: await appRange(page),
            search: await page.getByLabel("Search containers").inputValue(),
            rangeText: await page.getByTestId("range-text").innerText(),
          };
          const other = await launchBrowser();
          browsers.push(other);
          const copy = await other.newPage();
          await copy.goto(shared);
          await waitForPanels(copy, 8);
          await copy.getByTestId("study").waitFor();
          assert.deepEqual(await panelMetrics(copy), original.metrics);
          assert.deepEqual(
            await Promise.all((await panels(copy).all()).map((p: Locator) => legendIds(p))),
            original.legends,
          );
          assert.deepEqual(await appRange(copy), original.range);
          assert.equal(await copy.getByLabel("Search containers").inputValue(), original.search);
          assert.equal(await copy.getByTestId("range-text").innerText(), original.rangeText);
          assert.equal(copy.url(), shared);
          await screenshot(copy, "view-shared");
          await other.close();
        },
      );

      await t.step("REQ-VIEW-050: the visible slice downloads as Parquet", async () => {
        const cpu = panelOf(page, "containers", "cpu_usage_millicores");
        const wanted = new Set(await legendIds(cpu));
        const range = await appRange(page);
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          cpu.getByRole("link", { name: "Export" }).click(),
        ]);
        assert.match(download.suggestedFilename(), /^fgm-containers-.*\.parquet$/);
        const path = await download.path();
        const bytes = await Deno.readFile(path);
        assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "PAR1");
        const table = await readTableFile(path);
        assert.ok(table.rowCount > 0);
        const seen = new Set(table.columns.container_id.map((id) => `${NODE}/${id}`));
        assert.deepEqual([...seen].sort(), [...wanted].sort());
        for (const time of table.columns.time) {
          const ms = Number(time);
          assert.ok(ms >= range.fromMs && ms < range.toMs, `row at ${ms} outside the range`);
        }
      });

      assert.deepEqual(browsers.flatMap((b) => b.errors), [], "errors in the page");
    } finally {
      for (const b of browsers) await b.close().catch(() => {});
      if (viewer) await viewer.stop();
      if (collector) {
        try {
          collector.kill("SIGTERM");
        } catch { /* exited */ }
        await collector.status;
      }
      await daemon.stop();
      await Deno.remove(out, { recursive: true });
    }
  },
});
