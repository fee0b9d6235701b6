/**
 * ZSTD page decompression for the recording reader. `node:zlib`'s `zstdDecompressSync` costs about
 * 20 µs a call whatever the page's size — for a day of 50 containers (5 760 pages of one metric,
 * its time and key columns) more than decoding the values — so, where the C library `libzstd.so.1`
 * can be loaded (FFI permission, Debian's libzstd1, present wherever apt or systemd is), pages are
 * decompressed by `ZSTD_decompressDCtx` with one reused context (a few µs a call). Otherwise, or
 * with `FGM_ZSTD=node`, `node:zlib` does it; both give the same bytes.
 *
 * @module
 */

import { zstdDecompressSync } from "node:zlib";

const SYMBOLS = {
  ZSTD_createDCtx: { parameters: [], result: "pointer" },
  ZSTD_decompressDCtx: {
    parameters: ["pointer", "buffer", "usize", "buffer", "usize"],
    result: "usize",
  },
  ZSTD_isError: { parameters: ["usize"], result: "u32" },
} as const;

type Zstd = { decompress(input: Uint8Array, size: number): Uint8Array; native: boolean };

let loaded: Zstd | undefined;

function load(): Zstd {
  const fallback: Zstd = {
    native: false,
    decompress: (input) => {
      const out = zstdDecompressSync(input);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
  };
  if (Deno.env.get("FGM_ZSTD") === "node") return fallback;
  try {
    const lib = Deno.dlopen("libzstd.so.1", SYMBOLS).symbols;
    const ctx = lib.ZSTD_createDCtx();
    let scratch = new Uint8Array(64 * 1024);
    if (ctx === null) return fallback;
    return {
      native: true,
      decompress(input, size) {
        // Pages are decoded right away and never kept: one growing buffer serves them all, so a
        // day's query leaves no page-sized garbage behind (which glibc keeps as RSS).
        if (scratch.byteLength < size) {
          scratch = new Uint8Array(Math.max(size, scratch.byteLength * 2));
        }
        const out = scratch.subarray(0, size);
        const n = lib.ZSTD_decompressDCtx(ctx, out, BigInt(size), input, BigInt(input.byteLength));
        if (lib.ZSTD_isError(n) !== 0 || Number(n) !== size) {
          // A frame libzstd refuses or sizes otherwise: node:zlib's error, or its bytes.
          return fallback.decompress(input, size);
        }
        return out;
      },
    };
  } catch {
    return fallback;
  }
}

/**
 * Decompresses one ZSTD frame of `size` bytes. The result is valid until the next call (it may
 * share one buffer with the next page): decode it, copy what is kept.
 *
 * @example
 * ```ts
 * import { zstdCompressSync } from "node:zlib";
 * import { decompressZstd } from "./zstd.ts";
 * const text = new TextEncoder().encode("a page of a column chunk");
 * const back = decompressZstd(new Uint8Array(zstdCompressSync(text)), text.byteLength);
 * console.assert(new TextDecoder().decode(back) === "a page of a column chunk");
 * ```
 */
export function decompressZstd(input: Uint8Array, size: number): Uint8Array {
  loaded ??= load();
  return loaded.decompress(input, size);
}

/** Whether pages are decompressed by libzstd (else by node:zlib). */
export function nativeZstd(): boolean {
  loaded ??= load();
  return loaded.native;
}
