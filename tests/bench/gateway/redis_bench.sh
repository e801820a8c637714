#!/usr/bin/env bash
# The cost of shared state: gateway requests/s with the memory nonce store against
# auth.nonce_store: redis, and against redis nonces plus rate-limit policy: redis (limits
# no run reaches), three gateways on one backend and one local redis-server, runs
# interleaved so all see the same machine.
#
#   tests/bench/gateway/redis_bench.sh [REPS]
# Environment: DUR=10s CONNS=32 BUILD=build-bench NO_BUILD=1
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
REPS=${1:-3}
DUR=${DUR:-10s}
CONNS=${CONNS:-32}
PIN="taskset -c 0,1"

if [ "${NO_BUILD:-0}" != 1 ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
    cmake --build "$BUILD" --target opp-gateway opp-admin bench_payment_fast >/dev/null || exit 1
fi
GATEWAY=$(find "$BUILD" -type f -name opp-gateway -perm -u+x | head -1)
ADMIN=$(find "$BUILD" -type f -name opp-admin -perm -u+x | head -1)
BACKEND=$(find "$BUILD" -type f -name bench_payment_fast -perm -u+x | head -1)
command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 1; }

WORK=$(mktemp -d /tmp/gateway-redis-bench.XXXXXX)
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

wait_listening() {  # wait_listening FILE -> port
  for _ in $(seq 1 200); do
    port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$1" 2>/dev/null | head -1)
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.05
  done
  return 1
}

REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$PIN redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$WORK" >"$WORK/redis.out" 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

$PIN "$BACKEND" --threads 2 --merchants 16 --orders 128 >"$WORK/backend.out" 2>/dev/null &
PIDS="$PIDS $!"
BACKEND_PORT=$(wait_listening "$WORK/backend.out") || { echo "backend did not start" >&2; exit 1; }

MERCHANT_IDS=""
for i in $(seq 0 15); do MERCHANT_IDS="$MERCHANT_IDS $(printf 'benchm%02d' "$i")"; done

start_gateway() {  # start_gateway NAME NONCE_STORE EXTRA_YAML -> port
  local dir="$WORK/$1"
  mkdir -p "$dir"
  cat >"$dir/gateway.yaml" <<YAML
listen: "127.0.0.1:0"
threads: 2
idl_dir: "$ROOT/idl"
database: "sqlite3://db=$WORK/gateway.db"
access_log: "$dir/access.log"
auth: {platform_private_key: "$WORK/platform_key.pem", secret_key: "$WORK/secret_kek.bin", max_nonces_per_merchant: 20000000, nonce_store: $2}
redis: {address: "127.0.0.1:$REDIS_PORT"}
upstreams:
  payment: {endpoints: ["127.0.0.1:$BACKEND_PORT"], max_connections: 2, pipeline_depth: 64, max_pending: 4096}
$3
YAML
  $PIN "$GATEWAY" --config "$dir/gateway.yaml" >"$dir/gateway.out" 2>"$dir/gateway.err" &
  PIDS="$PIDS $!"
  wait_listening "$dir/gateway.out" || { cat "$dir/gateway.err" >&2; return 1; }
}

start_gateway memory memory "" >/dev/null || exit 1
for id in $MERCHANT_IDS; do
  "$ADMIN" --config "$WORK/memory/gateway.yaml" merchant add --id "$id" --sign-type HMAC-SHA256 \
    --secret "bench-secret-$id" >/dev/null || exit 1
done
PORT_MEMORY=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$WORK/memory/gateway.out" | head -1)
PORT_REDIS=$(start_gateway redis redis "") || exit 1
PORT_BOTH=$(start_gateway both redis "plugins:
  - name: rate-limit
    config: {policy: redis, redis: \"127.0.0.1:$REDIS_PORT\", per_merchant: {rate: 1000000000, burst: 1000000000}}") ||
  exit 1
sleep 2.5  # the merchant cache refresh: every gateway knows every merchant

run() {  # run LABEL PORT
  local out; out=$(wrk -t1 -c"$CONNS" -d"$DUR" --latency -s "$HERE/gateway.lua" "http://127.0.0.1:$2")
  printf '%s rps=%s p99=%s non2xx=%s\n' "$1" "$(echo "$out" | sed -n 's/Requests\/sec: *//p')" \
    "$(echo "$out" | awk '/ 99%/{print $2}')" \
    "$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *//p' | grep . || echo 0)"
}

for port in "$PORT_MEMORY" "$PORT_REDIS" "$PORT_BOTH"; do
  CHECK=1 wrk -t1 -c"$CONNS" -d1s -s "$HERE/gateway.lua" "http://127.0.0.1:$port" | grep body-check
done
echo "== c$CONNS, $DUR per run: memory nonces vs redis nonces vs redis nonces + rate-limit on redis"
for rep in $(seq 1 "$REPS"); do
  run "memory r$rep" "$PORT_MEMORY"
  run "redis r$rep" "$PORT_REDIS"
  run "redis+rl r$rep" "$PORT_BOTH"
done | tee "$WORK/runs.txt"
awk '{split($3, a, "="); s[$1] += a[2]} END {
  printf "ratio redis / memory (mean requests/s): %.3f; redis+rl / memory: %.3f\n",
    s["redis"] / s["memory"], s["redis+rl"] / s["memory"] }' "$WORK/runs.txt"
echo "redis keys at the end: $(redis-cli -p "$REDIS_PORT" dbsize)"
