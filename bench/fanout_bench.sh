#!/usr/bin/env bash
# Live fan-out (issue 7 part 7): bench/fanout.mjs with 10,000 WebSocket clients on SQLite,
# then on PostgreSQL (events through LISTEN/NOTIFY) when PostgreSQL 15 is installed.
# Usage: bench/fanout_bench.sh [--tiny]   (--tiny: 300 clients, SQLite only, for `make test`)
# The binary: $BUILD_DIR/src/app/openmso (BUILD_DIR defaults to build-release), or $OPENMSO_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-release}
export OPENMSO_BIN=${OPENMSO_BIN:-$PWD/$BUILD_DIR/src/app/openmso}
[ -x "$OPENMSO_BIN" ] || { echo "fanout_bench: $OPENMSO_BIN not built" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "${1:-}" = "--tiny" ]; then
  exec env -u OPENMSO_TEST_PG_ADMIN_URL node bench/fanout.mjs --clients 300
fi
env -u OPENMSO_TEST_PG_ADMIN_URL node bench/fanout.mjs --clients 10000
if [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -z "${OPENMSO_TEST_PG_ADMIN_URL:-}" ]; then
  scripts/with-postgres.sh node bench/fanout.mjs --clients 10000
fi
