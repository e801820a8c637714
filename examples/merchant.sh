#!/usr/bin/env bash
# A merchant client for the gateway's merchant API (SPEC §3) in bash, openssl and curl.
#
#   merchant.sh [--gateway URL] [--cacert CA.pem] --merchant ID
#               --sign-type HMAC-SHA256|HMAC-SM3|RSA2
#               (--secret S | --secret - | --secret-file FILE | --key PRIVATE.pem)
#               [--platform-key PLATFORM.pem] METHOD ['BIZ_PARAMS_JSON']
#
# Builds the params (fresh nonce, current time), signs their canonical string, POSTs them
# to URL/gateway/SVC, checks the signature of the response (X-Opp-* headers) and prints
# the body only when it verifies. See --help and examples/README.md.
#
# Secrets: the HMAC is computed here from the hash primitive (`openssl dgst -binary`, key
# pads written by the shell's builtin printf into a pipe), so the secret never appears in
# any process's arguments. `openssl mac -macopt key:...` would put it there.
set -uo pipefail
export LC_ALL=C # bytes, not characters: lengths, sorting and escaping are byte-exact
umask 077

readonly prog=merchant.sh
readonly EXIT_OK=0 EXIT_BUSINESS=1 EXIT_USAGE=2 EXIT_UNVERIFIED=3 EXIT_TRANSPORT=4

usage() {
  cat <<'EOF'
usage: merchant.sh [options] METHOD ['BIZ_PARAMS_JSON']

Calls METHOD (e.g. unifypay, qrpay, queryorder, closeorder, refund, queryrefund,
downloadbill) with BIZ_PARAMS_JSON (default {}; '' sends no biz_params) and prints the
response body once its signature has been verified.

options:
  --gateway URL          gateway base URL, http:// or https:// (default $OPP_GATEWAY or
                         http://127.0.0.1:8080)
  --cacert FILE          PEM CA certificates to verify an https:// gateway with, instead of
                         the system's (default $OPP_CA_FILE)
  --svc NAME             service, the IDL file stem (default payment)
  --merchant ID          merchant id (required)
  --sign-type TYPE       HMAC-SHA256, HMAC-SM3 or RSA2 (required)
  --secret S             HMAC secret (visible to other users in `ps`; prefer the next two)
  --secret -             read the HMAC secret from standard input
  --secret-file FILE     read the HMAC secret from FILE (one trailing newline dropped)
                         (without any of these: $OPP_MERCHANT_SECRET)
  --key FILE             the merchant's RSA private key, PEM (RSA2)
  --platform-key FILE    the platform public key, PEM, for RSA2 responses (default:
                         fetched from GET URL/gateway/platform-key)
  --param KEY=VALUE      an extra param, covered by the signature (repeatable)
  --json                 send application/json instead of application/x-www-form-urlencoded
  --response-window S    reject a response whose X-Opp-Timestamp is more than S seconds
                         from now (default 300; 0: no check)
  --timeout S            whole-request timeout (default 30)
  --timestamp T          use T instead of the current time (reproducing a signature)
  --nonce N              use N instead of a fresh nonce (reproducing a signature)
  --dry-run              print the request body that would be sent, send nothing
  -v, --verbose          canonical string, HTTP status, headers and checks on stderr
  -h, --help             this text

exit status: 0 verified and err_code 0; 1 verified but err_code is not 0;
2 usage error; 3 the response is unsigned or its signature does not verify (its body
then goes to stderr, never stdout); 4 the request could not be made or the answer is
not an envelope.
EOF
}

die() { # STATUS MESSAGE
  printf '%s: %s\n' "$prog" "$2" >&2
  exit "$1"
}
note() { ((verbose)) && printf '%s: %s\n' "$prog" "$*" >&2; return 0; }

