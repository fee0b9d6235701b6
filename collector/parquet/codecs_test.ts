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

Deno.test("REQ-STO-003: the ZSTD compressor pledges the page's size, so the frame records it", () => {
  for (const size of [0, 1, 200, 70_000]) {
    const page = new Uint8Array(size).map((_, i) => i % 7);
    const packed = compressorsFor("ZSTD")["ZSTD"]!(page);
    assert.deepEqual([...packed.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd], "zstd magic");
    // Frame_Header_Descriptor: Frame_Content_Size_flag (bits 7-6) or Single_Segment_flag (bit 5)
    // are set only when the compressor knew the size; a streaming frame without it has neither.
    assert.notEqual(packed[4] & 0xe0, 0, `size ${size}: no content size in the frame header`);
    assert.deepEqual(DECOMPRESSORS.ZSTD(packed, size), page);
  }
});
