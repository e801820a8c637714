#!/usr/bin/env bash
# `opp-idl encode` / `decode` (SPEC §6) on the project's own IDL: round trips, protocols,
# exact bytes, exit codes and messages.
# usage: cli_test.sh OPP_IDL SOURCE_DIR
set -uo pipefail
tool=$1
source=$2
idl=$source/tests/data/codec/all_types.thrift
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

# encode → decode round trip, both protocols
input='{"a":7,"b":"hello"}'
for protocol in binary compact; do
  echo "$input" | "$tool" encode "$idl" Inner --protocol $protocol >"$tmp/i.bin"
  expect_status 0 $? "encode Inner ($protocol)"
  "$tool" decode "$idl" Inner --protocol $protocol <"$tmp/i.bin" >"$tmp/i.json"
  expect_status 0 $? "decode Inner ($protocol)"
  [ "$(cat "$tmp/i.json")" = "$input" ] || fail "Inner round trip ($protocol): $(cat "$tmp/i.json")"
done

# exact TBinaryProtocol bytes: i32 field 1 = 7, string field 2 = "hi", STOP
echo '{"a":7,"b":"hi"}' | "$tool" encode "$idl" Inner >"$tmp/i.bin"
hex=$(od -An -tx1 -v "$tmp/i.bin" | tr -d ' \n')
[ "$hex" = "080001000000070b000200000002686900" ] ||
  fail "binary Inner bytes: $hex"

# i64 beyond double precision survives; js_conv fields come back as strings
echo '{"req":"r","inner":{"a":1},"i64v":9223372036854775807,"js":"-9223372036854775808"}' |
  "$tool" encode "$idl" AllTypes >"$tmp/a.bin"
expect_status 0 $? "encode AllTypes"
"$tool" decode "$idl" AllTypes <"$tmp/a.bin" >"$tmp/a.json"
grep -q '"i64v":9223372036854775807' "$tmp/a.json" || fail "i64 decoded: $(cat "$tmp/a.json")"
grep -q '"js":"-9223372036854775808"' "$tmp/a.json" || fail "js_conv decoded: $(cat "$tmp/a.json")"

# Service.function.args / .result
echo '{"a":40,"b":2}' | "$tool" encode "$idl" CodecTest.Add.args >"$tmp/args.bin"
expect_status 0 $? "encode args"
"$tool" decode "$idl" CodecTest.Add.args <"$tmp/args.bin" >"$tmp/args.json"
[ "$(cat "$tmp/args.json")" = '{"a":40,"b":2}' ] || fail "args round trip: $(cat "$tmp/args.json")"
echo '{"success":{"a":1}}' | "$tool" encode "$idl" CodecTest.Echo.result >/dev/null 2>"$tmp/err"
expect_status 1 $? "result with an invalid success"

# input errors: exit 1 with the path in the message
echo '{"a":"abc"}' | "$tool" encode "$idl" Inner >/dev/null 2>"$tmp/err"
expect_status 1 $? "bad JSON value"
grep -q 'input.a: expected i32, got string "abc"' "$tmp/err" || fail "message: $(cat "$tmp/err")"
printf '\x08\x00\x01\x00' | "$tool" decode "$idl" Inner >/dev/null 2>"$tmp/err"
expect_status 1 $? "truncated bytes"
grep -q 'truncated input' "$tmp/err" || fail "message: $(cat "$tmp/err")"
echo '{}' | "$tool" encode "$idl" NoSuchType >/dev/null 2>"$tmp/err"
expect_status 1 $? "unknown type"
echo '{}' | "$tool" encode "$tmp/missing.thrift" Inner >/dev/null 2>"$tmp/err"
expect_status 1 $? "missing IDL file"

# usage errors: exit 2
"$tool" encode "$idl" >/dev/null 2>&1
expect_status 2 $? "missing TYPE"
"$tool" encode "$idl" Inner --protocol json </dev/null >/dev/null 2>&1
expect_status 2 $? "unknown protocol"

[ $failures -eq 0 ] && echo "cli_test: ok"
exit $((failures > 0))
