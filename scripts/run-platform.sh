#!/usr/bin/env bash
# Runs the platform from a built tree: opp-payment and opp-gateway on the embedded SQLite
# default, with their state (databases, platform key, key-encryption key, access log)
# under var/. Creates a demo merchant on first start and prints a signed curl for a
# payment. Stop both with Ctrl-C.
set -euo pipefail
build_dir=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/$build_dir"
var="$root/var"
mkdir -p "$var"

# Paths in the configs are relative to their directory, var/: both name the same
# platform key (var/conf/platform_key.pem), the gateway reads the IDL from idl/.
[ -f "$var/payment.yaml" ] || cp "$root/examples/conf/payment.yaml" "$var/payment.yaml"
if [ ! -f "$var/gateway.yaml" ]; then
  sed 's|^idl_dir: .*|idl_dir: "../idl"|' "$root/examples/conf/gateway.yaml" >"$var/gateway.yaml"
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "platform stopped"
}
trap stop INT TERM EXIT

# wait_listening LOG PID: until the process prints "listening on HOST:PORT".
wait_listening() {
  for _ in $(seq 1 200); do
    if grep -q "listening on" "$1" 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { cat "$1" "$1.err" >&2; return 1; }
    sleep 0.05
  done
  echo "timed out waiting for $1" >&2
  return 1
}

mkdir -p "$var/logs"
"$bin/src/payment/opp-payment" --config "$var/payment.yaml" >"$var/logs/payment.out" 2>"$var/logs/payment.out.err" &
pids+=($!)
wait_listening "$var/logs/payment.out" "${pids[0]}"

# The demo merchant, once: an HMAC-SHA256 secret kept in var/ (readable by you only).
secret_file="$var/demo-merchant.secret"
if [ ! -f "$secret_file" ]; then
  (umask 077 && openssl rand -hex 24 >"$secret_file")
  "$bin/src/tools/opp-admin" --config "$var/gateway.yaml" merchant add --id demo-merchant \
    --sign-type HMAC-SHA256 --secret-file "$secret_file" >/dev/null
fi
secret=$(cat "$secret_file")

"$bin/src/gateway/main/opp-gateway" --config "$var/gateway.yaml" >"$var/logs/gateway.out" 2>"$var/logs/gateway.out.err" &
pids+=($!)
wait_listening "$var/logs/gateway.out" "${pids[1]}"
listen=$(sed -n 's/^listening on //p' "$var/logs/gateway.out" | head -1)

# A signed payment request (SPEC §3.2): the canonical string is every param but `sign`,
# sorted by key, key=value joined with '&'. Valid for auth.timestamp_window_s (300 s), once.
order="demo-$(date +%s)"
biz='{"out_order_no":"'"$order"'","total_amount":100,"subject":"demo tea","auth_code":"134567890123456789"}'
ts=$(date +%s)
nonce=$(openssl rand -hex 12)
canonical="biz_params=$biz&merchant_id=demo-merchant&method=qrpay&nonce_str=$nonce&sign_type=HMAC-SHA256&timestamp=$ts"
sign=$(printf '%s' "$canonical" | openssl dgst -sha256 -mac HMAC -macopt "key:$secret" -r | cut -d' ' -f1)

cat <<MSG

The platform is up:
  gateway   http://$listen   (config var/gateway.yaml, access log var/logs/access.log)
  payment   $(sed -n 's/^listening on //p' "$var/logs/payment.out" | head -1)   (Thrift; config var/payment.yaml)
  merchant  demo-merchant, HMAC-SHA256, secret in var/demo-merchant.secret

A signed QRPay payment, ready to paste (valid for 5 minutes, once):

curl -s http://$listen/gateway/payment \\
  --data-urlencode 'merchant_id=demo-merchant' --data-urlencode 'method=qrpay' \\
  --data-urlencode 'biz_params=$biz' \\
  --data-urlencode 'timestamp=$ts' --data-urlencode 'nonce_str=$nonce' \\
  --data-urlencode 'sign_type=HMAC-SHA256' --data-urlencode 'sign=$sign' -i

Example clients that sign requests and verify the signed answers:
  examples/merchant.sh, examples/merchant.py   (walk-through: examples/README.md)

Ctrl-C stops both.
MSG
wait
