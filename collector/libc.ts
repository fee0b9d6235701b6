/**
 * Functions of the C library the collector calls now and then (`malloc_trim`, `madvise`), loaded
 * on first use. The reader's own hot calls live in `reader/file_io.ts`.
 *
 * Reaches: the C library through FFI (`dlopen`): file reads, `madvise`, `malloc_trim`.
 *
 * @module
 */

/**
 * Returns a function that gives the symbols of `libc.so.6` named by `symbols`, loading them at
 * its first call, or `null` for good when they cannot be loaded (no FFI permission, no glibc).
 * A 64-bit parameter takes a BigInt: a number there deoptimises the caller (`file_io.ts`).
 */
export function lazyLibc<const S extends Deno.ForeignLibraryInterface>(
  symbols: S,
): () => Deno.DynamicLibrary<S>["symbols"] | null {
  let loaded: Deno.DynamicLibrary<S>["symbols"] | null | undefined;
  return () => {
    if (loaded === undefined) {
      try {
        loaded = Deno.dlopen("libc.so.6", symbols).symbols;
      } catch {
        loaded = null;
      }
    }
    return loaded;
  };
}
