#!/usr/bin/env bash
# Runs every benchmark program and script of bench/ and prints one markdown table of
# figures, writing them all as JSON to bench/results/results.json. `make bench` calls it
# after a Release build; `bench/run.sh --tiny` (used by `make test`) runs seconds-long
# variants of each so that none of them can rot.
#   ROSTER_TIME_LIMIT (default 60 s per instance), ROSTER_THREADS (1), ROSTER_INSTANCES (all).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-release}
export BUILD_DIR
TINY=""; [ "${1:-}" = "--tiny" ] && TINY="--tiny"
OUT_DIR=bench/results; mkdir -p "$OUT_DIR"
LINES=$(mktemp); status=0

run() {  # run NAME CMD... ; collects the JSON lines the command prints on stdout
  local name=$1; shift
  echo "==> $name" >&2
  if "$@" >>"$LINES"; then :; else echo "benchmark $name failed" >&2; status=1; fi
}

# Scripts following the convention: bench/*_bench.sh [--tiny], JSON lines on stdout.
for script in bench/*_bench.sh; do
  [ -x "$script" ] || continue
  run "$(basename "$script" .sh)" "$script" $TINY
done

# The roster optimizer on the Curtois & Qu instances (issue 6).
if [ -x "$BUILD_DIR/bench/roster_bench" ]; then
  if [ -n "$TINY" ]; then
    run roster_bench "$BUILD_DIR/bench/roster_bench" --time-limit 0.3 --instances Instance1,Instance2 --json "$OUT_DIR/roster.json"
  else
    run roster_bench "$BUILD_DIR/bench/roster_bench" --time-limit "${ROSTER_TIME_LIMIT:-60}" --threads "${ROSTER_THREADS:-1}" \
        ${ROSTER_INSTANCES:+--instances "$ROSTER_INSTANCES"} --json "$OUT_DIR/roster.json"
  fi
  # roster_bench writes its own JSON file; fold its figures into the table.
  python3 - "$OUT_DIR/roster.json" >>"$LINES" <<'PY' || true
import json, sys
try:
    data = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(0)
rows = data if isinstance(data, list) else data.get("figures", data.get("results", []))
for r in rows:
    if isinstance(r, dict) and "figure" in r:
        print(json.dumps(r))
PY
fi

python3 - "$LINES" "$OUT_DIR/results.json" <<'PY'
import json, sys
figures = []
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("{"):
        try: figures.append(json.loads(line))
        except ValueError: pass
json.dump(figures, open(sys.argv[2], "w"), indent=2)
print("| figure | value | unit | reference | ratio |")
print("|---|---:|---|---|---:|")
for f in figures:
    print(f"| {f['figure']} | {f['value']} | {f.get('unit','')} | {f.get('reference','')} | {f.get('ratio','')} |")
print(f"\n{len(figures)} figures written to {sys.argv[2]}", file=sys.stderr)
PY
rm -f "$LINES"
exit $status
