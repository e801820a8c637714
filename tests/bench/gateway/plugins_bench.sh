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
REPS=${1:-3}
. "$HERE/bench_common.sh"

start_backend
ALLOW=$(for id in $MERCHANT_IDS; do printf '%s: ["127.0.0.0/8", "::1/128"], ' "$id"; done)

start_gateway() {  # start_gateway NAME PLUGINS_YAML (sets GATEWAY_PORT)
  local dir="$WORK/$1"
  mkdir -p "$dir"
  cat >"$dir/gateway.yaml" <<YAML
listen: "127.0.0.1:0"
$(gateway_yaml "$dir")
$2
YAML
  start_gateway_config "$dir"
}

# The merchants, once, in the database both gateways share.
start_gateway none "" || exit 1
PORT_NONE=$GATEWAY_PORT
add_merchants "$WORK/none/gateway.yaml"
start_gateway all "plugins:
  - name: rate-limit
    config: {per_merchant: {rate: 1000000000, burst: 1000000000}, per_method: {rate: 1000000000, burst: 1000000000}}
  - name: ip-allowlist
    config: {merchants: {$ALLOW}}
  - name: cors
    config: {allow_origins: [\"*\"]}
  - name: request-log
    config: {path: \"$WORK/all/requests.log\", max_bytes: 268435456, redact_fields: [out_order_no]}" || exit 1
PORT_ALL=$GATEWAY_PORT
sleep 2.5  # the merchant cache refresh: both gateways know every merchant

check_bodies "$PORT_NONE" "$PORT_ALL"
echo "== c$CONNS, $DUR per run: no plugins vs rate-limit + ip-allowlist + cors + request-log"
for rep in $(seq 1 "$REPS"); do
  run_wrk "none r$rep" "$PORT_NONE"; echo
  run_wrk "all4 r$rep" "$PORT_ALL"; echo
done | tee "$WORK/runs.txt"
awk '{split($3, a, "="); if ($1 == "none") n += a[2]; else p += a[2]} END {
  printf "ratio all four / none (mean requests/s): %.3f\n", p / n }' "$WORK/runs.txt"
echo "request-log lines written: $(wc -l <"$WORK/all/requests.log")"
grep -h "dropped" "$WORK/all/gateway.err" | tail -2
