#!/usr/bin/env bash
# The whole test suite, as `make test` runs it: unit tests (ctest), API tests against the
# real binary, browser tests in headless Chromium, all on SQLite; then the storage and API
# tests again on a throwaway PostgreSQL 15 cluster. Prints one closing "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
export OPENMSO_BIN="$PWD/$BUILD_DIR/src/app/openmso"
export OPENMSO_STATIC_DIR="$PWD/web/dist"
LOG_DIR=$(mktemp -d /tmp/openmso-test-logs.XXXXXX)
passed=0; failed=0; failed_steps=()

count_ctest() {  # "100% tests passed, 0 tests failed out of 12"
  local line; line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$1" | tail -1)
  local f t; f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line"); t=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + ${t:-0} - ${f:-0})); failed=$((failed + ${f:-0}))
}
count_node() {  # "# pass 10" / "# fail 0"
  local p f; p=$(grep -E "^# pass [0-9]+" "$1" | tail -1 | awk '{print $3}'); f=$(grep -E "^# fail [0-9]+" "$1" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}
step() {  # step NAME KIND CMD...
  local name=$1 kind=$2; shift 2
  local log="$LOG_DIR/$name.log"
  echo "==> $name"
  "$@" >"$log" 2>&1
  local rc=$?
  case $kind in ctest) count_ctest "$log" ;; node) count_node "$log" ;; esac
  if [ $rc -ne 0 ]; then
    failed_steps+=("$name"); [ "$kind" = plain ] && failed=$((failed + 1))
    echo "---- $name failed (exit $rc); its output:"; tail -n 80 "$log"; echo "----"
  else
    [ "$kind" = plain ] && passed=$((passed + 1))
    grep -E "tests passed|^# (pass|fail) " "$log" | tail -2 | sed 's/^/    /'
  fi
}

step unit ctest ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 300
step openapi-lint plain npx redocly lint docs/openapi.yaml --format=stylish
step bench-tiny plain env BUILD_DIR="$BUILD_DIR" bench/run.sh --tiny
# File formats read back by independent parsers (@ach/ach, ical.js) from files that
# $BUILD_DIR/src/formats/openmso-formats-sample writes.
step formats-node node env BUILD_DIR="$BUILD_DIR" node --test tests/formats/
step api-sqlite node node --test --test-concurrency=1 tests/api/
step browser-sqlite node node --test --test-concurrency=1 tests/e2e/
step postgres-storage-and-api plain scripts/with-postgres.sh bash -c '
  set -e
  "'"$BUILD_DIR"'"/src/storage/storage_test
  node --test --test-concurrency=1 tests/api/'
# Count the PostgreSQL run's node tests too.
count_node "$LOG_DIR/postgres-storage-and-api.log"

echo
if [ ${#failed_steps[@]} -gt 0 ]; then echo "failed steps: ${failed_steps[*]} (logs in $LOG_DIR)"; fi
echo "total: $passed passed, $failed failed"
[ ${#failed_steps[@]} -eq 0 ]
