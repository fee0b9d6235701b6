import assert from "node:assert/strict";
import { renderSection, renderTable } from "./table.ts";

Deno.test("REQ-MON-021: renderTable() pads columns and right-aligns numbers", () => {
  const text = renderTable(
    ["PID", "NAME", "CPU"],
    [["1", "init", "5m"], ["4242", "a b", "1200m"]],
    {
      align: ["right", "left", "right"],
    },
  );
  assert.equal(
    text,
    [
      " PID  NAME    CPU",
      "   1  init     5m",
      "4242  a b   1200m",
    ].join("\n"),
  );
});

Deno.test("REQ-MON-021: renderTable() cuts long cells with an ellipsis", () => {
  const text = renderTable(["CMD"], [["x".repeat(10)]], { maxCell: 5 });
  assert.equal(text, "CMD\nxxxx…");
});

Deno.test("REQ-MON-021: renderSection() aligns values under a title", () => {
  assert.equal(
    renderSection("Host", [["name", "vm"], ["kernel", "6.1"]]),
    "Host\n  name:   vm\n  kernel: 6.1",
  );
});
