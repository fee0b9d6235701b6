import assert from "node:assert/strict";
import { claimPath, existedBeforeClaims, hasLiveClaims } from "./claims.ts";

Deno.test("REQ-TST-008: claimPath() lets only the last claimer remove a path the tests made", () => {
  const root = Deno.makeTempDirSync({ prefix: "fgm-claims-test-" });
  try {
    let exists = false;
    const first = claimPath("/made/by/tests", () => exists, { root });
    exists = true; // a runtime created it after the first claim
    const second = claimPath("/made/by/tests", () => exists, { root });
    assert.ok(hasLiveClaims("/made/by/tests", { root }));
    assert.equal(first.release(() => "removed"), null, "another claim is still live");
    assert.equal(second.release(() => "removed"), "removed", "the last claim cleans up");
    assert.equal(second.release(() => "again"), null, "release is idempotent");
    assert.ok(!hasLiveClaims("/made/by/tests", { root }));
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("REQ-TST-008: claimPath() never removes a path that existed before the first claim", () => {
  const root = Deno.makeTempDirSync({ prefix: "fgm-claims-test-" });
  try {
    const claim = claimPath("/was/there", () => true, { root });
    assert.equal(claim.release(() => "removed"), null);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("claimPath() ignores claims of processes that died", () => {
  const root = Deno.makeTempDirSync({ prefix: "fgm-claims-test-" });
  try {
    const dir = `${root}/${encodeURIComponent("/stale")}`;
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(`${dir}/baseline`, "absent");
    Deno.writeTextFileSync(`${dir}/holder-999999999-1`, "999999999"); // no such PID
    const claim = claimPath("/stale", () => true, { root });
    assert.equal(claim.release(() => "removed"), null, "baseline re-taken: it existed");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("REQ-TST-008: existedBeforeClaims() gives the first claimer's baseline while a claim is live", () => {
  const root = Deno.makeTempDirSync({ prefix: "fgm-claims-test-" });
  try {
    let exists = false;
    const claim = claimPath("/made/by/another/test", () => exists, { root });
    exists = true; // the other test made it
    assert.equal(existedBeforeClaims("/made/by/another/test", () => exists, { root }), false);
    claim.release(() => {
      exists = false;
    });
    // No claim left: the path itself tells.
    assert.equal(existedBeforeClaims("/made/by/another/test", () => exists, { root }), false);
    assert.equal(existedBeforeClaims("/made/by/another/test", () => true, { root }), true);
    const kept = claimPath("/was/there/before", () => true, { root });
    assert.equal(existedBeforeClaims("/was/there/before", () => false, { root }), true);
    kept.release(() => null);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
