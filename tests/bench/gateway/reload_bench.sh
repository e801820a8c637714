#!/usr/bin/env bash
# Hot reload under load: gateway requests/s while one of 200 generated service files is
# rewritten every RELOAD_MS, against the same gateway without reloads, interleaved; plus
# what each reload cost (opp_registry_last_reload_seconds, reloads counted in /metrics).
#
#   tests/bench/gateway/reload_bench.sh [REPS]       (make bench-gateway runs bench.sh)
# Environment: DUR=10s CONNS=32 RELOAD_MS=200 SERVICES=200 BUILD=build-bench NO_BUILD=1
# The catalog side alone (a changed file among 200, a full rescan) is bench_catalog.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPS=${1:-3}
RELOAD_MS=${RELOAD_MS:-200}
SERVICES=${SERVICES:-200}
. "$HERE/bench_common.sh"

# The payment IDL plus SERVICES generated services that include a shared file.
mkdir -p "$WORK/idl"
cp "$ROOT/idl/"*.thrift "$WORK/idl/"
printf 'struct Item { 1: string sku, 2: i32 count }\n' >"$WORK/idl/shared.thrift"
service_file() {  # service_file INDEX REVISION
  printf 'include "shared.thrift"\nstruct Req%s { 1: string merchant_id, 2: list<shared.Item> items, 3: string note = "r%s" }\nservice Svc%s {\n' "$1" "$2" "$1"
  for f in 0 1 2 3 4 5; do printf '  i32 Call%s(1: Req%s req) (api.post = "/svc%s/call%s")\n' "$f" "$1" "$1" "$f"; done
  printf '}\n'
}
for i in $(seq -w 1 "$SERVICES"); do service_file "$i" 0 >"$WORK/idl/svc$i.thrift"; done

start_backend
cat >"$WORK/gateway.yaml" <<YAML
listen: "127.0.0.1:0"
threads: 2
idl_dir: "$WORK/idl"
database: "sqlite3://db=$WORK/gateway.db"
access_log: "$WORK/access.log"
# One gateway serves every run: room for all their nonces (the default caps a merchant at
# 100k live nonces, which these runs pass within a minute).
auth: {platform_private_key: "$WORK/platform_key.pem", secret_key: "$WORK/secret_kek.bin", max_nonces_per_merchant: 20000000}
$(upstreams_yaml)
YAML
add_merchants "$WORK/gateway.yaml"
start_gateway_config "$WORK" || exit 1
PORT=$GATEWAY_PORT
metric() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1==m{print $2}'; }

run() {  # run LABEL RELOADING
  local loop=""
  if [ "$2" = 1 ]; then
    (rev=0; while :; do rev=$((rev + 1)); service_file 007 "$rev" >"$WORK/idl/svc007.tmp" &&
      mv "$WORK/idl/svc007.tmp" "$WORK/idl/svc007.thrift"; sleep "$(awk -v ms="$RELOAD_MS" 'BEGIN{print ms/1000}')"; done) &
    loop=$!
  fi
  local before; before=$(metric opp_registry_reloads_total)
  local line; line=$(run_wrk "$1" "$PORT")
  [ -n "$loop" ] && { kill "$loop"; wait "$loop" 2>/dev/null; }
  sleep 0.5
  local after; after=$(metric opp_registry_reloads_total)
  printf '%s reloads=%s last_reload_ms=%s\n' "$line" "$(awk -v a="$after" -v b="$before" 'BEGIN{print a-b}')" \
    "$(awk -v s="$(metric opp_registry_last_reload_seconds)" 'BEGIN{printf "%.2f", s*1000}')"
}

wrk -t1 -c"$CONNS" -d1s -s "$HERE/gateway.lua" "http://127.0.0.1:$PORT" >/dev/null
echo "== $SERVICES generated services + payment, c$CONNS, $DUR per run, a file rewritten every ${RELOAD_MS} ms while reloading"
for rep in $(seq 1 "$REPS"); do
  run "steady    r$rep" 0
  run "reloading r$rep" 1
done
