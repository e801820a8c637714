#!/usr/bin/env bash
# `opp-idl encode` / `decode` (SPEC §6): round trips, protocols, exit codes and messages.
# usage: cli_test.sh OPP_IDL SHARED_DIR SOURCE_DIR
set -uo pipefail
tool=$1
shared=$2
source=$3
idl=$shared/bench-idl/baseline.thrift
all=$source/tests/data/codec/all_types.thrift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
expect_status() {  # expected actual what
  [ "$1" -eq "$2" ] || fail "$3: exit $2, expected $1"
}

# encode → decode round trip of the benchmark payload, both protocols
for protocol in binary compact; do
  "$tool" encode "$idl" Simple --protocol $protocol <"$shared/bench-idl/payloads/simple.json" >"$tmp/s.bin"
  expect_status 0 $? "encode Simple ($protocol)"
  "$tool" decode "$idl" Simple --protocol $protocol <"$tmp/s.bin" >"$tmp/s.json"
  expect_status 0 $? "decode Simple ($protocol)"
  grep -q '"I64Field":"9223372036854775807"' "$tmp/s.json" || fail "decoded Simple ($protocol): $(cat "$tmp/s.json")"
done

# binary encoding of the payload has the reference size
"$tool" encode "$idl" Simple <"$shared/bench-idl/payloads/simple.json" >"$tmp/s.bin"
[ "$(wc -c <"$tmp/s.bin")" -eq "$(wc -c <"$shared/bench-idl/payloads/simple.bin")" ] ||
  fail "binary Simple is $(wc -c <"$tmp/s.bin") bytes, reference $(wc -c <"$shared/bench-idl/payloads/simple.bin")"

# decoding the reference binary payload
"$tool" decode "$idl" Nesting <"$shared/bench-idl/payloads/nesting.bin" >"$tmp/n.json"
expect_status 0 $? "decode nesting.bin"

# Service.function.args / .result
echo '{"req":{"ByteField":1}}' | "$tool" encode "$idl" BaselineService.SimpleMethod.args >"$tmp/a.bin"
expect_status 0 $? "encode args"
"$tool" decode "$idl" BaselineService.SimpleMethod.args <"$tmp/a.bin" >"$tmp/a.json"
[ "$(cat "$tmp/a.json")" = '{"req":{"ByteField":1}}' ] || fail "args round trip: $(cat "$tmp/a.json")"
echo '{"success":{"a":1}}' | "$tool" encode "$all" CodecTest.Echo.result >/dev/null 2>"$tmp/err"
expect_status 1 $? "result with an invalid success"

# input errors: exit 1 with the path in the message
echo '{"I32Field":"abc"}' | "$tool" encode "$idl" Simple >/dev/null 2>"$tmp/err"
expect_status 1 $? "bad JSON value"
grep -q 'input.I32Field: expected i32, got string "abc"' "$tmp/err" || fail "message: $(cat "$tmp/err")"
printf '\x08\x00\x04\x00' | "$tool" decode "$idl" Simple >/dev/null 2>"$tmp/err"
expect_status 1 $? "truncated bytes"
grep -q 'truncated input' "$tmp/err" || fail "message: $(cat "$tmp/err")"
echo '{}' | "$tool" encode "$idl" NoSuchType >/dev/null 2>"$tmp/err"
expect_status 1 $? "unknown type"
echo '{}' | "$tool" encode "$tmp/missing.thrift" Simple >/dev/null 2>"$tmp/err"
expect_status 1 $? "missing IDL file"

# usage errors: exit 2
"$tool" encode "$idl" >/dev/null 2>&1
expect_status 2 $? "missing TYPE"
"$tool" encode "$idl" Simple --protocol json </dev/null >/dev/null 2>&1
expect_status 2 $? "unknown protocol"

[ $failures -eq 0 ] && echo "cli_test: ok"
exit $((failures > 0))
