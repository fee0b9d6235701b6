/**
 * Every tool of `fgm mcp`, in the order `tools/list` gives them.
 *
 * @module
 */

import type { ToolDef } from "./tool.ts";
import { describeRecordingTool, listContainersTool, listMetricsTool } from "./tools_recording.ts";
import { exportParquetTool, getSeriesTool, topContainersTool } from "./tools_series.ts";
import {
  studyChangepointTool,
  studyCorrelationTool,
  studyPeriodicityTool,
} from "./tools_studies.ts";
import { correlationTableTool, gapAnalysisTool } from "./tools_levels.ts";

/** The tools. */
export const TOOLS: readonly ToolDef[] = [
  describeRecordingTool,
  listMetricsTool,
  listContainersTool,
  getSeriesTool,
  topContainersTool,
  studyPeriodicityTool,
  studyChangepointTool,
  studyCorrelationTool,
  gapAnalysisTool,
  correlationTableTool,
  exportParquetTool,
];
