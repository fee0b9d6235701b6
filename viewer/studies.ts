/**
 * Studies over a recording's series, as the viewer's API serves them (`/api/study/<name>`): the
 * request's parameters turned into {@linkcode StudyParams} for `runStudy()` (analyze/run.ts), the
 * very function `fgm analyze` and `fgm mcp` call, so all three answer the same JSON.
 *
 * @module
 */

import type { Recording } from "../recording/recording.ts";
import {
  type PeriodicityEntry,
  runStudy,
  STUDIES,
  StudyError,
  type StudyName,
  type StudyParams,
  type StudyResult,
} from "../analyze/run.ts";

export { type GridSeries, gridSeries, STUDY_MAX_POINTS } from "../analyze/grid.ts";

/** What to study. */
export interface StudyQuery {
  table: string;
  metric: string;
  fromMs: number;
  toMs: number;
  ids?: readonly string[];
}

/** The periodicity study of every series of a query (REQ-VIEW-020). */
export async function studyPeriodicity(
  rec: Recording,
  q: StudyQuery,
): Promise<StudyResult<PeriodicityEntry>> {
  return await runStudy(rec, { study: "periodicity", ...q }) as StudyResult<PeriodicityEntry>;
}

function num(url: URL, name: string, min: number, max: number): number | undefined {
  const text = url.searchParams.get(name);
  if (text === null || text === "") return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new StudyError(400, `${name} must be a number from ${min} to ${max}, not "${text}"`);
  }
  return n;
}

/**
 * The study `name` with a request's parameters (specs/viewer.md, REQ-VIEW-020..022): `metric`,
 * `table`, `ids`, `container`, `node` and the range as the other routes take them; `points`,
 * `minPeriod`/`maxPeriod` (s), `cost`, `minSegment`, `penalty`, `top`, `maxLag` (s), `candidates`
 * (tables), `alpha`.
 *
 * @throws {StudyError} for an unknown study or a bad parameter (and whatever runStudy refuses).
 */
export async function studyFromRequest(
  rec: Recording,
  name: string,
  url: URL,
  base: { table: string; metric: string; fromMs: number; toMs: number; ids?: string[] },
): Promise<StudyResult> {
  if (!(STUDIES as readonly string[]).includes(name)) {
    throw new StudyError(404, `no study "${name}" (${STUDIES.join(", ")})`);
  }
  const list = (k: string) => {
    const v = url.searchParams.getAll(k).flatMap((x) => x.split(",")).filter((x) => x !== "");
    return v.length ? v : undefined;
  };
  const cost = url.searchParams.get("cost") || undefined;
  if (cost !== undefined && cost !== "mean" && cost !== "meanvar") {
    throw new StudyError(400, `cost must be mean or meanvar, not "${cost}"`);
  }
  const params: StudyParams = {
    study: name as StudyName,
    ...base,
    container: url.searchParams.get("container") || undefined,
    nodes: list("node"),
    points: num(url, "points", 10, 1_000_000),
    minPeriodSeconds: num(url, "minPeriod", 0, 1e7),
    maxPeriodSeconds: num(url, "maxPeriod", 0, 1e7),
    cost,
    minSegment: num(url, "minSegment", 1, 1e6),
    penaltyFactor: num(url, "penalty", 0, 1e6),
    top: num(url, "top", 1, 1000),
    maxLagSeconds: num(url, "maxLag", 0, 3600),
    candidateTables: list("candidates"),
    alpha: num(url, "alpha", 0, 1),
  };
  return await runStudy(rec, params);
}
