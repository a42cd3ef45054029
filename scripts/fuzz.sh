#!/usr/bin/env bash
# Longer fuzzing runs (issue 7): configures build-fuzz with clang and -DOPENMSO_FUZZ=ON
# (libFuzzer + ASan + UBSan), builds every target in tests/fuzz and runs each for SECONDS
# (default 60) from a scratch copy of its seed corpus. A crash leaves crash-* files in
# build-fuzz/fuzz-out/TARGET; add the input to tests/fuzz/corpus/TARGET as a regression.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}; shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(json_body target time money nrp_instance)
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DOPENMSO_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD" $(printf 'fuzz_%s ' "${TARGETS[@]}")
status=0
for t in "${TARGETS[@]}"; do
  out="$BUILD/fuzz-out/$t"; rm -rf "$out"; mkdir -p "$out/corpus"
  cp tests/fuzz/corpus/"$t"/* "$out/corpus/"
  echo "==> fuzz_$t for ${SECONDS_EACH}s"
  if ! (cd "$out" && "../../tests/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
          -print_final_stats=1 corpus 2>&1 | tail -n 25); then
    status=1
  fi
  ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* 2>/dev/null && status=1 || true
done
exit $status
