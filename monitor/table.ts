/**
 * Plain-text tables and key/value sections for terminal views. Pure: strings in, string out.
 *
 * @module
 */

/** Column alignment. */
export type Align = "left" | "right";

/** Options of {@linkcode renderTable}. */
export interface TableOptions {
  /** Alignment per column; columns not named are left-aligned. */
  align?: Align[];
  /** Text put before every line. */
  indent?: string;
  /** Longest cell before it is cut with `…`. */
  maxCell?: number;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/** Renders rows under a header with columns padded to their widest cell. */
export function renderTable(
  header: string[],
  rows: string[][],
  { align = [], indent = "", maxCell = 60 }: TableOptions = {},
): string {
  const cells = [header, ...rows].map((row) => row.map((c) => cut(c, maxCell)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return cells.map((row) =>
    indent + row.map((cell, i) => {
      const text = cell ?? "";
      if (i === row.length - 1 && align[i] !== "right") return text;
      return align[i] === "right" ? text.padStart(widths[i]) : text.padEnd(widths[i]);
    }).join("  ").trimEnd()
  ).join("\n");
}

/** Renders `key: value` lines with the keys padded to one width, under an optional title. */
export function renderSection(
  title: string | null,
  pairs: [string, string][],
  indent = "  ",
): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  const lines = pairs.map(([k, v]) => `${indent}${(k + ":").padEnd(width + 1)} ${v}`);
  return title === null ? lines.join("\n") : [title, ...lines].join("\n");
}
