#!/usr/bin/env bash
# Regenerate lib/testdata/pyradiomics-filters (pyradiomics parity references). Needs Debian python3-numpy,
# python3-pywt and libinsighttoolkit5-dev (+ cmake, g++). CI does not run this: it reads the committed outputs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(mktemp -d /tmp/nac-itk-log.XXXXXX)"
trap 'rm -rf "$build"' EXIT
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" >/dev/null
/usr/bin/python3 "$here/generate.py" "$build/itk_log"
