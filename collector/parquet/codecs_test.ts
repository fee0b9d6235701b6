import assert from "node:assert/strict";
import { CODECS, compressorsFor, DECOMPRESSORS } from "./codecs.ts";

Deno.test("REQ-STO-003: compressorsFor() and DECOMPRESSORS round-trip ZSTD, GZIP and BROTLI pages", () => {
  const page = new TextEncoder().encode("0.00 0.00 0.00 12.34 ".repeat(500));
  for (const codec of ["ZSTD", "GZIP", "BROTLI"] as const) {
    for (const level of [undefined, 1]) {
      const compress = compressorsFor(codec, level)[codec]!;
      const packed = compress(page);
      assert.ok(packed.length < page.length / 10, `${codec} ${level}: ${packed.length}`);
      assert.deepEqual(DECOMPRESSORS[codec](packed, page.length), page);
    }
  }
  assert.deepEqual(compressorsFor("SNAPPY"), {});
  assert.deepEqual(compressorsFor("UNCOMPRESSED"), {});
  assert.deepEqual(CODECS, ["UNCOMPRESSED", "SNAPPY", "GZIP", "BROTLI", "ZSTD"]);
});
