#!/usr/bin/env bash
# Benchmark of exclusion screening and compliance (issue 3): 1,000,000 synthetic clinicians
# against 80,000 synthetic LEIE rows (index + screen, one thread, parsing excluded; target
# < 2 s) and one warm compliance evaluation (target < 20 us). JSON figures on stdout
# (bench/run.sh), a summary on stderr.
# Usage: bench/screening_bench.sh [--tiny]   (--tiny: 20,000 x 2,000; well under a second)
# The binary: $BUILD_DIR/bench/screening_bench (BUILD_DIR defaults to build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-release}
BIN="$BUILD_DIR/bench/screening_bench"
[ -x "$BIN" ] || { echo "screening_bench: $BIN not built (ninja -C $BUILD_DIR screening_bench)" >&2; exit 2; }
if [ "${1:-}" = "--tiny" ]; then
  exec "$BIN" --tiny
fi
exec "$BIN" --clinicians "${SCREENING_BENCH_CLINICIANS:-1000000}" --exclusions "${SCREENING_BENCH_EXCLUSIONS:-80000}"
