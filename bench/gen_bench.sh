#!/usr/bin/env bash
# Benchmark of `openmso gen` (issue 7 part 1): seconds to generate 1,000,000 clinicians and
# 2,000 facilities into a fresh SQLite file (and into a fresh PostgreSQL database when
# OPENMSO_TEST_PG_ADMIN_URL is set). Prints one JSON object per line:
#   {"figure": "...", "value": N, "unit": "..."}
# Usage: bench/gen_bench.sh [--tiny]   (--tiny: 20,000 clinicians, 50 facilities; seconds)
# The binary: $OPENMSO_BIN, else build-release/, else build/.
set -euo pipefail
cd "$(dirname "$0")/.."
clinicians=1000000 facilities=2000 label=1m
if [[ ${1:-} == --tiny ]]; then clinicians=20000 facilities=50 label=tiny; fi
BIN=${OPENMSO_BIN:-}
if [[ -z $BIN ]]; then
  for b in build-release/src/app/openmso build/src/app/openmso; do [[ -x $b ]] && { BIN=$b; break; }; done
fi
[[ -x ${BIN:-} ]] || { echo "gen_bench: openmso binary not found (set OPENMSO_BIN)" >&2; exit 2; }
TMP=$(mktemp -d /tmp/openmso-gen-bench.XXXXXX)
pgdb=
cleanup() {
  rm -rf "$TMP"
  if [[ -n $pgdb ]]; then psql "$OPENMSO_TEST_PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# run URL BACKEND: migrate first (not timed), then time the generation alone.
run() {
  local url=$1 backend=$2
  "$BIN" migrate --database "$url" >/dev/null 2>&1
  local start end secs
  start=$(date +%s.%N)
  "$BIN" gen --clinicians "$clinicians" --facilities "$facilities" --seed 1 --database "$url" >"$TMP/gen.out" 2>&1 \
    || { cat "$TMP/gen.out" >&2; exit 1; }
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  printf '{"figure": "gen_%s_clinicians_%s_seconds", "value": %s, "unit": "s"}\n' "$label" "$backend" "$secs"
  printf '{"figure": "gen_%s_clinicians_%s_rows_per_second", "value": %s, "unit": "rows/s"}\n' "$label" "$backend" \
    "$(awk -v n="$clinicians" -v s="$secs" 'BEGIN { printf "%d", n / (s > 0 ? s : 0.01) }')"
}

run "sqlite:$TMP/gen.db" sqlite
if [[ $label == 1m ]]; then
  printf '{"figure": "gen_1m_clinicians_sqlite_file_size", "value": %s, "unit": "MiB"}\n' \
    "$(( $(stat -c %s "$TMP/gen.db") / 1048576 ))"
fi
if [[ -n ${OPENMSO_TEST_PG_ADMIN_URL:-} ]]; then
  pgdb="openmso_genbench_$$"
  psql "$OPENMSO_TEST_PG_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pgdb" >/dev/null
  url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path="/"+sys.argv[2]).geturl())' \
    "$OPENMSO_TEST_PG_ADMIN_URL" "$pgdb")
  run "$url" postgres
fi
