/**
 * Numbers and times as the viewer shows them: values by their column's unit (bytes in KiB/MiB/GiB,
 * millicores as `m` or cores, microseconds as µs/ms/s, percent, counts), what a column's kind says
 * about the interval, instants, clock ticks and spans. Pure functions, no DOM.
 *
 * @module
 */

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/**
 * A number with about three significant digits and no trailing zeros: `1.5`, `12.3`, `512`,
 * `1234`.
 */
export function compactNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const decimals = a >= 100 || a === 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.01 ? 3 : 4;
  const text = v.toFixed(decimals);
  const trimmed = text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  return trimmed === "-0" ? "0" : trimmed;
}

/** The power of 1024 that names `magnitude` bytes (`2` for MiB). */
export function bytePower(magnitude: number): number {
  const a = Math.abs(magnitude);
  if (!(a >= 1024)) return 0;
  return Math.min(BYTE_UNITS.length - 1, Math.floor(Math.log(a) / Math.log(1024)));
}

/**
 * A value in its column's unit. `scale` (e.g. an axis's largest tick) picks the unit instead of
 * the value itself, so that every tick of an axis is in the same unit.
 *
 * @example
 * ```ts
 * import { formatValue } from "./format.ts";
 * console.assert(formatValue(1536, "bytes") === "1.5 KiB");
 * console.assert(formatValue(250, "millicores") === "250m");
 * console.assert(formatValue(1500, "millicores") === "1.5 cores");
 * console.assert(formatValue(2500, "microseconds") === "2.5 ms");
 * ```
 */
export function formatValue(v: number | null, unit: string, scale?: number): string {
  if (v === null || Number.isNaN(v)) return "–";
  const by = Math.abs(scale ?? v);
  switch (unit) {
    case "bytes": {
      const p = bytePower(by);
      return `${compactNumber(v / 1024 ** p)} ${BYTE_UNITS[p]}`;
    }
    case "millicores": {
      if (by < 1000) return `${compactNumber(v)}m`;
      const cores = v / 1000;
      return `${compactNumber(cores)} ${cores === 1 ? "core" : "cores"}`;
    }
    case "microseconds": {
      if (by < 1000) return `${compactNumber(v)} µs`;
      if (by < 1_000_000) return `${compactNumber(v / 1000)} ms`;
      return `${compactNumber(v / 1_000_000)} s`;
    }
    case "percent":
      return `${compactNumber(v)} %`;
    case "count": {
      if (by >= 1e9) return `${compactNumber(v / 1e9)}G`;
      if (by >= 1e6) return `${compactNumber(v / 1e6)}M`;
      if (by >= 1e4) return `${compactNumber(v / 1e3)}k`;
      return compactNumber(v);
    }
    case "id":
    case "text":
      return String(v);
    default:
      return compactNumber(v);
  }
}

/**
 * A min–max spread with the unit once when both ends share it: `1.2–1.5 KiB`, `250–300m`,
 * `0.75–1.06 cores`; otherwise both values in full.
 */
export function formatSpread(min: number | null, max: number | null, unit: string): string {
  const scale = Math.max(Math.abs(min ?? 0), Math.abs(max ?? 0));
  const a = formatValue(min, unit, scale);
  const b = formatValue(max, unit, scale);
  if (a === b) return a;
  const suffix = (s: string) => s.match(/^-?[\d.]+(.*)$/)?.[1] ?? null;
  const u = suffix(a);
  return u !== null && u === suffix(b) ? `${a.slice(0, a.length - u.length)}–${b}` : `${a} – ${b}`;
}

/**
 * What a column's kind says about its values, for tooltips: per-interval amounts are "in the
 * interval", rates an "average over the interval", totals "since start".
 */
export function kindPhrase(kind: string | null): string {
  switch (kind) {
    case "interval":
      return "in the interval";
    case "rate":
      return "average over the interval";
    case "total":
      return "since start";
    default:
      return "";
  }
}

/** A unit as a word for headers (`bytes`, `millicores`, `µs`). */
export function unitLabel(unit: string | null): string {
  switch (unit) {
    case "microseconds":
      return "µs";
    case "percent":
      return "%";
    case null:
      return "";
    default:
      return unit;
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Calendar fields of an instant, in UTC or the browser's time zone. */
export interface TimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** The calendar fields of `t` (epoch ms) in UTC, or in local time when `utc` is false. */
export function timeParts(t: number, utc: boolean): TimeParts {
  const d = new Date(t);
  return utc
    ? {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth(),
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      ms: d.getUTCMilliseconds(),
    }
    : {
      year: d.getFullYear(),
      month: d.getMonth(),
      day: d.getDate(),
      hour: d.getHours(),
      minute: d.getMinutes(),
      second: d.getSeconds(),
      ms: d.getMilliseconds(),
    };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `HH:MM:SS` (or `HH:MM`). */
export function formatClock(t: number, utc: boolean, seconds = true): string {
  const p = timeParts(t, utc);
  return seconds
    ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
    : `${pad(p.hour)}:${pad(p.minute)}`;
}

/** `Jan 02`. */
export function formatDay(t: number, utc: boolean): string {
  const p = timeParts(t, utc);
  return `${MONTHS[p.month]} ${pad(p.day)}`;
}

/** `2026-01-02 03:04:05 UTC` (local time without the suffix). */
export function formatInstant(t: number, utc: boolean): string {
  const p = timeParts(t, utc);
  const text = `${p.year}-${pad(p.month + 1)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${
    pad(p.second)
  }`;
  return utc ? `${text} UTC` : text;
}

/**
 * A duration in words: `850 ms`, `45 s`, `5 min`, `1 h 30 min`, `2 d 4 h`.
 *
 * @example
 * ```ts
 * import { formatSpan } from "./format.ts";
 * console.assert(formatSpan(5 * 60_000) === "5 min");
 * console.assert(formatSpan(90 * 60_000) === "1 h 30 min");
 * ```
 */
export function formatSpan(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${compactNumber(ms / 1000)} s`;
  const s = Math.round(a / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m && d === 0) parts.push(`${m} min`);
  if (sec && d === 0 && h === 0) parts.push(`${sec} s`);
  return (ms < 0 ? "-" : "") + parts.slice(0, 2).join(" ");
}

/** A period in seconds as the study list shows it: `10.0 s`, `1.5 min`, `2.0 h`. */
export function formatPeriod(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A fraction 0..1 as a whole percentage: `0.873` → `87 %`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}
