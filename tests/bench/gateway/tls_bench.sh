#!/usr/bin/env bash
# The cost of TLS: gateway requests/s over its TLS listener against plain HTTP, one gateway
# serving both (same process, threads, merchants and backend), keep-alive connections,
# runs interleaved so both see the same machine. Each connection does its handshake once,
# in the first milliseconds: what the runs measure is the record layer, every request
# decrypted and every answer encrypted.
#
#   tests/bench/gateway/tls_bench.sh [REPS]
# Environment: DUR=10s CONNS=32 BUILD=build-bench NO_BUILD=1
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPS=${1:-3}
. "$HERE/bench_common.sh"

start_backend
dir="$WORK/gateway"
mkdir -p "$dir"
bash "$ROOT/scripts/make-test-certs.sh" "$dir/tls" || exit 1
cat >"$dir/gateway.yaml" <<YAML
listen: "127.0.0.1:0"
tls: {listen: "127.0.0.1:0", cert: "tls/server.crt", key: "tls/server.key"}
$(gateway_yaml "$dir")
YAML
start_gateway_config "$dir" || exit 1
PORT_PLAIN=$GATEWAY_PORT
PORT_TLS=$(sed -n 's/^listening for TLS on [^:]*:\([0-9]*\)$/\1/p' "$dir/gateway.out")
[ -n "$PORT_TLS" ] || { echo "the TLS listener did not start" >&2; exit 1; }
add_merchants "$dir/gateway.yaml"
sleep 2.5  # the merchant cache refresh: the gateway knows every merchant

curl -sv --cacert "$dir/tls/ca.crt" "https://127.0.0.1:$PORT_TLS/healthz" 2>&1 >/dev/null |
  sed -n 's/^\* SSL connection using /TLS as wrk will speak it (curl): /p'
check_bodies "$PORT_PLAIN"
SCHEME=https check_bodies "$PORT_TLS"
echo "== c$CONNS, $DUR per run: plain HTTP vs TLS, one gateway"
for rep in $(seq 1 "$REPS"); do
  run_wrk "http r$rep" "$PORT_PLAIN"; echo
  run_wrk "https r$rep" "$PORT_TLS" https; echo
done | tee "$WORK/runs.txt"
awk '{split($3, a, "="); if ($1 == "http") h += a[2]; else t += a[2]} END {
  printf "ratio TLS / plain HTTP (mean requests/s): %.3f\n", t / h }' "$WORK/runs.txt"
curl -s --cacert "$dir/tls/ca.crt" "https://127.0.0.1:$PORT_TLS/metrics" | grep '^opp_tls_handshake'
