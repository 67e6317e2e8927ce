#!/usr/bin/env bash
# Quick start: install dependencies when needed, build when sources changed, then start on the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci)"
  npm ci --no-fund --no-audit
fi
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib next.config.js package-lock.json -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  echo "== building the app (next build --webpack)"
  npx --no-install next build --webpack
fi
exec npx --no-install tsx scripts/start.ts
