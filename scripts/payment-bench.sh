#!/usr/bin/env bash
# Measures opp-payment throughput on SQLite: builds opp-payment and bench_payment (Release),
# starts the server on a free loopback port with a fresh database in a temp dir, runs the
# load client (QRPay and QueryOrder, 1 and 4 client threads), prints calls/s, stops the
# server.
#
#   scripts/payment-bench.sh [BUILD_DIR] [bench_payment flags...]   (default: build-bench)
#
# Environment:
#   WORKERS          server workers (framed: I/O threads that run the calls), default 4
#   OPP_PAYMENT_BIN  run this opp-payment instead of building one (e.g. a saved earlier
#                    build, to compare before/after in one session with this script)
#   BENCH_PAYMENT_BIN  likewise for the load client
# Example: 3 repetitions, QueryOrder only:
#   scripts/payment-bench.sh build-rel --benchmark_filter=QueryOrder --benchmark_repetitions=3
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build-bench}"
if [ $# -gt 0 ]; then shift; fi
WORKERS="${WORKERS:-4}"
SERVER="${OPP_PAYMENT_BIN:-$BUILD/src/payment/opp-payment}"
CLIENT="${BENCH_PAYMENT_BIN:-$BUILD/tests/bench/bench_payment}"

if [ -z "${OPP_PAYMENT_BIN:-}" ] || [ -z "${BENCH_PAYMENT_BIN:-}" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPP_BENCH=ON >/dev/null
  cmake --build "$BUILD" --target opp-payment bench_payment -j"$(nproc)" >/dev/null
fi

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

"$SERVER" --config "$WORK/payment.yaml" >"$WORK/out.log" 2>"$WORK/err.log" &
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

echo "$SERVER on 127.0.0.1:$PORT (SQLite WAL, synchronous=FULL, $WORKERS workers), $(nproc) cores"
"$CLIENT" --port="$PORT" --benchmark_counters_tabular=true "$@"
