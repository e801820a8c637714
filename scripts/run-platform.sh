#!/usr/bin/env bash
# Runs the platform from a built tree: opp-payment and opp-gateway on the embedded SQLite
# default, with their state (databases, platform key, key-encryption key, access log)
# under var/. The gateway serves plain HTTP and HTTPS, the latter with a throwaway test CA
# and server certificate made under var/tls/ when missing. Creates a demo merchant on
# first start and prints a signed curl for a payment over each. Stop both with Ctrl-C.
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
# HTTPS beside plain HTTP, with a throwaway CA (never for production; see README.md).
if [ ! -f "$var/tls/server.crt" ] || [ ! -f "$var/tls/server.key" ]; then
  bash "$root/scripts/make-test-certs.sh" "$var/tls"
fi
if ! grep -q '^tls:' "$var/gateway.yaml"; then
  printf '%s\n' 'tls: {listen: "127.0.0.1:8443", cert: "tls/server.crt", key: "tls/server.key", min_version: "1.2"}' \
    >>"$var/gateway.yaml"
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

"$bin/src/gateway/main/opp-gateway" --config "$var/gateway.yaml" >"$var/logs/gateway.out" 2>"$var/logs/gateway.out.err" &
pids+=($!)
wait_listening "$var/logs/gateway.out" "${pids[1]}"
listen=$(sed -n 's/^listening on //p' "$var/logs/gateway.out" | head -1)
tls_listen=$(sed -n 's/^listening for TLS on //p' "$var/logs/gateway.out" | head -1)

# Signed payment requests (SPEC §3.2), made by the example client without sending them
# (the secret stays off every command line). Each is valid for auth.timestamp_window_s,
# once: one for plain HTTP, one for HTTPS.
signed_payment() { # ORDER_NO: the form body of a qrpay
  bash "$root/examples/merchant.sh" --merchant demo-merchant --sign-type HMAC-SHA256 \
    --secret-file "$secret_file" --dry-run qrpay \
    '{"out_order_no":"'"$1"'","total_amount":100,"subject":"demo tea","auth_code":"134567890123456789"}'
}
body=$(signed_payment "demo-$(date +%s)")
tls_body=$(signed_payment "demo-tls-$(date +%s)")
# The certificate names localhost, 127.0.0.1 and ::1.
tls_url=https://$tls_listen

cat <<MSG

The platform is up:
  gateway   http://$listen   (config var/gateway.yaml, access log var/logs/access.log)
            $tls_url   (TLS: certificate var/tls/server.crt, signed by the test CA var/tls/ca.crt)
  payment   $(sed -n 's/^listening on //p' "$var/logs/payment.out" | head -1)   (Thrift; config var/payment.yaml)
  merchant  demo-merchant, HMAC-SHA256, secret in var/demo-merchant.secret

A signed QRPay payment, ready to paste (valid for 5 minutes, once):

curl -s -i http://$listen/gateway/payment -H 'Content-Type: application/x-www-form-urlencoded' \\
  --data '$body'

The same over HTTPS (another order; the test CA verifies the gateway's certificate):

curl -s -i --cacert var/tls/ca.crt $tls_url/gateway/payment -H 'Content-Type: application/x-www-form-urlencoded' \\
  --data '$tls_body'

Example clients that sign requests and verify the signed answers (add
--gateway $tls_url --cacert var/tls/ca.crt for HTTPS):
  examples/merchant.sh, examples/merchant.py   (walk-through: examples/README.md)

Ctrl-C stops both.
MSG
wait
