#!/bin/sh
# Builds the one-file `fgm` binaries (REQ-CLI-006, REQ-DEP-040):
#   deno task compile                      dist/fgm-x86_64-linux and dist/fgm-aarch64-linux
#   sh tools/compile.sh <output> [arch]    one binary, for x86_64 or aarch64 (default: this one)
#
# `deno compile` prepends a `denort` runtime for the target, which it downloads from dl.deno.land
# unless told where one is: DENORT_BIN_X86_64 / DENORT_BIN_AARCH64, or DENORT_BIN for the target of
# its own architecture (it is never used for the other one). Where none is given and the download
# fails (our machines), it stops with one line saying so.
#
# `deno compile` embeds the whole local node_modules directory when the project uses one
# (nodeModulesDir "manual": 180 MB here, a second Deno binary and DuckDB among it). Resolving npm
# packages from Deno's global cache instead (`--node-modules-dir=none`, downloaded from the npm
# registry on first use) with `--exclude-unused-npm` embeds only the packages mod.ts imports.
# `--max-semi-space-size=1`: a 1-MiB young generation, as the deployment files set (REQ-COL-028).
set -u
here=$(dirname "$0")
deno="$here/deno.sh"

# The ELF machine of a file: x86_64, aarch64 or other.
elf_arch() {
  case $(od -An -tx1 -j18 -N2 "$1" 2>/dev/null | tr -d ' \n') in
    3e00) echo x86_64 ;;
    b700) echo aarch64 ;;
    *) echo other ;;
  esac
}

# compile_one <output> <arch>
compile_one() {
  out=$1
  arch=$2
  case $arch in
    x86_64) target=x86_64-unknown-linux-gnu runtime=${DENORT_BIN_X86_64:-} ;;
    aarch64) target=aarch64-unknown-linux-gnu runtime=${DENORT_BIN_AARCH64:-} ;;
    *)
      echo "compile: unknown architecture \"$arch\" (x86_64 or aarch64)" >&2
      return 2
      ;;
  esac
  if [ -z "$runtime" ] && [ -n "${DENORT_BIN:-}" ] && [ "$(elf_arch "$DENORT_BIN")" = "$arch" ]; then
    runtime=$DENORT_BIN
  fi
  log=$(mktemp)
  if [ -n "$runtime" ]; then
    DENORT_BIN=$runtime sh "$deno" compile -A --node-modules-dir=none --exclude-unused-npm \
      --v8-flags=--max-semi-space-size=1 --target "$target" --output "$out" "$here/../mod.ts" \
      >"$log" 2>&1
  else
    env -u DENORT_BIN sh "$deno" compile -A --node-modules-dir=none --exclude-unused-npm \
      --v8-flags=--max-semi-space-size=1 --target "$target" --output "$out" "$here/../mod.ts" \
      >"$log" 2>&1
  fi
  status=$?
  if [ $status -ne 0 ] && [ -z "$runtime" ] && grep -q "denort-$target" "$log"; then
    version=$(sh "$deno" --version | sed -n '1s/^deno \([^ ]*\).*/\1/p')
    var=$(echo "DENORT_BIN_$arch" | tr '[:lower:]' '[:upper:]')
    echo "compile: cannot download the denort $version runtime for $target (dl.deno.land unreachable); set $var or DENORT_BIN to a denort-$target binary (README, \"Deploy\")" >&2
  elif [ $status -ne 0 ]; then
    cat "$log" >&2
  else
    cat "$log"
  fi
  rm -f "$log"
  return $status
}

if [ $# -ge 1 ]; then
  compile_one "$1" "${2:-$(uname -m)}"
  exit $?
fi
mkdir -p "$here/../dist"
failed=0
for arch in x86_64 aarch64; do
  compile_one "$here/../dist/fgm-$arch-linux" "$arch" || failed=1
done
exit $failed
