import assert from "node:assert/strict";
import { HYPARQUET_VERSION } from "./hyparquet_internals.ts";
import denoJson from "../deno.json" with { type: "json" };

Deno.test("REQ-REC-001: the hyparquet adapter matches the installed hyparquet version", () => {
  const installed = JSON.parse(
    Deno.readTextFileSync(new URL("../node_modules/hyparquet/package.json", import.meta.url)),
  ).version;
  assert.equal(installed, HYPARQUET_VERSION, "recording/hyparquet_internals.ts needs a review");
  assert.equal(denoJson.imports.hyparquet, `npm:hyparquet@${HYPARQUET_VERSION}`);
});
