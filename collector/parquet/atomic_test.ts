import assert from "node:assert/strict";
import { dirOf, isTmpName, syncDir, tmpPathFor, tmpTarget, writeFileAtomic } from "./atomic.ts";

Deno.test("REQ-STO-004: temporary names are hidden, fgm's own, and match no *.parquet glob", () => {
  assert.equal(tmpPathFor("/d/containers/seg.parquet"), "/d/containers/.seg.parquet.fgm-tmp");
  assert.equal(tmpPathFor("seg.parquet"), ".seg.parquet.fgm-tmp");
  assert.ok(!tmpPathFor("/d/x.parquet").endsWith(".parquet"));
  assert.equal(tmpTarget(".seg.parquet.fgm-tmp"), "seg.parquet");
  assert.equal(isTmpName("seg.parquet.tmp"), false, "another program's temporary file");
  assert.equal(isTmpName("x.fgm-tmp"), false, "not hidden: not one of ours");
  assert.equal(tmpTarget(".fgm-tmp"), null);
  assert.equal(dirOf("/d/x.parquet"), "/d");
  assert.equal(dirOf("x.parquet"), ".");
  assert.equal(dirOf("/x.parquet"), "/");
});

Deno.test("REQ-STO-004: writeFileAtomic() replaces a file and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fgm_atomic_" });
  try {
    await writeFileAtomic(`${dir}/a.parquet`, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(`${dir}/a.parquet`, new Uint8Array([4, 5]));
    assert.deepEqual(await Deno.readFile(`${dir}/a.parquet`), new Uint8Array([4, 5]));
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
    assert.deepEqual(names, ["a.parquet"]);
    await assert.rejects(() => writeFileAtomic(`${dir}/missing/a.parquet`, new Uint8Array(1)));
    await syncDir(`${dir}/missing`); // never throws
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
