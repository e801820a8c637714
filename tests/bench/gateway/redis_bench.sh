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
REPS=${1:-3}
. "$HERE/bench_common.sh"
command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 1; }

REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$PIN redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$WORK" >"$WORK/redis.out" 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

start_backend

start_gateway() {  # start_gateway NAME NONCE_STORE EXTRA_YAML (sets GATEWAY_PORT)
  local dir="$WORK/$1"
  mkdir -p "$dir"
  cat >"$dir/gateway.yaml" <<YAML
listen: "127.0.0.1:0"
$(gateway_yaml "$dir" ", nonce_store: $2")
redis: {address: "127.0.0.1:$REDIS_PORT"}
$3
YAML
  start_gateway_config "$dir"
}

start_gateway memory memory "" || exit 1
PORT_MEMORY=$GATEWAY_PORT
add_merchants "$WORK/memory/gateway.yaml"
start_gateway redis redis "" || exit 1
PORT_REDIS=$GATEWAY_PORT
start_gateway both redis "plugins:
  - name: rate-limit
    config: {policy: redis, redis: \"127.0.0.1:$REDIS_PORT\", per_merchant: {rate: 1000000000, burst: 1000000000}}" || exit 1
PORT_BOTH=$GATEWAY_PORT
sleep 2.5  # the merchant cache refresh: every gateway knows every merchant

check_bodies "$PORT_MEMORY" "$PORT_REDIS" "$PORT_BOTH"
echo "== c$CONNS, $DUR per run: memory nonces vs redis nonces vs redis nonces + rate-limit on redis"
for rep in $(seq 1 "$REPS"); do
  run_wrk "memory r$rep" "$PORT_MEMORY"; echo
  run_wrk "redis r$rep" "$PORT_REDIS"; echo
  run_wrk "redis+rl r$rep" "$PORT_BOTH"; echo
done | tee "$WORK/runs.txt"
awk '{split($3, a, "="); s[$1] += a[2]} END {
  printf "ratio redis / memory (mean requests/s): %.3f; redis+rl / memory: %.3f\n",
    s["redis"] / s["memory"], s["redis+rl"] / s["memory"] }' "$WORK/runs.txt"
echo "redis keys at the end: $(redis-cli -p "$REDIS_PORT" dbsize)"