# ---- command line ----------------------------------------------------------------------
gateway=${OPP_GATEWAY:-http://127.0.0.1:8080}
ca_file=${OPP_CA_FILE:-}
svc=payment merchant='' sign_type='' secret='' secret_given=0 key_file='' platform_key=''
content=form response_window=300 timeout=30 timestamp='' nonce='' dry_run=0 verbose=0
extra_keys=() extra_values=() positional=()

need_value() { [ $# -ge 2 ] || die $EXIT_USAGE "$1 needs a value (see --help)"; }
read_secret_from() { # FILE-OR-STDIN: the whole content, one trailing line end dropped
  IFS= read -r -d '' secret <"$1"
  secret=${secret%$'\n'}
  secret=${secret%$'\r'}
  secret_given=1
}

while [ $# -gt 0 ]; do
  arg=$1
  if [[ $arg == --*=* ]]; then # --opt=value is --opt value
    set -- "${arg%%=*}" "${arg#*=}" "${@:2}"
    arg=$1
  fi
  case $arg in
  --gateway) need_value "$@"; gateway=$2; shift 2 ;;
  --cacert) need_value "$@"; ca_file=$2; shift 2 ;;
  --svc) need_value "$@"; svc=$2; shift 2 ;;
  --merchant) need_value "$@"; merchant=$2; shift 2 ;;
  --sign-type) need_value "$@"; sign_type=$2; shift 2 ;;
  --secret)
    need_value "$@"
    if [ "$2" = - ]; then read_secret_from /dev/stdin; else secret=$2 secret_given=1; fi
    shift 2 ;;
  --secret-file)
    need_value "$@"
    [ -r "$2" ] || die $EXIT_USAGE "--secret-file: cannot read $2"
    read_secret_from "$2"
    shift 2 ;;
  --key) need_value "$@"; key_file=$2; shift 2 ;;
  --platform-key) need_value "$@"; platform_key=$2; shift 2 ;;
  --param)
    need_value "$@"
    [[ $2 == *=* ]] || die $EXIT_USAGE "--param needs KEY=VALUE, got '$2'"
    extra_keys+=("${2%%=*}") extra_values+=("${2#*=}")
    shift 2 ;;
  --json) content=json; shift ;;
  --response-window) need_value "$@"; response_window=$2; shift 2 ;;
  --timeout) need_value "$@"; timeout=$2; shift 2 ;;
  --timestamp) need_value "$@"; timestamp=$2; shift 2 ;;
  --nonce) need_value "$@"; nonce=$2; shift 2 ;;
  --dry-run) dry_run=1; shift ;;
  -v | --verbose) verbose=1; shift ;;
  -h | --help) usage; exit $EXIT_OK ;;
  --) shift; positional+=("$@"); break ;;
  -?*) die $EXIT_USAGE "unknown option $arg (see --help)" ;;
  *) positional+=("$arg"); shift ;;
  esac
done

[ ${#positional[@]} -ge 1 ] || die $EXIT_USAGE "missing METHOD (see --help)"
[ ${#positional[@]} -le 2 ] || die $EXIT_USAGE "too many arguments: give METHOD and one BIZ_PARAMS_JSON"
method=${positional[0]}
biz_params=${positional[1]-'{}'}
[ -n "$merchant" ] || die $EXIT_USAGE "missing --merchant"
[ -n "$method" ] || die $EXIT_USAGE "METHOD is empty"
[[ $svc =~ ^[A-Za-z0-9_.-]+$ ]] || die $EXIT_USAGE "--svc: '$svc' is not a service name"
[[ $gateway =~ ^https?:// ]] || die $EXIT_USAGE "--gateway needs an http:// or https:// URL, got '$gateway'"
[ -z "$ca_file" ] || [ -r "$ca_file" ] || die $EXIT_USAGE "--cacert: cannot read $ca_file"
[[ $response_window =~ ^[0-9]+$ ]] || die $EXIT_USAGE "--response-window needs whole seconds"
[[ $timeout =~ ^[0-9]+$ ]] || die $EXIT_USAGE "--timeout needs whole seconds"
case $sign_type in
HMAC-SHA256) digest=sha256 ;;
HMAC-SM3) digest=sm3 ;;
RSA2) digest= ;;
'') die $EXIT_USAGE "missing --sign-type" ;;
*) die $EXIT_USAGE "--sign-type must be HMAC-SHA256, HMAC-SM3 or RSA2, got '$sign_type'" ;;
esac
if [ -n "$digest" ]; then
  if ((!secret_given)) && [ -n "${OPP_MERCHANT_SECRET+set}" ]; then
    secret=$OPP_MERCHANT_SECRET secret_given=1
  fi
  ((secret_given)) || die $EXIT_USAGE "$sign_type needs --secret, --secret-file or OPP_MERCHANT_SECRET"
  [ -n "$secret" ] || die $EXIT_USAGE "the secret is empty"
  [ -z "$key_file" ] || die $EXIT_USAGE "--key is for RSA2; $sign_type signs with a secret"
else
  [ -n "$key_file" ] || die $EXIT_USAGE "RSA2 needs --key (the merchant's private key, PEM)"
  [ -r "$key_file" ] || die $EXIT_USAGE "--key: cannot read $key_file"
  ((!secret_given)) || die $EXIT_USAGE "RSA2 signs with --key, not a secret"
  [ -z "$platform_key" ] || [ -r "$platform_key" ] ||
    die $EXIT_USAGE "--platform-key: cannot read $platform_key"
fi
unset OPP_MERCHANT_SECRET # kept in this shell only: openssl, curl and od do not inherit it
command -v openssl >/dev/null || die $EXIT_USAGE "openssl is not installed"
((dry_run)) || command -v curl >/dev/null || die $EXIT_USAGE "curl is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/opp-merchant.XXXXXX") || die $EXIT_USAGE "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT

