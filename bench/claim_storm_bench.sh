#!/usr/bin/env bash
# Claim storm (issue 4 "Performance"): 1,000 concurrent clients claiming 100 shifts of one
# opening each, on SQLite and, when OPENMSO_TEST_PG_ADMIN_URL is set (scripts/with-postgres.sh),
# on PostgreSQL; bench/claim_storm.mjs checks exactly 100 confirmed and nobody double-booked.
# Prints JSON lines. --tiny: 100 clients on 10 shifts (seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENMSO_BIN=${OPENMSO_BIN:-$PWD/${BUILD_DIR:-build-release}/src/app/openmso}
[ -x "$OPENMSO_BIN" ] || { echo "claim_storm_bench: $OPENMSO_BIN not built" >&2; exit 2; }
ARGS=(--clients 1000 --shifts 100)
[ "${1:-}" = "--tiny" ] && ARGS=(--clients 100 --shifts 10)
env -u OPENMSO_TEST_PG_ADMIN_URL node bench/claim_storm.mjs "${ARGS[@]}"
if [ -n "${OPENMSO_TEST_PG_ADMIN_URL:-}" ]; then node bench/claim_storm.mjs "${ARGS[@]}"; fi
