#!/usr/bin/env bash
# `opp-idl encode` / `decode` on the published benchmark payloads (shared bench-idl):
# the binary encoding has the reference size and the reference bytes decode.
# usage: cli_baseline_test.sh OPP_IDL SHARED_DIR
set -uo pipefail
tool=$1
shared=$2
idl=$shared/bench-idl/baseline.thrift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

for protocol in binary compact; do
  "$tool" encode "$idl" Simple --protocol $protocol <"$shared/bench-idl/payloads/simple.json" >"$tmp/s.bin" ||
    fail "encode Simple ($protocol)"
  "$tool" decode "$idl" Simple --protocol $protocol <"$tmp/s.bin" >"$tmp/s.json" ||
    fail "decode Simple ($protocol)"
  grep -q '"I64Field":"9223372036854775807"' "$tmp/s.json" || fail "decoded Simple ($protocol): $(cat "$tmp/s.json")"
done

"$tool" encode "$idl" Simple <"$shared/bench-idl/payloads/simple.json" >"$tmp/s.bin"
[ "$(wc -c <"$tmp/s.bin")" -eq "$(wc -c <"$shared/bench-idl/payloads/simple.bin")" ] ||
  fail "binary Simple is $(wc -c <"$tmp/s.bin") bytes, reference $(wc -c <"$shared/bench-idl/payloads/simple.bin")"
"$tool" decode "$idl" Nesting <"$shared/bench-idl/payloads/nesting.bin" >"$tmp/n.json" ||
  fail "decode nesting.bin"

[ $failures -eq 0 ] && echo "cli_baseline_test: ok"
exit $((failures > 0))
