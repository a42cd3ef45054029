#!/usr/bin/env bash
# Candidates for a new posting with 1,000,000 synthetic clinicians (issue 4 "Performance"):
# `openmso gen` writes 1M clinicians and 2,000 facilities over US metro areas into a SQLite
# file, then candidates_bench loads them into the in-memory index and queries every
# facility for RN, LPN and CNA. Prints JSON lines (p50/p99 per query, bytes per clinician).
# Usage: bench/candidates_bench.sh [--tiny]   (--tiny: 20,000 clinicians, 50 facilities)
# Binaries: $OPENMSO_BIN / $CANDIDATES_BENCH_BIN, else $BUILD_DIR (build-release), else build/.
set -euo pipefail
cd "$(dirname "$0")/.."
clinicians=1000000 facilities=2000
if [[ ${1:-} == --tiny ]]; then clinicians=20000 facilities=50; fi
find_bin() {  # find_bin VAR RELPATH
  local v=${!1:-}
  if [[ -z $v ]]; then
    for d in "${BUILD_DIR:-build-release}" build; do [[ -x $d/$2 ]] && { v=$d/$2; break; }; done
  fi
  [[ -x ${v:-} ]] || { echo "candidates_bench: $2 not found (set $1)" >&2; exit 2; }
  echo "$v"
}
BIN=$(find_bin OPENMSO_BIN src/app/openmso)
BENCH=$(find_bin CANDIDATES_BENCH_BIN bench/candidates_bench)
TMP=$(mktemp -d /tmp/openmso-candidates-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
"$BIN" migrate --database "sqlite:$TMP/c.db" >/dev/null 2>&1
"$BIN" gen --clinicians "$clinicians" --facilities "$facilities" --seed 7 --database "sqlite:$TMP/c.db" >"$TMP/gen.out" 2>&1 \
  || { cat "$TMP/gen.out" >&2; exit 1; }
"$BENCH" --database "sqlite:$TMP/c.db"
