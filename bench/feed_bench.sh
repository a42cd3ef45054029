#!/usr/bin/env bash
# The clinician's open-shift feed (GET /api/v1/me/open-shifts, issue 4 "Performance") under
# wrk, next to nginx answering `return 200` in the same run with the same settings (as
# bench/http_bench.sh). The demo clinician's feed over the demo data plus 20 shifts she may
# work: each open shift is checked with every eligibility rule. Prints a markdown table on stderr and JSON lines on
# stdout; fails on any non-2xx answer or an empty feed. --tiny: a seconds-long run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-release}
BIN=${OPENMSO_BIN:-$PWD/$BUILD_DIR/src/app/openmso}
DURATION=${FEED_BENCH_SECONDS:-10}; CONNECTIONS=${FEED_BENCH_CONNECTIONS:-64}; THREADS=2
if [ "${1:-}" = "--tiny" ]; then DURATION=1; CONNECTIONS=8; fi
for tool in wrk nginx curl; do command -v $tool >/dev/null || { echo "feed_bench: $tool not installed" >&2; exit 2; }; done
[ -x "$BIN" ] || { echo "feed_bench: $BIN not built" >&2; exit 2; }

WORK=$(mktemp -d /tmp/openmso-feed-bench.XXXXXX)
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
NGINX_PORT=$(free_port); APP_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 '{"status":"ok"}'; } }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK"
OPENMSO_LOG_LEVEL=warn OPENMSO_JOBS_INTERVAL_SECONDS=0 setsid "$BIN" serve --port "$APP_PORT" --demo \
  --database "sqlite:$WORK/bench.db" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$APP_PORT/readyz" >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$APP_PORT/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"clinician@demo.openmso.org","password":"OpenMSO-demo-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# The demo's open shifts are out of Riley's reach: bring her home near Lakeside (as the API
# tests do) and post 20 RN day shifts there, one a day from 3 days ahead.
python3 - "http://127.0.0.1:$APP_PORT" "$TOKEN" <<'PY'
import datetime, json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
def call(method, path, tok, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"authorization": "Bearer " + tok, "content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
manager = call("POST", "/api/v1/auth/login", "", {"email": "manager@demo.openmso.org", "password": "OpenMSO-demo-2026"})["token"]
me = call("GET", "/api/v1/me", token)
cid = me.get("clinician_id") or me.get("user", {}).get("clinician_id")
profile = call("GET", f"/api/v1/clinicians/{cid}/profile", token)
editable = {k: v for k, v in profile.items() if k not in ("id", "email", "status", "status_reason", "home_facility_id")}
editable.update(home={"latitude": 41.91, "longitude": -87.64}, travel_radius_km=40)
call("PUT", f"/api/v1/clinicians/{cid}/profile", token, editable)
unit = call("GET", "/api/v1/facilities/1/units", manager)["items"][0]["id"]
first = datetime.date.today() + datetime.timedelta(days=3)
dates = [(first + datetime.timedelta(days=i)).isoformat() for i in range(20)]
call("POST", "/api/v1/facilities/1/shifts", manager, {"unit_id": unit, "discipline": "RN", "start": f"{dates[0]}T07:00",
     "end": f"{dates[0]}T15:00", "break_minutes": 30, "pay_rate_cents": 5500, "bill_rate_cents": 7800, "dates": dates})
PY
ITEMS=$(curl -sf "http://127.0.0.1:$APP_PORT/api/v1/me/open-shifts" -H "Authorization: Bearer $TOKEN" \
  | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$ITEMS" -gt 0 ] || { echo "feed_bench: the demo clinician's feed is empty" >&2; exit 1; }

rps() {  # rps URL [header]
  local out
  if [ -n "${2:-}" ]; then out=$(wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -H "$2" "$1"); else out=$(wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency "$1"); fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/Non-2xx/ {print $5}' <<<"$out")"
}
read -r NGINX_RPS NGINX_P99 _ <<<"$(rps "http://127.0.0.1:$NGINX_PORT/")"
read -r FEED_RPS FEED_P99 FEED_ERR <<<"$(rps "http://127.0.0.1:$APP_PORT/api/v1/me/open-shifts" "Authorization: Bearer $TOKEN")"
if [ -n "$FEED_ERR" ] && [ "$FEED_ERR" != "0" ]; then echo "feed_bench: $FEED_ERR non-2xx responses" >&2; exit 1; fi
RATIO=$(python3 -c "print(round(${FEED_RPS:-0}/${NGINX_RPS:-1}, 3) if ${NGINX_RPS:-0} else 0)")
{
  echo "| endpoint (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s) | requests/s | p99 | ratio to nginx |"
  echo "|---|---:|---:|---:|"
  echo "| nginx return 200 (reference) | $NGINX_RPS | $NGINX_P99 | 1.000 |"
  echo "| openmso GET /api/v1/me/open-shifts ($ITEMS shifts) | $FEED_RPS | $FEED_P99 | $RATIO |"
} >&2
cat <<JSON
{"figure": "feed.nginx_return_200.rps", "value": $NGINX_RPS, "unit": "requests/s"}
{"figure": "feed.open_shifts.rps", "value": ${FEED_RPS:-0}, "unit": "requests/s", "reference": "feed.nginx_return_200.rps", "ratio": $RATIO}
{"figure": "feed.open_shifts.items", "value": $ITEMS, "unit": "shifts"}
JSON
