#!/usr/bin/env bash
# Checks the benchmark's request signing without the gateway (bench.sh runs it first):
#   tests/bench/gateway/check_signing.sh SIGNER      (SIGNER = the built bench_gateway_sign)
# 1. gateway.lua signing on the fly, against verify_server.py (Python's hmac, independent of
#    both the Lua and the project's C++): every response 200/err_code 0.
# 2. The same bodies, as the server received them, verified by the project's crypto
#    (bench_gateway_sign verify: opp::crypto::canonical_string + verify).
# 3. A wrong secret: every request refused (the check can fail).
# 4. gateway.lua with pre-signed bodies (project crypto) passes; a file too small for the
#    run wraps around and its replayed nonces are refused, visible as wrk's non-2xx count.
# 5. RSA2 bodies from bench_gateway_sign verify with `openssl dgst -verify` over a
#    canonical string computed in Python; a tampered one does not.
# Prints one PASS/FAIL line per check; exit 1 when any failed.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SIGNER=${1:?usage: check_signing.sh PATH/TO/bench_gateway_sign}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-sign-check.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
FAILED=0
verdict() {  # verdict NAME EXIT-STATUS DETAIL (the status is taken before NAME is expanded)
  if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1: $3"; FAILED=1; fi
}

python3 "$HERE/verify_server.py" --dump "$WORK/received.txt" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q '^listening on' "$WORK/server.out" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/server.out")
[ -n "$PORT" ] || { echo "FAIL verify_server.py did not start: $(cat "$WORK/server.err")"; exit 1; }
URL=http://127.0.0.1:$PORT

body_check() { sed -n 's/^body-check: checked=\([0-9]*\) bad=\([0-9]*\)$/\1 \2/p' "$1"; }

CHECK=1 wrk -t1 -c4 -d1s -s "$HERE/gateway.lua" "$URL" >"$WORK/fly.txt" 2>&1
read -r checked bad <<<"$(body_check "$WORK/fly.txt")"
[ "${checked:-0}" -gt 0 ] && [ "${bad:-1}" = 0 ] && ! grep -q Non-2xx "$WORK/fly.txt"
rc=$?
verdict "on-the-fly HMAC-SHA256 accepted by an independent verifier (${checked:-0} requests)" "$rc" "$(tail -3 "$WORK/fly.txt")"

"$SIGNER" verify --sign-type HMAC-SHA256 --secret-prefix bench-secret- <"$WORK/received.txt" >"$WORK/project.txt" 2>&1
rc=$?
verdict "the same bodies verified by the project's crypto: $(tail -1 "$WORK/project.txt")" "$rc" "$(head -3 "$WORK/project.txt")"

CHECK=1 SECRET_PREFIX=wrong- wrk -t1 -c4 -d1s -s "$HERE/gateway.lua" "$URL" >"$WORK/wrong.txt" 2>&1
read -r checked bad <<<"$(body_check "$WORK/wrong.txt")"
[ "${checked:-0}" -gt 0 ] && [ "$bad" = "$checked" ] && grep -q Non-2xx "$WORK/wrong.txt"
rc=$?
verdict "a wrong secret is refused every time and counted as non-2xx (${bad:-0}/${checked:-0})" "$rc" "$(tail -3 "$WORK/wrong.txt")"

"$SIGNER" bodies --sign-type HMAC-SHA256 --secret-prefix bench-secret- --count 40000 --merchants 16 \
  --orders 128 --nonce-prefix "chk$(date +%s)x" >"$WORK/hmac_bodies.txt"
CHECK=1 BODIES=$WORK/hmac_bodies.txt wrk -t1 -c4 -d1s -s "$HERE/gateway.lua" "$URL" >"$WORK/pre.txt" 2>&1
read -r checked bad <<<"$(body_check "$WORK/pre.txt")"
[ "${checked:-0}" -gt 0 ] && [ "${bad:-1}" = 0 ]
rc=$?
verdict "pre-signed bodies (project crypto) accepted (${checked:-0} requests)" "$rc" "$(tail -3 "$WORK/pre.txt")"

"$SIGNER" bodies --sign-type HMAC-SHA256 --secret-prefix bench-secret- --count 20 --merchants 16 \
  --orders 128 --nonce-prefix "wrap$(date +%s)x" >"$WORK/small.txt"
BODIES=$WORK/small.txt wrk -t1 -c4 -d1s -s "$HERE/gateway.lua" "$URL" >"$WORK/wrap.txt" 2>&1
grep -q "Non-2xx or 3xx responses" "$WORK/wrap.txt"
rc=$?
verdict "an exhausted pre-signed file shows up as non-2xx ($(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$WORK/wrap.txt"))" "$rc" "$(tail -3 "$WORK/wrap.txt")"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/rsa.pem" 2>/dev/null
openssl pkey -in "$WORK/rsa.pem" -pubout -out "$WORK/rsa_pub.pem"
"$SIGNER" bodies --sign-type RSA2 --key "$WORK/rsa.pem" --count 3 --first-merchant 16 --merchants 4 \
  --orders 128 --nonce-prefix rsacheck >"$WORK/rsa_bodies.txt"
python3 - "$WORK" <<'PY'
import base64, subprocess, sys, urllib.parse
work = sys.argv[1]
ok = 0
for i, line in enumerate(open(f"{work}/rsa_bodies.txt")):
    params = urllib.parse.parse_qsl(line.strip(), keep_blank_values=True)
    sign = dict(params)["sign"]
    kept = sorted((k, v) for k, v in params if k != "sign" and v)
    canonical = "&".join(f"{k}={v}" for k, v in kept).encode()
    for tampered in (False, True):
        with open(f"{work}/msg", "wb") as f:
            f.write(canonical + (b"x" if tampered else b""))
        with open(f"{work}/sig", "wb") as f:
            f.write(base64.b64decode(sign))
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", f"{work}/rsa_pub.pem",
                            "-signature", f"{work}/sig", f"{work}/msg"], capture_output=True)
        ok += (r.returncode != 0) if tampered else (r.returncode == 0)
sys.exit(0 if ok == 6 else 1)
PY
rc=$?
verdict "pre-signed RSA2 bodies verify with openssl, a tampered one does not" "$rc" "see $WORK"

exit $FAILED
