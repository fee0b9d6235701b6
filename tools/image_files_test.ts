import assert from "node:assert/strict";
import { imageContents, packageDirOf, resolutionDirs } from "./image_files.ts";
import { sharedLibraries } from "./image.ts";

const R = "/work/p";

Deno.test("REQ-DEP-010: the image holds the module graph's files and packages with their dependencies", () => {
  const manifests: Record<string, object> = {
    "node_modules/a": { dependencies: { b: "1" }, optionalDependencies: { gone: "1" } },
    "node_modules/b": { dependencies: { c: "2" } },
    "node_modules/b/node_modules/c": {}, // nested: comes with b
    "node_modules/c": {}, // a different version, not needed
    "node_modules/@s/d": { peerDependencies: { a: "1" } },
  };
  const contents = imageContents(
    {
      modules: [
        { specifier: `file://${R}/mod.ts` },
        { specifier: `file://${R}/reader/x.ts` },
        { specifier: `file://${R}/deno.json` },
        { specifier: `file://${R}/node_modules/a/src/index.js` },
        { specifier: `file://${R}/node_modules/@s/d/index.js` },
        { specifier: "node:fs" },
      ],
    },
    R,
    (dir) => (manifests[dir] ?? null) as never,
  );
  assert.deepEqual(contents.modules, ["deno.json", "mod.ts", "reader/x.ts"]);
  assert.deepEqual(contents.packages, ["node_modules/@s/d", "node_modules/a", "node_modules/b"]);
  assert.throws(
    () =>
      imageContents(
        { modules: [{ specifier: `file://${R}/node_modules/b/i.js` }] },
        R,
        (d) => d === "node_modules/b" ? { dependencies: { missing: "1" } } : null,
      ),
    /needs "missing", not installed/,
  );
  assert.throws(
    () => imageContents({ modules: [{ specifier: "https://x.test/a.ts" }] }, R, () => null),
    /not a file of the project/,
  );
});

Deno.test("REQ-DEP-010: package directories and Node's resolution order", () => {
  assert.equal(packageDirOf("node_modules/a/src/x.js"), "node_modules/a");
  assert.equal(packageDirOf("node_modules/@s/d/x.js"), "node_modules/@s/d");
  assert.equal(packageDirOf("node_modules/a/node_modules/b/x.js"), "node_modules/a/node_modules/b");
  assert.equal(packageDirOf("reader/x.ts"), null);
  assert.deepEqual(resolutionDirs("node_modules/a", "b"), [
    "node_modules/a/node_modules/b",
    "node_modules/b",
  ]);
  assert.deepEqual(resolutionDirs("node_modules/@s/d", "b"), [
    "node_modules/@s/d/node_modules/b",
    "node_modules/b",
  ]);
});

Deno.test("REQ-DEP-010: libraries from ldd's output, the loader included", () => {
  const ldd = [
    "\tlinux-vdso.so.1 (0x00007ff39753a000)",
    "\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007ff397524000)",
    "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007ff39141e000)",
    "\t/lib64/ld-linux-x86-64.so.2 (0x00007ff39753c000)",
  ].join("\n");
  assert.deepEqual(sharedLibraries(ldd), [
    "/lib/x86_64-linux-gnu/libdl.so.2",
    "/lib/x86_64-linux-gnu/libc.so.6",
    "/lib64/ld-linux-x86-64.so.2",
  ]);
  assert.throws(() => sharedLibraries("\tlibfoo.so => not found"), /libfoo/);
});
