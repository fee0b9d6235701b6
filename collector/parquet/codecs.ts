/**
 * Compression codecs for Parquet pages. hyparquet-writer has SNAPPY built in; ZSTD, GZIP and
 * BROTLI come from `node:zlib`, which Deno ships (no npm package). The same module gives hyparquet
 * the matching decompressors, so every file fgm writes can be read back by hyparquet and by DuckDB.
 *
 * @module
 */

import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  gunzipSync,
  gzipSync,
  zstdCompressSync,
  zstdDecompressSync,
  type ZstdOptions,
} from "node:zlib";

/** Page compression codecs fgm can write (LZ4 has no implementation in Deno or hyparquet-writer). */
export type Codec = "UNCOMPRESSED" | "SNAPPY" | "ZSTD" | "GZIP" | "BROTLI";

/** A page compressor as hyparquet-writer calls it. */
export type Compressor = (input: Uint8Array) => Uint8Array;

/** A page decompressor as hyparquet calls it. */
export type Decompressor = (input: Uint8Array, outputLength: number) => Uint8Array;

/** Every codec name, in the order the size benchmark reports them. */
export const CODECS: readonly Codec[] = ["UNCOMPRESSED", "SNAPPY", "GZIP", "BROTLI", "ZSTD"];

/**
 * The compressors for `codec` at `level` (ZSTD 1..22, GZIP 1..9, BROTLI 0..11; `undefined` means
 * the library default: ZSTD 3, GZIP 6, BROTLI 11). SNAPPY and UNCOMPRESSED need none (hyparquet-
 * writer has snappy built in), so the result is empty for them.
 */
export function compressorsFor(
  codec: Codec,
  level?: number,
): Partial<Record<Codec, Compressor>> {
  const bytes = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  switch (codec) {
    case "ZSTD": {
      const params = level === undefined ? {} : { [constants.ZSTD_c_compressionLevel]: level };
      // The page's size, pledged up front, lets zstd size its tables to the input instead of its
      // level's defaults: 28 instead of 52 µs for a 200-byte page, 80 instead of 92 µs for 20 KB
      // (a fresh context per call either way); the frame then records the content size. Node's
      // and Deno's zlib take `pledgedSrcSize`; the @types/node that `deno compile` checks against
      // (no node_modules, tools/compile.sh) does not declare it, hence the cast.
      return {
        ZSTD: (input) =>
          bytes(
            zstdCompressSync(input, { params, pledgedSrcSize: input.byteLength } as ZstdOptions),
          ),
      };
    }
    case "GZIP":
      return { GZIP: (input) => bytes(gzipSync(input, level === undefined ? {} : { level })) };
    case "BROTLI":
      return {
        BROTLI: (input) =>
          bytes(
            brotliCompressSync(input, {
              params: level === undefined ? {} : { [constants.BROTLI_PARAM_QUALITY]: level },
            }),
          ),
      };
    default:
      return {};
  }
}

/** Decompressors that let hyparquet read ZSTD, GZIP and BROTLI pages (SNAPPY is built in). */
export const DECOMPRESSORS: Record<"ZSTD" | "GZIP" | "BROTLI", Decompressor> = {
  ZSTD: (input) => new Uint8Array(zstdDecompressSync(input)),
  GZIP: (input) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(brotliDecompressSync(input)),
};
