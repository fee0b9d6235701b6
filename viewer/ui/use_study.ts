/**
 * A study of a panel, fetched when switched on and asked again (after 300 ms of quiet) when its
 * metric, entities or range change; the previous request is aborted.
 *
 * @module
 */

import { useEffect, useState } from "preact/hooks";
import { getJson, studyUrl } from "./api.ts";
import type { TimeRange } from "./range.ts";

/** Where a study's answer stands. */
export interface StudyState<T> {
  state: "idle" | "loading" | "ready" | "error";
  answer: T | null;
  error: string | null;
}

/** The answer of study `name` over `ids`, or idle when `on` is false or `ids` is empty. */
export function useStudy<T>(
  name: string,
  on: boolean,
  table: string,
  metric: string,
  ids: readonly string[],
  range: TimeRange,
  extra: Record<string, string | number> = {},
): StudyState<T> {
  const [s, setS] = useState<StudyState<T>>({ state: "idle", answer: null, error: null });
  const idsKey = ids.join(",");
  const extraKey = JSON.stringify(extra);
  useEffect(() => {
    if (!on || ids.length === 0) {
      setS({ state: "idle", answer: null, error: null });
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(async () => {
      setS((p) => ({ ...p, state: "loading" }));
      try {
        const a = await getJson<T>(studyUrl(name, table, metric, ids, range, extra), ctrl.signal);
        setS({ state: "ready", answer: a, error: null });
      } catch (e) {
        if (ctrl.signal.aborted) return;
        setS({ state: "error", answer: null, error: e instanceof Error ? e.message : String(e) });
      }
    }, 300);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [name, on, table, metric, idsKey, range.fromMs, range.toMs, extraKey]);
  return s;
}
