/**
 * Number formatting for terminal views. Every formatter prints `-` for `null` (unknown), so an
 * unknown value never looks like a zero.
 *
 * @module
 */

/** Text shown for an unknown value. */
export const UNKNOWN = "-";

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** Bytes in IEC units with three significant digits: `1.50 GiB`, `512 B`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return UNKNOWN;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value.toPrecision(3)} ${UNITS[unit]}`;
}

/** A limit in bytes, or `unlimited` for `null`. */
export function formatLimit(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? "unlimited" : formatBytes(bytes);
}

/** CPU in millicores: `200m`, `1.50 cores` from 1 000 m up. */
export function formatMillicores(m: number | null | undefined): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return UNKNOWN;
  if (Math.abs(m) >= 1000) return `${(m / 1000).toFixed(2)} cores`;
  return `${Math.round(m)}m`;
}

/** A percentage with one decimal: `12.5%`. */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return UNKNOWN;
  return `${p.toFixed(1)}%`;
}

/** A plain number, with `digits` decimals when it is not an integer. */
export function formatNumber(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNKNOWN;
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

/** A duration in seconds as `3d 4h 05m`, `4h 05m 09s`, `5m 09s` or `9.1s`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return UNKNOWN;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const p2 = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d}d ${h}h ${p2(m)}m`;
  if (h > 0) return `${h}h ${p2(m)}m ${p2(sec)}s`;
  return `${m}m ${p2(sec)}s`;
}

/** Bytes per second: `1.20 MiB/s`. */
export function formatRate(bytesPerSecond: number | null | undefined): string {
  const b = formatBytes(bytesPerSecond);
  return b === UNKNOWN ? b : `${b}/s`;
}

/** `n` and a noun in the number it needs: `1 container`, `3 containers`, `0 containers`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
