/**
 * Chart.js as the viewer uses it, tree-shaken: only the line controller, its elements, the linear
 * scale (time is a linear axis of epoch ms with our own ticks, so no date adapter) and the filler
 * (min–max bands), plus the study plugin; no animation, tooltip or legend plugin (the UI draws its
 * own). Also the theme's colours and fonts, and the fixed width of every value axis, so that the
 * plots of stacked panels line up on the shared time axis.
 *
 * @module
 */

import { Chart, Filler, LinearScale, LineController, LineElement, PointElement } from "chart.js";
import { studyBandsPlugin } from "./study_plugin.ts";

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, studyBandsPlugin);
Chart.defaults.font.family = "'Liberation Sans', 'Helvetica Neue', Arial, sans-serif";
Chart.defaults.font.size = 11;
Chart.defaults.color = "#8a96a8";
Chart.defaults.borderColor = "rgba(138, 150, 168, 0.14)";

/** Width of every value axis in CSS pixels. */
export const AXIS_WIDTH = 68;

/** Theme colours the charts and overlays share. */
export const THEME = {
  grid: "rgba(138, 150, 168, 0.12)",
  tick: "#8a96a8",
  surface: "#121722",
} as const;

export { Chart };
