#!/usr/bin/env bash
# Benchmark of the payroll rules engine (issue 5): ComputePay for 100,000 clinicians x 10
# shifts over a biweekly period, one thread. Prints JSON figures on stdout (bench/run.sh).
# Usage: bench/payroll_bench.sh [--tiny]   (--tiny: 1,000 clinicians; well under a second)
# The binary: $BUILD_DIR/bench/payroll_bench (BUILD_DIR defaults to build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-release}
BIN="$BUILD_DIR/bench/payroll_bench"
[ -x "$BIN" ] || { echo "payroll_bench: $BIN not built (ninja -C $BUILD_DIR payroll_bench)" >&2; exit 2; }
if [ "${1:-}" = "--tiny" ]; then
  exec "$BIN" --tiny
fi
exec "$BIN" --clinicians "${PAYROLL_BENCH_CLINICIANS:-100000}"
