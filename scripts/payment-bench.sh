#!/usr/bin/env bash
# Measures opp-payment throughput on SQLite: builds opp-payment and bench_payment, starts
# the server on a free loopback port with a fresh database in a temp dir, runs the load
# client (QRPay and QueryOrder, 1 and 4 client threads), prints calls/s, stops the server.
#
#   scripts/payment-bench.sh [BUILD_DIR]     (default: build-bench)
# Environment: WORKERS (server handler threads, default 4).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build-bench}"
WORKERS="${WORKERS:-4}"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DOPP_BENCH=ON >/dev/null
cmake --build "$BUILD" --target opp-payment bench_payment -j"$(nproc)" >/dev/null

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cat >"$WORK/payment.yaml" <<YAML
listen: "127.0.0.1:0"
database: "sqlite3://db=data/payment.db"
workers: $WORKERS
YAML

"$BUILD/src/payment/opp-payment" --config "$WORK/payment.yaml" >"$WORK/out.log" 2>"$WORK/err.log" &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/out.log")"
  [ -n "$PORT" ] && break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "opp-payment did not start:" >&2
  cat "$WORK/err.log" >&2
  exit 1
fi

echo "opp-payment on 127.0.0.1:$PORT (SQLite WAL, synchronous=FULL, $WORKERS workers), $(nproc) cores"
"$BUILD/tests/bench/bench_payment" --port="$PORT" --benchmark_counters_tabular=true
