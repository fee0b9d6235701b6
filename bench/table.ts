/**
 * The Markdown tables the benchmarks print.
 *
 * @module
 */

/** `rows` (the first one the header) as a Markdown table, every cell right-aligned. */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]) =>
    `| ${r.map((c, i) => c.padStart(widths[i])).join(" | ")} |`;
  return [
    line(rows[0]),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.slice(1).map(line),
  ].join("\n");
}
