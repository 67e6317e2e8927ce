#!/usr/bin/env bash
# `prisma generate` wants the native schema engine and downloads it when absent, which fails offline.
# Generation itself does not run the engine: pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file
# lets it generate the typed client. Remove once Prisma's CLI stops requiring the binary for `generate`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f prisma/schema.prisma ] || exit 0
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
if ! out=$(node node_modules/prisma/build/index.js generate 2>&1); then
  echo "$out" >&2
  exit 1
fi
