#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1:$PORT for the payment repository
# tests, and prints the connect URL to use as OPP_TEST_POSTGRES_URL:
#
#   export OPP_TEST_POSTGRES_URL="$(scripts/start-postgres.sh)"
#   ctest --test-dir build -L unit -R repository
#
# Idempotent: installs PostgreSQL 15 (apt) only when missing, creates the cluster only
# when its data directory is empty, starts it only when it is not running, creates the
# database only when missing. Works as root (the server runs as the postgres user).
# Stop it with: scripts/start-postgres.sh --stop
#
# Environment: OPP_PG_PORT (5433), OPP_PG_DIR (/tmp/opp-postgres-$OPP_PG_PORT),
# OPP_PG_DB (opp_test).
set -euo pipefail

PORT="${OPP_PG_PORT:-5433}"
DIR="${OPP_PG_DIR:-/tmp/opp-postgres-$PORT}"
DB="${OPP_PG_DB:-opp_test}"
BIN=/usr/lib/postgresql/15/bin
DATA="$DIR/data"
LOG="$DIR/server.log"

log() { echo "start-postgres: $*" >&2; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -u postgres -- "$@"
  fi
}

if [ ! -x "$BIN/initdb" ]; then
  log "installing postgresql-15"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-client-15 >&2
fi

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$DATA/postmaster.pid" ]; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2
  fi
  exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$DIR"
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "creating cluster in $DATA"
  as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >&2
fi

if ! as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "starting on 127.0.0.1:$PORT"
  as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off" \
    start >&2
fi

for _ in $(seq 1 50); do
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 0.2
done
"$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { log "server did not come up; see $LOG"; exit 1; }

if ! psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  log "creating database $DB"
  psql -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE DATABASE $DB" >&2
fi

echo "postgresql://host=127.0.0.1 port=$PORT dbname=$DB user=postgres"
