import assert from "node:assert/strict";
import { ASSETS_PATH, buildAssetsModule } from "../tools/bundle_ui.ts";
import { ASSETS } from "./assets.ts";

Deno.test("REQ-VIEW-040: viewer/assets.ts is what tools/bundle_ui.ts makes of viewer/ui/ now", async () => {
  // deno bundle's output is byte-stable for the same sources and Deno, so the whole module is
  // compared: any change to the UI's sources (or to the packages it bundles) shows up here.
  const fresh = await buildAssetsModule();
  const committed = await Deno.readTextFile(ASSETS_PATH);
  assert.ok(
    fresh === committed,
    "viewer/assets.ts is stale: run `npx deno task bundle-ui` and commit the result",
  );
});

Deno.test("REQ-VIEW-040: the page loads only its own script and nothing from elsewhere", () => {
  assert.match(ASSETS.html, /<script type="module" src="\/app\.js"><\/script>/);
  assert.match(ASSETS.html, /<style>\n[^]*--bg: #0b0e14;[^]*<\/style>/);
  assert.doesNotMatch(ASSETS.html, /<link rel="stylesheet"/);
  // No URL of another origin in the page, and the script imports nothing at run time.
  assert.doesNotMatch(ASSETS.html, /(src|href)="(https?:)?\/\//);
  assert.doesNotMatch(ASSETS.js, /\bimport\s*\(|^import\s|from\s*"https?:/m);
  assert.doesNotMatch(ASSETS.js, /https?:\/\/(cdn|unpkg|esm\.sh|jsdelivr)/);
  // Small: Preact, the parts of Chart.js it registers, the UI.
  assert.ok(ASSETS.js.length < 320 * 1024, `app.js is ${ASSETS.js.length} bytes`);
});
