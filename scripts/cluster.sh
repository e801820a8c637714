#!/usr/bin/env bash
# A local cluster on loopback, for demos and tests: etcd, Redis, PostgreSQL, two
# opp-payment (registered in etcd, one payment database) and two opp-gateway (discovering
# the payment servers through etcd, sharing nonces through Redis and merchants through
# PostgreSQL), plus a demo merchant.
#
#   scripts/cluster.sh start [BUILD_DIR]   # state and logs under var/cluster/
#   scripts/cluster.sh status
#   scripts/cluster.sh stop
#
# Ports (environment): OPP_CLUSTER_BASE (18000): etcd +379/+380, Redis +637, PostgreSQL
# +543, payment +81/+82, gateways +80/+90.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
var="$root/var/cluster"
base=${OPP_CLUSTER_BASE:-18000}
etcd_port=$((base + 379)) etcd_peer=$((base + 380)) redis_port=$((base + 637))
pg_port=$((base + 543)) pay1=$((base + 81)) pay2=$((base + 82)) gw1=$((base + 80)) gw2=$((base + 90))

log() { echo "cluster: $*" >&2; }

stop_all() {
  if [ -f "$var/pids" ]; then
    # Gateways and payment servers first (they deregister from etcd), then the engines.
    tac "$var/pids" | while read -r name pid; do
      kill -TERM "$pid" 2>/dev/null && log "stopped $name ($pid)" || true
    done
    sleep 0.5
    rm -f "$var/pids"
  fi
  OPP_PG_PORT=$pg_port OPP_PG_DIR="$var/postgres" bash "$root/scripts/start-postgres.sh" --stop \
    >/dev/null 2>&1 || true
}

wait_port() {  # wait_port PORT NAME
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  log "$2 did not come up on port $1 (logs in $var/logs)"
  return 1
}

spawn() {  # spawn NAME PORT COMMAND...: runs it in the background, records its pid
  local name=$1 port=$2
  shift 2
  "$@" >"$var/logs/$name.out" 2>"$var/logs/$name.err" &
  echo "$name $!" >>"$var/pids"
  wait_port "$port" "$name"
}

start_all() {
  local bin="$root/${1:-build}"
  for program in src/payment/opp-payment src/gateway/main/opp-gateway src/tools/opp-admin; do
    [ -x "$bin/$program" ] || { log "$bin/$program is missing: build first (make build)"; exit 1; }
  done
  command -v etcd >/dev/null && command -v redis-server >/dev/null ||
    { log "etcd and redis-server are needed: make deps"; exit 1; }
  stop_all
  mkdir -p "$var/logs" "$var/etcd" "$var/conf"
  : >"$var/pids"

  spawn etcd "$etcd_port" etcd --name opp --data-dir "$var/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "opp=http://127.0.0.1:$etcd_peer"
  spawn redis "$redis_port" redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no
  local pg_url
  pg_url=$(OPP_PG_PORT=$pg_port OPP_PG_DIR="$var/postgres" OPP_PG_DB=opp_cluster \
    bash "$root/scripts/start-postgres.sh")
  # One platform key for all four (the gateways sign with it, the payment servers sign
  # notifications with it); one key-encryption key for the gateways' merchant secrets.
  for i in 1 2; do
    local port=$((base + 80 + i))
    cat >"$var/payment$i.yaml" <<YAML
listen: "127.0.0.1:$port"
database: "$pg_url"
platform_private_key: "conf/platform_key.pem"
etcd: {endpoints: ["127.0.0.1:$etcd_port"], register_as: payment, lease_ttl_s: 5, advertise: "127.0.0.1:$port"}
YAML
  done
  for i in 1 2; do
    local port=$((i == 1 ? gw1 : gw2))
    cat >"$var/gateway$i.yaml" <<YAML
listen: "127.0.0.1:$port"
idl_dir: "$root/idl"
database: "$pg_url"
access_log: "logs/gateway$i-access.log"
auth: {platform_private_key: "conf/platform_key.pem", secret_key: "conf/secret_kek.bin", nonce_store: redis}
redis: {address: "127.0.0.1:$redis_port"}
etcd: {endpoints: ["127.0.0.1:$etcd_port"]}
upstreams:
  payment: {discovery: etcd}
YAML
  done
  spawn payment1 "$pay1" "$bin/src/payment/opp-payment" --config "$var/payment1.yaml"
  spawn payment2 "$pay2" "$bin/src/payment/opp-payment" --config "$var/payment2.yaml"
  spawn gateway1 "$gw1" "$bin/src/gateway/main/opp-gateway" --config "$var/gateway1.yaml"
  spawn gateway2 "$gw2" "$bin/src/gateway/main/opp-gateway" --config "$var/gateway2.yaml"

  local secret_file="$var/demo-merchant.secret"
  if [ ! -f "$secret_file" ]; then
    (umask 077 && openssl rand -hex 24 >"$secret_file")
    "$bin/src/tools/opp-admin" --config "$var/gateway1.yaml" merchant add --id demo-merchant \
      --sign-type HMAC-SHA256 --secret-file "$secret_file" >/dev/null
  fi
  log "up: gateways http://127.0.0.1:$gw1 and http://127.0.0.1:$gw2 (demo-merchant, secret in $secret_file)"
  log "stop with: scripts/cluster.sh stop"
}

case "${1:-}" in
  start) start_all "${2:-build}" ;;
  stop) stop_all ;;
  status) [ -f "$var/pids" ] && while read -r name pid; do
      kill -0 "$pid" 2>/dev/null && echo "$name $pid running" || echo "$name $pid gone"
    done <"$var/pids" || echo "not running" ;;
  *) echo "usage: scripts/cluster.sh start [BUILD_DIR] | status | stop" >&2; exit 2 ;;
esac
