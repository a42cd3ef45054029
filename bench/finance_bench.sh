#!/usr/bin/env bash
# Benchmark of pay runs and invoicing over the database (issue 5): a biweekly pay run for
# 100,000 clinicians x 10 shifts on SQLite (load, draft, finalize; target under 30 s end to
# end) and 100,000 approved timesheets invoiced into finalized invoices (target under 2 s on
# PostgreSQL), on SQLite and, when PostgreSQL 15 is installed, on a throwaway cluster
# (scripts/with-postgres.sh) or the one named by OPENMSO_TEST_PG_URL. JSON figures on stdout.
# Usage: bench/finance_bench.sh [--tiny]   (--tiny: 2,000 clinicians, 3,000 timesheets)
# The binary: $BUILD_DIR/bench/finance_bench (BUILD_DIR defaults to build-release), or
# $FINANCE_BENCH_BIN. FINANCE_BENCH_NO_PG=1 skips PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-release}
BIN=${FINANCE_BENCH_BIN:-$BUILD_DIR/bench/finance_bench}
[ -x "$BIN" ] || { echo "finance_bench: $BIN not built (ninja -C $BUILD_DIR finance_bench)" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
TINY=""; [ "${1:-}" = "--tiny" ] && TINY="--tiny"

"$BIN" $TINY

[ "${FINANCE_BENCH_NO_PG:-}" = "1" ] && exit 0
if [ -n "${OPENMSO_TEST_PG_URL:-}" ]; then
  exec "$BIN" $TINY --phases invoice --database "$OPENMSO_TEST_PG_URL"
elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  # The cluster's connection is handed in by with-postgres.sh's environment.
  exec scripts/with-postgres.sh bash -c '"$0" $1 --phases invoice --database "$OPENMSO_TEST_PG_URL"' "$BIN" "$TINY"
else
  echo "finance_bench: PostgreSQL 15 not installed; invoicing measured on SQLite only" >&2
fi
