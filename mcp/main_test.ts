import assert from "node:assert/strict";
import { UsageError } from "../cli/errors.ts";
import { parseMcpArgs } from "./main.ts";

Deno.test("REQ-MCP-001: fgm mcp takes one recording, or --help", () => {
  assert.equal(parseMcpArgs(["/var/lib/fgm"]), "/var/lib/fgm");
  assert.equal(parseMcpArgs(["--help"]), "help");
  assert.equal(parseMcpArgs(["-h"]), "help");
  assert.throws(() => parseMcpArgs([]), UsageError);
  assert.throws(() => parseMcpArgs([]), /mcp: which recording\?/);
  assert.throws(() => parseMcpArgs(["a", "b"]), /one recording at a time, not 2/);
  assert.throws(() => parseMcpArgs([" "]), /the recording's path is empty/);
  assert.throws(() => parseMcpArgs(["a", "--port", "1"]), UsageError);
});
