#!/usr/bin/env bash
# Runs the platform from a built tree with the sample configuration, keeping its state
# (SQLite databases, generated platform key) under var/. Stop with Ctrl-C.
#
# The HTTP gateway is not built yet; for now this runs the payment backend, which
# serves the Thrift API of idl/payment.thrift on 127.0.0.1:8081.
set -euo pipefail
build_dir=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
var="$root/var"
mkdir -p "$var"
# Paths in the config are relative to its directory: var/data/, var/conf/.
[ -f "$var/payment.yaml" ] || cp "$root/examples/conf/payment.yaml" "$var/payment.yaml"

echo "opp-payment: config $var/payment.yaml, database in $var/data/"
exec "$root/$build_dir/src/payment/opp-payment" --config "$var/payment.yaml"
