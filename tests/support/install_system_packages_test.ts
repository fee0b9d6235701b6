import assert from "node:assert/strict";

const SCRIPT = new URL("../../.ci/install_system_packages.sh", import.meta.url).pathname;

function allInstalled(): boolean {
  const text = Deno.readTextFileSync(SCRIPT);
  const block = text.slice(text.indexOf("PACKAGES=("), text.indexOf("\n)\n"));
  const packages = [...block.matchAll(/^\s+([a-z0-9.+-]+)/gm)].map((m) => m[1]);
  const out = new Deno.Command("dpkg-query", {
    args: ["-W", "-f=${db:Status-Status}\\n", ...packages],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const statuses = new TextDecoder().decode(out.stdout).split("\n").filter((l) => l);
  return out.code === 0 && statuses.length === packages.length &&
    statuses.every((s) => s === "installed");
}

Deno.test({
  name: "REQ-TST-001: install_system_packages.sh does nothing when everything is installed",
  ignore: !allInstalled(),
  fn: async () => {
    const started = performance.now();
    const out = await new Deno.Command("bash", { args: [SCRIPT], stdout: "piped", stderr: "piped" })
      .output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(new TextDecoder().decode(out.stdout), /already installed/);
    assert.ok(performance.now() - started < 5_000, "no apt-get run");
  },
});
