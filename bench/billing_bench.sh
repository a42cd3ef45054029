#!/usr/bin/env bash
# Benchmark of the pure facility-billing engine (issue 5 part 6): 100,000 approved timesheets
# over two weeks for three facilities become three invoice drafts; ComputeInvoice alone is
# timed (the database part is measured by the integrator). Prints one JSON object per line:
#   {"figure": "...", "value": N, "unit": "..."}
# Usage: bench/billing_bench.sh [--tiny]   (--tiny: 3,000 timesheets, 2 runs)
# The binary: $BILLING_BENCH_BIN, else $BUILD_DIR/bench (default build-release), build-bill-rel, build.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(--timesheets 100000 --iterations 5)
if [[ ${1:-} == --tiny ]]; then args=(--timesheets 3000 --iterations 2); fi
BIN=${BILLING_BENCH_BIN:-}
if [[ -z $BIN ]]; then
  for b in "${BUILD_DIR:-build-release}/bench/billing_bench" build-bill-rel/bench/billing_bench build/bench/billing_bench; do
    [[ -x $b ]] && { BIN=$b; break; }
  done
fi
[[ -x ${BIN:-} ]] || { echo "billing_bench: binary not found (set BILLING_BENCH_BIN)" >&2; exit 2; }
exec "$BIN" "${args[@]}"
