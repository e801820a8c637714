#!/usr/bin/env bash
# The cost of plugins: gateway requests/s with all four built-in plugins enabled
# (rate-limit with limits no run reaches, ip-allowlist listing every merchant, cors,
# request-log writing every call) against the same gateway build with none, two gateways
# on one backend, runs interleaved so both see the same machine.
#
#   tests/bench/gateway/plugins_bench.sh [REPS]
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

WORK=$(mktemp -d /tmp/gateway-plugins-bench.XXXXXX)
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

$PIN "$BACKEND" --threads 2 --merchants 16 --orders 128 >"$WORK/backend.out" 2>/dev/null &
PIDS="$PIDS $!"
BACKEND_PORT=$(wait_listening "$WORK/backend.out") || { echo "backend did not start" >&2; exit 1; }

MERCHANT_IDS=""
for i in $(seq 0 15); do MERCHANT_IDS="$MERCHANT_IDS $(printf 'benchm%02d' "$i")"; done
ALLOW=$(for id in $MERCHANT_IDS; do printf '%s: ["127.0.0.0/8", "::1/128"], ' "$id"; done)

start_gateway() {  # start_gateway NAME PLUGINS_YAML -> port
  local dir="$WORK/$1"
  mkdir -p "$dir"
  cat >"$dir/gateway.yaml" <<YAML
listen: "127.0.0.1:0"
threads: 2
idl_dir: "$ROOT/idl"
database: "sqlite3://db=$WORK/gateway.db"
access_log: "$dir/access.log"
auth: {platform_private_key: "$WORK/platform_key.pem", secret_key: "$WORK/secret_kek.bin", max_nonces_per_merchant: 20000000}
upstreams:
  payment: {endpoints: ["127.0.0.1:$BACKEND_PORT"], max_connections: 2, pipeline_depth: 64, max_pending: 4096}
$2
YAML
  $PIN "$GATEWAY" --config "$dir/gateway.yaml" >"$dir/gateway.out" 2>"$dir/gateway.err" &
  PIDS="$PIDS $!"
  wait_listening "$dir/gateway.out" || { cat "$dir/gateway.err" >&2; return 1; }
}

# The merchants, once, in the database both gateways share.
start_gateway none "" >/dev/null || exit 1
for id in $MERCHANT_IDS; do
  "$ADMIN" --config "$WORK/none/gateway.yaml" merchant add --id "$id" --sign-type HMAC-SHA256 \
    --secret "bench-secret-$id" >/dev/null || exit 1
done
PORT_NONE=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$WORK/none/gateway.out" | head -1)
PORT_ALL=$(start_gateway all "plugins:
  - name: rate-limit
    config: {per_merchant: {rate: 1000000000, burst: 1000000000}, per_method: {rate: 1000000000, burst: 1000000000}}
  - name: ip-allowlist
    config: {merchants: {$ALLOW}}
  - name: cors
    config: {allow_origins: [\"*\"]}
  - name: request-log
    config: {path: \"$WORK/all/requests.log\", max_bytes: 268435456, redact_fields: [out_order_no]}") ||
  exit 1
sleep 2.5  # the merchant cache refresh: both gateways know every merchant

run() {  # run LABEL PORT
  local out; out=$(wrk -t1 -c"$CONNS" -d"$DUR" --latency -s "$HERE/gateway.lua" "http://127.0.0.1:$2")
  printf '%s rps=%s p99=%s non2xx=%s\n' "$1" "$(echo "$out" | sed -n 's/Requests\/sec: *//p')" \
    "$(echo "$out" | awk '/ 99%/{print $2}')" \
    "$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *//p' | grep . || echo 0)"
}

for port in "$PORT_NONE" "$PORT_ALL"; do
  CHECK=1 wrk -t1 -c"$CONNS" -d1s -s "$HERE/gateway.lua" "http://127.0.0.1:$port" | grep body-check
done
echo "== c$CONNS, $DUR per run: no plugins vs rate-limit + ip-allowlist + cors + request-log"
for rep in $(seq 1 "$REPS"); do
  run "none r$rep" "$PORT_NONE"
  run "all4 r$rep" "$PORT_ALL"
done | tee "$WORK/runs.txt"
awk '{split($3, a, "="); if ($1 == "none") n += a[2]; else p += a[2]} END {
  printf "ratio all four / none (mean requests/s): %.3f\n", p / n }' "$WORK/runs.txt"
echo "request-log lines written: $(wc -l <"$WORK/all/requests.log")"
grep -h "dropped" "$WORK/all/gateway.err" | tail -2
