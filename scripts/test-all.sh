#!/usr/bin/env bash
# `npm test`: every test NACpredict has, on a fresh machine: formatting (prettier), lint, types, unit, integration on both databases
# (embedded PGlite and the PostgreSQL server), then a production build and the browser (Playwright) specs.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian chromium for browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "browser tests need /usr/bin/chromium (apt-get install chromium)" >&2
    exit 1
  fi
fi
: "${NAC_TEST_POSTGRES_URL:=postgresql://postgres@127.0.0.1:5432/test}"
export NAC_TEST_POSTGRES_URL

echo "== format"; npx --no-install prettier --check . >/tmp/nac-format.log 2>&1 || { tail -30 /tmp/nac-format.log; echo "run: npx prettier --write ." >&2; exit 1; }
echo "== lint"; npm run -s lint
echo "== types"; npm run -s typecheck
echo "== unit"; npx vitest run --project unit
echo "== integration (embedded PGlite)"; NAC_TEST_DB=pglite npx vitest run --project integration
echo "== integration (PostgreSQL server)"; NAC_TEST_DB=postgres npx vitest run --project integration
echo "== build"; npx --no-install next build --webpack >/tmp/nac-build.log 2>&1 || { tail -50 /tmp/nac-build.log; exit 1; }
echo "== e2e (Playwright, Debian chromium)"; npx playwright test
