# Sourced by plugins_bench.sh, redis_bench.sh, reload_bench.sh and tls_bench.sh: the Release build,
# the lean backend, a work directory cleaned up on exit, gateways started from a config
# and the bench merchants, wrk runs reduced to one line. Expects HERE to be set.
# Environment: DUR=10s CONNS=32 BUILD=build-bench NO_BUILD=1

ROOT=$(cd "$HERE/../../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
DUR=${DUR:-10s}
CONNS=${CONNS:-32}
PIN="taskset -c 0,1"
MERCHANT_IDS=""
for i in $(seq 0 15); do MERCHANT_IDS="$MERCHANT_IDS $(printf 'benchm%02d' "$i")"; done

if [ "${NO_BUILD:-0}" != 1 ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
    cmake --build "$BUILD" --target opp-gateway opp-admin bench_payment_fast >/dev/null || exit 1
fi
GATEWAY=$(find "$BUILD" -type f -name opp-gateway -perm -u+x | head -1)
ADMIN=$(find "$BUILD" -type f -name opp-admin -perm -u+x | head -1)
BACKEND=$(find "$BUILD" -type f -name bench_payment_fast -perm -u+x | head -1)

WORK=$(mktemp -d "/tmp/$(basename "$0" .sh).XXXXXX")
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

start_backend() {  # sets BACKEND_PORT
  $PIN "$BACKEND" --threads 2 --merchants 16 --orders 128 >"$WORK/backend.out" 2>/dev/null &
  PIDS="$PIDS $!"
  BACKEND_PORT=$(wait_listening "$WORK/backend.out") || { echo "backend did not start" >&2; exit 1; }
}

# The upstream every bench gateway uses: few deep-pipelined connections to the backend.
upstreams_yaml() {
  printf 'upstreams:\n  payment: {endpoints: ["127.0.0.1:%s"], max_connections: 2, pipeline_depth: 64, max_pending: 4096}\n' \
    "$BACKEND_PORT"
}

# gateway_yaml DIR [AUTH_KEYS]: what every bench gateway's config says but `listen`: 2 io
# threads, the shared database and keys in $WORK (room for every run's nonces: the default
# caps a merchant at 100k live ones), its access log in DIR, the upstream above.
# AUTH_KEYS go on in the `auth:` mapping (", nonce_store: redis").
gateway_yaml() {
  cat <<YAML
threads: 2
idl_dir: "$ROOT/idl"
database: "sqlite3://db=$WORK/gateway.db"
access_log: "$1/access.log"
auth: {platform_private_key: "$WORK/platform_key.pem", secret_key: "$WORK/secret_kek.bin", max_nonces_per_merchant: 20000000${2:-}}
$(upstreams_yaml)
YAML
}

# start_gateway_config DIR: runs a gateway on DIR/gateway.yaml, sets GATEWAY_PORT. Not in
# a $(...) subshell: its pid must reach PIDS for the cleanup.
start_gateway_config() {
  $PIN "$GATEWAY" --config "$1/gateway.yaml" >"$1/gateway.out" 2>"$1/gateway.err" &
  PIDS="$PIDS $!"
  GATEWAY_PORT=$(wait_listening "$1/gateway.out") || { cat "$1/gateway.err" >&2; return 1; }
}

add_merchants() {  # add_merchants CONFIG: the 16 bench merchants (secret bench-secret-<id>)
  for id in $MERCHANT_IDS; do
    "$ADMIN" --config "$1" merchant add --id "$id" --sign-type HMAC-SHA256 \
      --secret "bench-secret-$id" >/dev/null || exit 1
  done
}

run_wrk() {  # run_wrk LABEL PORT [SCHEME] -> "LABEL rps=.. p99=.. non2xx=.."; more "k=v" words may follow
  local out; out=$(wrk -t1 -c"$CONNS" -d"$DUR" --latency -s "$HERE/gateway.lua" "${3:-http}://127.0.0.1:$2")
  printf '%s rps=%s p99=%s non2xx=%s' "$1" "$(echo "$out" | sed -n 's/Requests\/sec: *//p')" \
    "$(echo "$out" | awk '/ 99%/{print $2}')" \
    "$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *//p' | grep . || echo 0)"
}

check_bodies() {  # check_bodies PORT...: a 1 s warm-up that reads every answer (SCHEME=https)
  for port in "$@"; do
    CHECK=1 wrk -t1 -c"$CONNS" -d1s -s "$HERE/gateway.lua" "${SCHEME:-http}://127.0.0.1:$port" |
      grep body-check
  done
}
