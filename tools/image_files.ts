/**
 * Which files the offline image needs (REQ-DEP-010): pure functions over `deno info --json mod.ts`
 * and the `package.json` files of `node_modules`, so the image holds what `deno run -A mod.ts`
 * loads and nothing else (no tests, benchmarks, DuckDB, Playwright or the second Deno that
 * `node_modules` also holds).
 *
 * @module
 */

/** The part of `deno info --json` this module reads. */
export interface DenoInfo {
  modules: { specifier: string; local?: string; error?: string }[];
}

/** What a package's `package.json` says about what it needs at run time. */
export interface PackageManifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The files and package directories of the image, relative to the project root, sorted. */
export interface ImageContents {
  /** The project's own modules (and JSON) in mod.ts's module graph, e.g. `reader/sweep.ts`. */
  modules: string[];
  /** Whole npm package directories, e.g. `node_modules/hyparquet` (their deps included). */
  packages: string[];
}

/**
 * The project files and npm package directories the module graph of `info` needs, with each
 * package's `dependencies` (and installed optional and peer dependencies) followed the way Node
 * resolves them: `node_modules` beside the requiring package first, then each parent's.
 * `readManifest(dir)` returns the `package.json` of a package directory (relative to the root), or
 * `null` when it is not installed.
 *
 * @throws {Error} when the graph has an unresolved module, a module outside `root`, or a
 *   required dependency that is not installed.
 */
export function imageContents(
  info: DenoInfo,
  root: string,
  readManifest: (dir: string) => PackageManifest | null,
): ImageContents {
  const base = `file://${root.replace(/\/+$/, "")}/`;
  const modules = new Set<string>();
  const packages = new Set<string>();
  for (const m of info.modules) {
    if (m.error !== undefined) {
      throw new Error(`Cannot build the image: ${m.specifier}: ${m.error}`);
    }
    if (m.specifier.startsWith("node:")) continue; // built into Deno
    if (!m.specifier.startsWith(base)) {
      throw new Error(`Cannot build the image: ${m.specifier} is not a file of the project`);
    }
    const path = decodeURIComponent(m.specifier.slice(base.length));
    const pkg = packageDirOf(path);
    if (pkg === null) modules.add(path);
    else packages.add(pkg);
  }
  const queue = [...packages];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const manifest = readManifest(dir);
    if (manifest === null) throw new Error(`Cannot build the image: "${dir}/package.json" missing`);
    const wanted: [string, boolean][] = [
      ...Object.keys(manifest.dependencies ?? {}).map((n): [string, boolean] => [n, true]),
      ...Object.keys(manifest.optionalDependencies ?? {}).map((n): [string, boolean] => [n, false]),
      ...Object.keys(manifest.peerDependencies ?? {}).map((n): [string, boolean] => [n, false]),
    ];
    for (const [name, required] of wanted) {
      const found = resolutionDirs(dir, name).find((d) => readManifest(d) !== null);
      if (found === undefined) {
        if (required) {
          throw new Error(`Cannot build the image: "${dir}" needs "${name}", not installed`);
        }
        continue;
      }
      if (!packages.has(found)) {
        packages.add(found);
        queue.push(found);
      }
    }
  }
  // A package nested inside another one's directory comes with it.
  const outer = [...packages].filter((p) =>
    ![...packages].some((q) => q !== p && p.startsWith(`${q}/`))
  );
  return { modules: [...modules].sort(), packages: outer.sort() };
}

/**
 * The package directory holding `path` (`node_modules/@scope/name/src/x.js` →
 * `node_modules/@scope/name`, the innermost one when nested), or `null` outside `node_modules`.
 */
export function packageDirOf(path: string): string | null {
  const parts = path.split("/");
  let end = -1;
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] !== "node_modules") continue;
    end = parts[i + 1]?.startsWith("@") ? i + 2 : i + 1;
    if (end >= parts.length) return null;
    i = end;
  }
  return end < 0 ? null : parts.slice(0, end + 1).join("/");
}

/** Where Node looks for `name` required from package directory `dir`, nearest first. */
export function resolutionDirs(dir: string, name: string): string[] {
  const out: string[] = [];
  const parts = dir.split("/");
  for (let i = parts.length; i >= 0; i--) {
    // Not `node_modules/node_modules/…` nor `node_modules/@scope/node_modules/…`.
    if (i > 0 && (parts[i - 1] === "node_modules" || parts[i - 1].startsWith("@"))) continue;
    const prefix = parts.slice(0, i).join("/");
    out.push(prefix === "" ? `node_modules/${name}` : `${prefix}/node_modules/${name}`);
  }
  return [...new Set(out)];
}
