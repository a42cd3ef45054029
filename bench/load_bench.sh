#!/usr/bin/env bash
# Mixed-workload load test (issue 7 part 5): bench/load.mjs against one server on SQLite,
# then two servers on one PostgreSQL when PostgreSQL 15 is installed (a throwaway cluster
# from scripts/with-postgres.sh, or OPENMSO_TEST_PG_ADMIN_URL). JSON lines on stdout.
# Usage: bench/load_bench.sh [--tiny]   (--tiny: 4 s with 40 clinicians, for `make test`)
# The binary: $BUILD_DIR/src/app/openmso (BUILD_DIR defaults to build-release), or $OPENMSO_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-release}
export OPENMSO_BIN=${OPENMSO_BIN:-$PWD/$BUILD_DIR/src/app/openmso}
[ -x "$OPENMSO_BIN" ] || { echo "load_bench: $OPENMSO_BIN not built" >&2; exit 2; }
ARGS=(--seconds 20 --clinicians 200 --managers 4)
[ "${1:-}" = "--tiny" ] && ARGS=(--seconds 4 --clinicians 40 --managers 2)

env -u OPENMSO_TEST_PG_ADMIN_URL node bench/load.mjs "${ARGS[@]}"
if [ -n "${OPENMSO_TEST_PG_ADMIN_URL:-}" ]; then
  node bench/load.mjs "${ARGS[@]}"
elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  scripts/with-postgres.sh node bench/load.mjs "${ARGS[@]}"
else
  echo "load_bench: PostgreSQL 15 not installed; two-server run skipped" >&2
fi
