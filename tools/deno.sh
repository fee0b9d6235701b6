#!/bin/sh
# Runs the project's pinned Deno (npm package `deno`, installed by `npm ci`), else one on PATH.
# `deno task` would run node_modules/.bin/deno as a JavaScript bin script; going through this
# script runs the binary itself.
here=$(dirname "$0")/..
if [ -x "$here/node_modules/deno/deno" ]; then exec "$here/node_modules/deno/deno" "$@"; fi
exec deno "$@"
