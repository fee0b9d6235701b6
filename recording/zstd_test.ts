import assert from "node:assert/strict";
import { zstdCompressSync } from "node:zlib";
import { decompressZstd, nativeZstd } from "./zstd.ts";

const ci = Deno.env.get("CI") === "true";

Deno.test("REQ-REC-003: decompressZstd() gives node:zlib's bytes, through libzstd where it loads", () => {
  if (!nativeZstd()) {
    if (ci) throw new Error("libzstd.so.1 did not load in CI");
    console.warn("skipped: libzstd.so.1 cannot be loaded here; node:zlib decompresses instead");
  }
  for (const size of [0, 1, 1000, 24_000, 1 << 20]) {
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = (i * 31) ^ (i >> 7);
    const back = decompressZstd(new Uint8Array(zstdCompressSync(data)), size);
    assert.deepEqual(back, data, `${size} bytes`);
  }
  // Garbage is an error, not bytes.
  assert.throws(() => decompressZstd(new Uint8Array([1, 2, 3, 4, 5]), 10));
});
