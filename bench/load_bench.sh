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
# On PostgreSQL: pgbench's commit rate on the same cluster first (the reference for ours).
pg_run() {
  local seconds=10; [ "${1:-}" = "--tiny" ] && seconds=2
  local db="${OPENMSO_TEST_PG_ADMIN_URL%/*}/pgbench_ref"
  psql "$OPENMSO_TEST_PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS pgbench_ref" -c "CREATE DATABASE pgbench_ref" >/dev/null
  pgbench -i -q -s 4 "$db" >/dev/null 2>&1
  PGBENCH_TPS=$(pgbench -N -c 4 -j 2 -T "$seconds" "$db" 2>/dev/null | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -1)
  psql "$OPENMSO_TEST_PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS pgbench_ref" >/dev/null
  echo "{\"figure\":\"pgbench_simple_update_tps\",\"value\":${PGBENCH_TPS:-0},\"unit\":\"tps\",\"reference\":\"pgbench -N -c 4 -j 2 -T $seconds, scale 4\"}"
  PGBENCH_TPS=${PGBENCH_TPS:-0} node bench/load.mjs "${ARGS[@]}"
}
export -f pg_run; export ARGS_STR="${ARGS[*]}"
if [ -n "${OPENMSO_TEST_PG_ADMIN_URL:-}" ]; then
  pg_run "${1:-}"
elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  scripts/with-postgres.sh bash -c 'ARGS=($ARGS_STR); pg_run "$0"' "${1:-}"
else
  echo "load_bench: PostgreSQL 15 not installed; two-server run skipped" >&2
fi