# ---- primitives ------------------------------------------------------------------------

# hex_of: standard input as lowercase hex, no separators.
hex_of() { od -An -v -tx1 | tr -d ' \n'; }

# hmac_hex DIGEST FILE: lowercase hex HMAC-DIGEST (RFC 2104) of FILE under $secret.
# Block size 64 bytes for both SHA-256 and SM3. The key and its pads stay inside this
# shell (builtin printf into pipes), so no process is ever started with them as arguments.
hmac_hex() {
  local digest=$1 file=$2 key_hex ipad='' opad='' i byte escaped
  if [ ${#secret} -gt 64 ]; then
    key_hex=$(printf '%s' "$secret" | openssl dgst "-$digest" -binary | hex_of)
  else
    key_hex=$(printf '%s' "$secret" | hex_of)
  fi
  for ((i = 0; i < 128; i += 2)); do
    byte=0
    [ $i -lt ${#key_hex} ] && byte=$((16#${key_hex:i:2}))
    printf -v escaped '\\x%02x' $((byte ^ 0x36))
    ipad+=$escaped
    printf -v escaped '\\x%02x' $((byte ^ 0x5c))
    opad+=$escaped
  done
  # The format strings hold only \xHH escapes, so printf writes exactly the pad bytes.
  # shellcheck disable=SC2059
  { printf "$ipad" && cat "$file"; } | openssl dgst "-$digest" -binary >"$tmp/inner" || return 1
  # shellcheck disable=SC2059
  { printf "$opad" && cat "$tmp/inner"; } | openssl dgst "-$digest" -binary | hex_of
}

# url_encode: standard input percent-encoded (RFC 3986 unreserved bytes kept).
url_encode() {
  od -An -v -tx1 | awk '
    BEGIN {
      for (i = 48; i <= 57; i++) keep[sprintf("%02x", i)] = sprintf("%c", i)
      for (i = 65; i <= 90; i++) keep[sprintf("%02x", i)] = sprintf("%c", i)
      for (i = 97; i <= 122; i++) keep[sprintf("%02x", i)] = sprintf("%c", i)
      keep["2d"] = "-"; keep["2e"] = "."; keep["5f"] = "_"; keep["7e"] = "~"
    }
    { for (f = 1; f <= NF; f++) printf "%s", (($f in keep) ? keep[$f] : "%" toupper($f)) }'
}

# json_string VALUE: VALUE as a JSON string literal into $REPLY (UTF-8 passes through).
json_string() {
  local v=$1
  v=${v//\\/\\\\}
  v=${v//\"/\\\"}
  v=${v//$'\n'/\\n}
  v=${v//$'\r'/\\r}
  v=${v//$'\t'/\\t}
  [[ $v == *[$'\x01'-$'\x1f'$'\x7f']* ]] && return 1
  REPLY="\"$v\""
}

# header NAME: the value of response header NAME (last response block, case-insensitive).
header() {
  awk -v want="${1,,}" '
    /^HTTP\// { value = ""; next }
    {
      sub(/\r$/, "")
      colon = index($0, ":")
      if (colon == 0) next
      if (tolower(substr($0, 1, colon - 1)) != want) next
      value = substr($0, colon + 1)
      sub(/^[ \t]+/, "", value); sub(/[ \t]+$/, "", value)
    }
    END { printf "%s", value }' "$tmp/headers"
}

# ---- the request -----------------------------------------------------------------------
[ -n "$timestamp" ] || timestamp=$(date +%s)
[ -n "$nonce" ] || nonce=$(openssl rand -hex 16)
[[ $timestamp =~ ^[0-9]{1,19}$ ]] || die $EXIT_USAGE "--timestamp needs Unix seconds"
[[ $nonce =~ ^[A-Za-z0-9_-]{8,64}$ ]] || die $EXIT_USAGE "--nonce needs 8-64 of [A-Za-z0-9_-]"

keys=(merchant_id method biz_params timestamp nonce_str sign_type)
values=("$merchant" "$method" "$biz_params" "$timestamp" "$nonce" "$sign_type")
for i in "${!extra_keys[@]}"; do
  k=${extra_keys[i]}
  [[ $k =~ ^[A-Za-z0-9_.-]+$ ]] || die $EXIT_USAGE "--param: key '$k' must be [A-Za-z0-9_.-]"
  for known in "${keys[@]}" sign; do
    [ "$k" != "$known" ] || die $EXIT_USAGE "--param: $k is given twice"
  done
  keys+=("$k") values+=("${extra_values[i]}")
done

# Canonical string (SPEC §3.2): every param but `sign` and empty values, sorted by key
# in byte order (LC_ALL=C), key=value joined with '&', values raw, not URL-encoded.
: >"$tmp/canonical"
first=1
while IFS= read -r k; do
  for i in "${!keys[@]}"; do
    [ "${keys[i]}" = "$k" ] || continue
    [ -n "${values[i]}" ] || continue
    ((first)) || printf '&' >>"$tmp/canonical"
    printf '%s=%s' "$k" "${values[i]}" >>"$tmp/canonical"
    first=0
  done
done < <(printf '%s\n' "${keys[@]}" | sort)
note "canonical string: $(cat "$tmp/canonical")"

if [ -n "$digest" ]; then
  sign=$(hmac_hex "$digest" "$tmp/canonical") || die $EXIT_USAGE "openssl cannot compute $sign_type"
  [ ${#sign} -eq 64 ] || die $EXIT_USAGE "openssl cannot compute $sign_type"
else
  openssl dgst -sha256 -sign "$key_file" -out "$tmp/request.sig" "$tmp/canonical" 2>"$tmp/openssl.err" ||
    die $EXIT_USAGE "cannot sign with $key_file: $(head -n1 "$tmp/openssl.err")"
  sign=$(base64 -w0 <"$tmp/request.sig")
fi
keys+=(sign) values+=("$sign")

# The body: empty values are not sent (they are not signed either).
: >"$tmp/body"
if [ "$content" = form ]; then
  content_type=application/x-www-form-urlencoded
  first=1
  for i in "${!keys[@]}"; do
    [ -n "${values[i]}" ] || continue
    ((first)) || printf '&' >>"$tmp/body"
    printf '%s=' "${keys[i]}" >>"$tmp/body"
    printf '%s' "${values[i]}" | url_encode >>"$tmp/body"
    first=0
  done
else
  content_type=application/json
  printf '{' >>"$tmp/body"
  first=1
  for i in "${!keys[@]}"; do
    [ -n "${values[i]}" ] || continue
    json_string "${values[i]}" || die $EXIT_USAGE "${keys[i]}: control characters cannot be sent as JSON"
    ((first)) || printf ',' >>"$tmp/body"
    printf '"%s":%s' "${keys[i]}" "$REPLY" >>"$tmp/body"
    first=0
  done
  printf '}' >>"$tmp/body"
fi

if ((dry_run)); then
  cat "$tmp/body"
  printf '\n'
  exit $EXIT_OK
fi

# curl verifies an https:// gateway's certificate and host name: against --cacert when
# given, else the system's CAs.
tls_options=()
[ -z "$ca_file" ] || tls_options=(--cacert "$ca_file")

url=${gateway%/}/gateway/$svc
note "POST $url ($content_type)"
status=$(curl -sS "${tls_options[@]}" --max-time "$timeout" -H 'Expect:' -H "Content-Type: $content_type" \
  --data-binary "@$tmp/body" -D "$tmp/headers" -o "$tmp/response" -w '%{http_code}' "$url" 2>"$tmp/curl.err") ||
  die $EXIT_TRANSPORT "POST $url failed: $(head -n1 "$tmp/curl.err")"
note "HTTP $status, X-Request-Id $(header X-Request-Id)"

# ---- the response signature (SPEC §3.3) ------------------------------------------------
unverified() { # REASON: the body goes to stderr only, so no caller takes it for trusted
  {
    printf '%s: response NOT verified: %s (HTTP %s)\n' "$prog" "$1" "$status"
    printf '%s: unverified body: ' "$prog"
    cat "$tmp/response"
    printf '\n'
  } >&2
  exit $EXIT_UNVERIFIED
}

r_timestamp=$(header X-Opp-Timestamp)
r_nonce=$(header X-Opp-Nonce)
r_sign_type=$(header X-Opp-Sign-Type)
r_signature=$(header X-Opp-Signature)
[ -n "$r_signature" ] || unverified "it is not signed (no X-Opp-Signature; the gateway signs only authenticated answers)"
[ "$r_sign_type" = "$sign_type" ] || unverified "X-Opp-Sign-Type is '$r_sign_type', expected $sign_type"
[[ $r_timestamp =~ ^[0-9]{1,19}$ ]] || unverified "X-Opp-Timestamp '$r_timestamp' is not Unix seconds"
[ -n "$r_nonce" ] || unverified "X-Opp-Nonce is missing"
if [ "$response_window" -gt 0 ]; then
  now=$(date +%s)
  skew=$((now > r_timestamp ? now - r_timestamp : r_timestamp - now))
  [ "$skew" -le "$response_window" ] ||
    unverified "X-Opp-Timestamp is ${skew}s from now (window ${response_window}s)"
fi

# timestamp + "\n" + nonce + "\n" + body + "\n", the body's exact bytes.
{ printf '%s\n%s\n' "$r_timestamp" "$r_nonce" && cat "$tmp/response" && printf '\n'; } >"$tmp/signed"
if [ -n "$digest" ]; then
  expected=$(hmac_hex "$digest" "$tmp/signed") || die $EXIT_USAGE "openssl cannot compute $sign_type"
  [ "$expected" = "${r_signature,,}" ] || unverified "$sign_type signature does not match"
else
  if [ -z "$platform_key" ]; then
    platform_key=$tmp/platform.pem
    curl -sS -f "${tls_options[@]}" --max-time "$timeout" -o "$platform_key" "${gateway%/}/gateway/platform-key" 2>"$tmp/curl.err" ||
      unverified "cannot fetch the platform key: $(head -n1 "$tmp/curl.err")"
    note "platform key fetched from ${gateway%/}/gateway/platform-key (pin it with --platform-key)"
  fi
  printf '%s' "$r_signature" | base64 -d >"$tmp/response.sig" 2>/dev/null ||
    unverified "X-Opp-Signature is not base64"
  openssl dgst -sha256 -verify "$platform_key" -signature "$tmp/response.sig" "$tmp/signed" >"$tmp/verify.out" 2>&1 ||
    unverified "RSA2 signature does not verify with the platform key ($(head -n1 "$tmp/verify.out"))"
fi
note "response signature verified ($sign_type)"

cat "$tmp/response"
printf '\n'
err_code=$(grep -o '"err_code"[[:space:]]*:[[:space:]]*-\{0,1\}[0-9]\{1,\}' "$tmp/response" | head -n1 | sed 's/.*://; s/[[:space:]]//g')
[ -n "$err_code" ] || die $EXIT_TRANSPORT "the response has no err_code: not a gateway envelope"
[ "$err_code" = 0 ] || exit $EXIT_BUSINESS
exit $EXIT_OK
