#!/usr/bin/env bash
# HTTP throughput of `openmso serve` next to nginx answering `return 200`, measured with
# wrk on loopback in the same run and with the same settings: /healthz and an
# authenticated GET /api/v1/facilities. Prints a markdown table on stderr and one JSON
# object per figure on stdout. --tiny: a seconds-long run for the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-release}
BIN="$PWD/$BUILD_DIR/src/app/openmso"
DURATION=${HTTP_BENCH_SECONDS:-10}; CONNECTIONS=${HTTP_BENCH_CONNECTIONS:-64}; THREADS=2
if [ "${1:-}" = "--tiny" ]; then DURATION=1; CONNECTIONS=8; fi
for tool in wrk nginx; do command -v $tool >/dev/null || { echo "http_bench: $tool not installed" >&2; exit 2; }; done
[ -x "$BIN" ] || { echo "http_bench: $BIN not built" >&2; exit 2; }

WORK=$(mktemp -d /tmp/openmso-http-bench.XXXXXX)
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
NGINX_PORT=$(free_port); APP_PORT=$(free_port)

# nginx as it is usually tuned for such a test: as many workers as openmso has I/O threads,
# no access log, and keep-alive connections that are not closed after nginx's default 1000
# requests (openmso never closes a keep-alive connection for its count, so neither should
# the reference).
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

# In its own session, as nginx is once it daemonizes: with the kernel's autogroup scheduling
# each session shares the CPU as one group, so a server left in wrk's session would get less
# CPU than nginx whenever anything else runs on the machine.
OPENMSO_LOG_LEVEL=warn setsid "$BIN" serve --port "$APP_PORT" --demo --database "sqlite:$WORK/bench.db" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$APP_PORT/readyz" >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$APP_PORT/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"auditor@demo.openmso.org","password":"OpenMSO-demo-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

rps() {  # rps URL [header]
  local out
  if [ -n "${2:-}" ]; then out=$(wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -H "$2" "$1"); else out=$(wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency "$1"); fi
  local r p99 errs
  r=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "${r:-0} ${p99:-?} ${errs:-0}"
}
read -r NGINX_RPS NGINX_P99 _ <<<"$(rps "http://127.0.0.1:$NGINX_PORT/")"
read -r HEALTH_RPS HEALTH_P99 HEALTH_ERR <<<"$(rps "http://127.0.0.1:$APP_PORT/healthz")"
read -r FAC_RPS FAC_P99 FAC_ERR <<<"$(rps "http://127.0.0.1:$APP_PORT/api/v1/facilities" "Authorization: Bearer $TOKEN")"
if [ "$HEALTH_ERR" != "0" ] || [ "$FAC_ERR" != "0" ]; then echo "http_bench: non-2xx responses: healthz=$HEALTH_ERR facilities=$FAC_ERR" >&2; exit 1; fi

ratio() { python3 -c "print(round($1/$2, 3) if $2 else 0)"; }
HEALTH_RATIO=$(ratio "$HEALTH_RPS" "$NGINX_RPS"); FAC_RATIO=$(ratio "$FAC_RPS" "$NGINX_RPS")
{
  echo "| endpoint (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s) | requests/s | p99 | ratio to nginx |"
  echo "|---|---:|---:|---:|"
  echo "| nginx return 200 (reference) | $NGINX_RPS | $NGINX_P99 | 1.000 |"
  echo "| openmso GET /healthz | $HEALTH_RPS | $HEALTH_P99 | $HEALTH_RATIO |"
  echo "| openmso GET /api/v1/facilities (Bearer) | $FAC_RPS | $FAC_P99 | $FAC_RATIO |"
} >&2
cat <<JSON
{"figure": "http.nginx_return_200.rps", "value": $NGINX_RPS, "unit": "requests/s"}
{"figure": "http.healthz.rps", "value": $HEALTH_RPS, "unit": "requests/s", "reference": "http.nginx_return_200.rps", "ratio": $HEALTH_RATIO}
{"figure": "http.facilities_authenticated.rps", "value": $FAC_RPS, "unit": "requests/s", "reference": "http.nginx_return_200.rps", "ratio": $FAC_RATIO}
JSON
