/**
 * Every module of the reader and the collector that reaches the network, the disk or /proc says
 * so in its module documentation (`Reaches: …`), so that a newcomer finds the I/O by searching
 * for one word, and everything without the line is pure (specs/how_to_add_a_metric.md).
 *
 * @module
 */

import assert from "node:assert/strict";

/** Calls that reach a file, a directory, a process, the network or the kernel directly. */
const DIRECT_IO =
  /Deno\.(open|read|write|remove|rename|stat|lstat|mkdir|makeTemp|Command|connect|listen|serve|copyFile|truncate|chmod|symlink|link|realPath|fsync|fdatasync|dlopen)|\bfetch\(|\.readText\(|\.listDir\(|\.readLink\(/;

function modules(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(`../${dir}`, import.meta.url))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...modules(path));
    else if (
      e.name.endsWith(".ts") && !e.name.endsWith("_test.ts") && !e.name.startsWith("testing_")
    ) {
      out.push(path);
    }
  }
  return out;
}

Deno.test("REQ-RDR-230: every reader and collector module that does I/O names what it reaches", () => {
  const unnamed: string[] = [];
  const named: string[] = [];
  for (const path of [...modules("reader"), ...modules("collector")]) {
    const text = Deno.readTextFileSync(new URL(`../${path}`, import.meta.url));
    const doc = text.slice(0, text.indexOf("@module"));
    const reaches = /^ \* Reaches: /m.test(doc);
    if (reaches) named.push(path);
    if (DIRECT_IO.test(text) && !reaches) unnamed.push(path);
  }
  assert.deepEqual(unnamed, [], "add a `Reaches: …` line to their module documentation");
  // The parsers and the column declarations are pure: they reach nothing.
  for (const pure of ["reader/parse/cgroup_v2.ts", "collector/tables.ts", "reader/carry.ts"]) {
    assert.ok(!named.includes(pure), `${pure} is pure`);
  }
});
