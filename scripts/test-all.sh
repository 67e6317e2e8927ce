#!/usr/bin/env bash
# `npm test`: every test NACpredict has, on a fresh machine: formatting (prettier), lint, types, unit, integration on both databases
# (embedded PGlite and the PostgreSQL server), then a production build and the browser (Playwright) specs.
# Steps that use one core run side by side so both cores of the CI machine work (format, lint and types; the two
# integration runs, each one file at a time, the build after the shorter one); their output goes to a log each, shown
# when a step fails. Timings per step and why this order: docs/BENCHMARKS.md ("CI time").
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
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/nac-test-XXXXXX")

# step NAME CMD...: runs CMD with its output in $LOGS/NAME.log; prints the wall time, and the log when it fails.
step() {
  local name=$1 t0=$SECONDS rc=0
  shift
  "$@" >"$LOGS/$name.log" 2>&1 || rc=$?
  if [ $rc -eq 0 ]; then
    echo "== $name: ok ($((SECONDS - t0)) s)"
    sed 's/\x1b\[[0-9;]*m//g' "$LOGS/$name.log" | grep -E "^ +(Test Files|Tests) " || true # vitest's counts
  else
    echo "== $name: FAILED (exit $rc, $((SECONDS - t0)) s); its output ($LOGS/$name.log):"
    cat "$LOGS/$name.log"
  fi
  return $rc
}
# together: waits for the steps started in the background (their pids in $pids); fails if any failed.
together() {
  local failed=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  pids=()
  return $failed
}
pids=()

echo "== format, lint, types (side by side)"
step format bash -c 'npx --no-install prettier --check . || { echo "run: npx prettier --write ."; exit 1; }' &
pids+=($!)
step lint npm run -s lint &
pids+=($!)
step types npm run -s typecheck &
pids+=($!)
together

# One test file per core: vitest's default (cores - 1) runs one file at a time on the 2-core CI machine.
echo "== unit"; npx vitest run --project unit --maxWorkers=100%

# The PostgreSQL run takes about two thirds of the PGlite one: the production build follows it on its core.
echo "== integration on embedded PGlite | integration on the PostgreSQL server, then the build (side by side)"
NAC_TEST_DB=pglite step integration-pglite npx vitest run --project integration &
pids+=($!)
(
  NAC_TEST_DB=postgres step integration-postgres npx vitest run --project integration
  step build npx --no-install next build --webpack
) &
pids+=($!)
together

echo "== e2e (Playwright, Debian chromium)"; npx playwright test
