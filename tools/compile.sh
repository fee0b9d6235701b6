#!/bin/sh
# Builds the one `fgm` binary: `sh tools/compile.sh [output]` (default ./fgm), or `deno task compile`.
#
# `deno compile` embeds the whole local node_modules directory when the project uses one
# (nodeModulesDir "manual": 180 MB here, a second Deno binary and DuckDB among it). Resolving npm
# packages from Deno's global cache instead (`--node-modules-dir=none`, downloaded from the npm
# registry on first use) with `--exclude-unused-npm` embeds only the packages mod.ts imports.
# `deno compile` needs a `denort` runtime: set DENORT_BIN where it cannot be downloaded.
# `--max-semi-space-size=1`: a 1-MiB young generation, as the deployment files set (REQ-COL-028).
here=$(dirname "$0")
exec sh "$here/deno.sh" compile -A --node-modules-dir=none --exclude-unused-npm \
  --v8-flags=--max-semi-space-size=1 --output "${1:-fgm}" "$here/../mod.ts"
