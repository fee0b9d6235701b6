/**
 * A Chart.js plugin that draws the periodicity study on a chart: each window in which a series
 * repeats is shaded over the plot, with a stripe in the series' colour at the top labelled with
 * the period and its confidence (one stripe row per series).
 *
 * @module
 */

import type { Chart, Plugin } from "chart.js";
import type { StudyBand, StudyLine } from "./study.ts";
import { withAlpha } from "./labels.ts";

/** Options of the plugin (`options.plugins.studyBands`). */
export interface StudyBandsOptions {
  bands: StudyBand[];
  /** Changes of level: dashed vertical lines, labelled at the bottom. */
  lines?: StudyLine[];
}

declare module "chart.js" {
  interface PluginOptionsByType<TType> {
    studyBands?: StudyBandsOptions & { _type?: TType };
  }
}

const STRIPE = 14;

/** Draws the bands of `options` under the datasets. */
export const studyBandsPlugin: Plugin<"line", StudyBandsOptions> = {
  id: "studyBands",
  defaults: { bands: [], lines: [] },
  beforeDatasetsDraw(chart: Chart<"line">, _args, options) {
    const bands = options?.bands ?? [];
    const lines = options?.lines ?? [];
    if (bands.length === 0 && lines.length === 0) return;
    const { ctx, chartArea: area } = chart;
    const x = chart.scales.x;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.font = "11px 'Liberation Sans', Arial, sans-serif";
    ctx.textBaseline = "middle";
    for (const b of bands) {
      const left = Math.max(area.left, x.getPixelForValue(b.fromMs));
      const right = Math.min(area.right, x.getPixelForValue(b.toMs));
      if (!(right > left)) continue;
      ctx.fillStyle = withAlpha(b.color, 0.07 + 0.1 * b.confidence);
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      const top = area.top + b.row * (STRIPE + 2);
      ctx.fillStyle = withAlpha(b.color, 0.75);
      ctx.fillRect(left, top, right - left, STRIPE);
      const width = ctx.measureText(b.label).width;
      if (right - left > width + 8) {
        ctx.fillStyle = "#0b0e14";
        ctx.fillText(b.label, left + 4, top + STRIPE / 2 + 0.5);
      }
    }
    ctx.textBaseline = "bottom";
    let lastLabel = -Infinity;
    for (const l of lines) {
      const px = x.getPixelForValue(l.atMs);
      if (px < area.left || px > area.right) continue;
      ctx.strokeStyle = withAlpha(l.color, 0.9);
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      const width = ctx.measureText(l.label).width;
      if (px - lastLabel > width + 8 && px + width + 4 < area.right) {
        ctx.fillStyle = withAlpha(l.color, 0.95);
        ctx.fillText(l.label, px + 3, area.bottom - 2);
        lastLabel = px;
      }
    }
    ctx.restore();
  },
};
