/**
 * The one `fgm` binary (REQ-CLI-006): `tools/compile.sh` (`deno task compile`) as a user runs it.
 *
 * `deno compile` prepends a `denort` runtime, which our machines cannot download. Where
 * `DENORT_BIN` points at one, the binary is built on it and run; elsewhere this Deno's own
 * executable stands in for the runtime, which checks what the binary embeds (its size less the
 * runtime's) but cannot run it: a `deno` binary does not look for an embedded program.
 */

import assert from "node:assert/strict";

const ROOT = new URL("..", import.meta.url).pathname;
const COMPILE = `${ROOT}tools/compile.sh`;
/**
 * What mod.ts's own modules and its npm packages take, with room to grow: ~6 MB of fgm and its
 * Parquet, Preact and Chart.js packages, and ~17 MB that `fgm mcp` brings with the official MCP
 * SDK, which `deno compile` embeds with every dependency it declares (zod alone 5.9 MB; express
 * and hono for HTTP transports fgm does not use). Excluding those by path would make the binary
 * differ from `deno run -A mod.ts` in a way no test here can run (no denort), so they stay.
 */
const MAX_EMBEDDED_BYTES = 28 * 1024 * 1024;

/** Output as text (`NO_COLOR=1` keeps `deno compile`'s listing free of colour codes). */
const plain = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("REQ-CLI-006: the compiled fgm embeds mod.ts's modules and npm packages, no node_modules directory", async () => {
  const runtime = Deno.env.get("DENORT_BIN") || Deno.execPath();
  const dir = await Deno.makeTempDir({ prefix: "fgm-compile-" });
  try {
    const output = `${dir}/fgm`;
    const r = await new Deno.Command("sh", {
      args: [COMPILE, output],
      env: { DENORT_BIN: runtime, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const listing = plain(r.stdout) + plain(r.stderr);
    assert.equal(r.code, 0, listing);
    const embedded = (await Deno.stat(output)).size - (await Deno.stat(runtime)).size;
    assert.ok(
      embedded > 0 && embedded <= MAX_EMBEDDED_BYTES,
      `embedded ${embedded} bytes, at most ${MAX_EMBEDDED_BYTES} expected:\n${listing}`,
    );
    // The packages mod.ts imports are in; those only tests and benchmarks use are not.
    assert.match(listing, /hyparquet-writer\/0\.17\.0/);
    assert.match(listing, /hyparquet\/1\.31\.5/);
    const unwanted = [
      /duckdb/,
      /playwright/,
      /linux-x64-glibc/,
      /^[├└]─[─┬] (node_modules|tests)\b/m,
    ];
    for (const pattern of unwanted) assert.doesNotMatch(listing, pattern);
    if (Deno.env.get("DENORT_BIN")) {
      // A real runtime: the binary must behave as `deno run -A mod.ts` does.
      const version = await new Deno.Command(output, {
        args: ["--version"],
        env: { NO_COLOR: "1" },
        stdout: "piped",
      })
        .output();
      assert.equal(version.code, 0);
      const viaDeno = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", `${ROOT}mod.ts`, "--version"],
        env: { NO_COLOR: "1" },
        stdout: "piped",
      }).output();
      assert.equal(plain(version.stdout), plain(viaDeno.stdout));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Whether Deno's cache already holds a downloaded `denort` for `target` (then nothing fails). */
function denortCached(target: string): boolean {
  const dir = `${Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`}/dl/release`;
  try {
    return [...Deno.readDirSync(dir)].some((v) => {
      try {
        return [...Deno.readDirSync(`${dir}/${v.name}`)].some((f) => f.name.includes(target));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

Deno.test("REQ-DEP-040: without denort and DENORT_BIN, compile stops with one line per target", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm-compile-" });
  try {
    // dl.deno.land made unreachable (a proxy on a closed port), the npm registry not.
    const env: Record<string, string> = {
      HTTPS_PROXY: "http://127.0.0.1:9",
      https_proxy: "http://127.0.0.1:9",
      NO_PROXY: "registry.npmjs.org",
      no_proxy: "registry.npmjs.org",
      NO_COLOR: "1",
    };
    for (const arch of ["x86_64", "aarch64"]) {
      const target = `${arch}-unknown-linux-gnu`;
      // DENORT_BIN unset for this run whatever the test's environment says.
      const unset = ["DENORT_BIN", "DENORT_BIN_X86_64", "DENORT_BIN_AARCH64"].flatMap((
        v,
      ) => ["-u", v]);
      const r = await new Deno.Command("env", {
        args: [...unset, "sh", COMPILE, `${dir}/fgm-${arch}-linux`, arch],
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const out = plain(r.stdout) + plain(r.stderr);
      if (denortCached(target)) {
        assert.equal(r.code, 0, out); // downloaded before: nothing to explain
        continue;
      }
      assert.equal(r.code, 1, out);
      const lines = out.split("\n").filter((l) => l !== "");
      assert.equal(lines.length, 1, out);
      assert.match(
        lines[0],
        new RegExp(`^compile: cannot download the denort .* for ${target} .*DENORT_BIN`),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
