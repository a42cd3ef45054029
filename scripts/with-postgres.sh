#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: starts it on 127.0.0.1 on a
# free port, exports OPENMSO_TEST_PG_URL / OPENMSO_TEST_PG_ADMIN_URL, runs the command,
# then always stops the cluster and deletes it. Exits with the command's status.
#
# Usage: scripts/with-postgres.sh CMD [ARGS...]
# Works as root (initdb refuses root, so the cluster is owned by the postgres user) or as
# an ordinary user (the cluster is then owned by that user). Needs Debian's postgresql-15.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x "$PGBIN/initdb" ]]; then
  echo "with-postgres: $PGBIN/initdb not found (apt-get install postgresql-15)" >&2
  exit 2
fi

# As root, run the server as postgres; otherwise as ourselves.
if [[ $(id -u) -eq 0 ]]; then
  DB_USER=postgres
  as_db() { runuser -u postgres -- "$@"; }
else
  DB_USER=$(id -un)
  as_db() { "$@"; }
fi

# A free loopback port: ask the kernel (python3), else guess; start retries on a clash.
pick_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null || echo $((20000 + RANDOM % 40000))
}

TMP=$(mktemp -d /tmp/openmso-pg.XXXXXX)
chmod 755 "$TMP"
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$TMP"
DATA=$TMP/data

cleanup() {
  if [[ -f "$DATA/postmaster.pid" ]]; then
    as_db "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_db "$PGBIN/initdb" -D "$DATA" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
  >"$TMP/initdb.log" 2>&1 || { cat "$TMP/initdb.log" >&2; exit 1; }

# Tests only: no fsync, loopback only, socket inside the temp dir.
started=0
for attempt in 1 2 3 4 5; do
  PORT=$(pick_port)
  if as_db "$PGBIN/pg_ctl" -D "$DATA" -l "$TMP/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP -c max_connections=200 -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
    started=1
    break
  fi
done
if [[ $started -ne 1 ]]; then
  echo "with-postgres: server failed to start; its log:" >&2
  cat "$TMP/server.log" >&2
  exit 1
fi

as_db "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" openmso_test

export OPENMSO_TEST_PG_URL="postgresql://$DB_USER@127.0.0.1:$PORT/openmso_test"
export OPENMSO_TEST_PG_ADMIN_URL="postgresql://$DB_USER@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$PORT ($OPENMSO_TEST_PG_URL)" >&2

status=0
"$@" || status=$?
exit "$status"
