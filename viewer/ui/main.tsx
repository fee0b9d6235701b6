/**
 * The viewer's entry point in the browser: Chart.js set up, the app rendered into `#app`.
 * `tools/bundle_ui.ts` bundles this module and everything it imports into `viewer/assets.ts`.
 *
 * @module
 */

import { render } from "preact";
import "./chart_setup.ts";
import { App } from "./app.tsx";

render(<App />, document.getElementById("app")!);
