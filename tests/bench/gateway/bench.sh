#!/usr/bin/env bash
# End-to-end benchmark of opp-gateway (SPEC §3): signed POST /gateway/payment queryorder
# requests from wrk, through the gateway, to a Thrift backend, measured side by side with
# the perf floor (bare Beast + one pipelined Thrift call) in the same run.
#
#   tests/bench/gateway/bench.sh [REPS] [CONFIG ...]        (or: make bench-gateway)
#
# Configurations (default: all, in this order; repetitions interleaved: rep 1 of every
# configuration, then rep 2, ...):
#   gw_memory       (a) opp-gateway -> bench_payment_memory (in-memory PaymentSvc), HMAC-SHA256
#   floor           (b) perf-floor beast_thrift_threaded: Beast + echo_server threaded, built
#                       from $OPP_SHARED_DIR/perf-floor (skipped when that folder is absent)
#   gw_sqlite       (c) opp-gateway -> opp-payment on SQLite (temp dir, orders created first)
#   gw_memory_rsa2      (a) with RSA2 merchants (requests pre-signed, see gateway.lua)
#   direct_memory   (d) bench_payment_client -> bench_payment_memory, no gateway
#   direct_sqlite   (d) bench_payment_client -> opp-payment on SQLite, no gateway
# Every run: wait until the machine is quiet (<= QUIET_PCT % busy over 1 s, at most
# MAXWAIT s), start fresh servers under `taskset -c 0,1` (wrk and the Thrift client are not
# pinned), warm up WARM (gateway runs: every response checked for "err_code":0), then
# measure `wrk -t1 -cN -dDUR --latency`, reading server CPU from /proc/PID/stat and peak
# RSS (VmHWM) from /proc/PID/status. Before its first run each gateway configuration must
# pass smoke.py (answers, response signatures, bad signature and replay refused).
# Results: markdown table + ratios on stdout and in $OUT/RESULTS.md; raw files in $OUT/raw.
#
# Environment: DUR=10s WARM=1s CONNS="32 256" CLIENT_THREADS="1 4" QUIET_PCT=15 MAXWAIT=120
#   GW_THREADS=2 (gateway `threads`)
#   BACKEND_SERVER=fast|nb|threaded (in-memory backend: bench_payment_fast, or
#     bench_payment_memory's TNonblockingServer / TThreadedServer)
#   MEMORY_UPSTREAM="max_connections: 2, pipeline_depth: 64, max_pending: 4096"
#   SQLITE_UPSTREAM="" (gateway `upstreams.payment` keys for the in-memory / SQLite backend;
#     the SQLite backend serves a connection's calls one at a time, so it gets the
#     defaults: many connections, shallow pipelines)
#   PAYMENT_WORKERS=4 (opp-payment `workers`)  MERCHANTS=16 (HMAC) RSA_MERCHANTS=4 ORDERS=128
#   RSA2_BODIES=150000 (pre-signed RSA2 requests; each is sent once per gateway process)
#   BUILD=build-bench OUT=$BUILD/gateway-bench  OPP_SHARED_DIR (default: ../shared)
#   NO_BUILD=1 (use what is built)  KEEP=1 (keep the temp dir)  CHECK_SIGNING=0 (skip the
#   signing self-check check_signing.sh, which otherwise runs first and must pass)
#   GATEWAY_BIN / ADMIN_BIN: use these executables instead of the built opp-gateway/opp-admin.
# Ports: all ephemeral (servers bind port 0 and print it, or a free port is picked).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
OUT=${OUT:-$BUILD/gateway-bench}
REPS=${1:-${REPS:-3}}
shift || true
CONFIGS=${*:-${CONFIGS:-"gw_memory floor gw_sqlite gw_memory_rsa2 direct_memory direct_sqlite"}}
DUR=${DUR:-10s}
WARM=${WARM:-1s}
CONNS=${CONNS:-"32 256"}
CLIENT_THREADS=${CLIENT_THREADS:-"1 4"}
QUIET_PCT=${QUIET_PCT:-15}
MAXWAIT=${MAXWAIT:-120}
GW_THREADS=${GW_THREADS:-2}
MEMORY_UPSTREAM=${MEMORY_UPSTREAM-"max_connections: 2, pipeline_depth: 64, max_pending: 4096"}
SQLITE_UPSTREAM=${SQLITE_UPSTREAM-""}
BACKEND_SERVER=${BACKEND_SERVER:-fast}
PAYMENT_WORKERS=${PAYMENT_WORKERS:-4}
MERCHANTS=${MERCHANTS:-16}
RSA_MERCHANTS=${RSA_MERCHANTS:-4}
ORDERS=${ORDERS:-128}
RSA2_BODIES=${RSA2_BODIES:-150000}
SHARED=${OPP_SHARED_DIR:-$(dirname "$ROOT")/shared}
SECRET_PREFIX=bench-secret-
PIN="taskset -c 0,1"
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)

log() { printf '%s\n' "$*" >&2; }
die() { log "bench-gateway: $*"; exit 1; }

# --- build ---------------------------------------------------------------------------
have_target() { cmake --build "$BUILD" --target help 2>/dev/null | grep -q "^$1:"; }
find_exe() {  # first executable named $1 under the build dir (layout-independent)
  find "$BUILD" -path "$OUT" -prune -o -type f -name "$1" -perm -u+x -print 2>/dev/null | head -1
}
if [ "${NO_BUILD:-0}" != 1 ]; then
  log "== building (Release, $BUILD)"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null || die "cmake failed"
  targets="bench_payment_memory bench_payment_fast bench_payment_client bench_gateway_sign opp-payment"
  for t in opp-gateway opp-admin; do have_target "$t" && targets="$targets $t"; done
  # shellcheck disable=SC2086
  cmake --build "$BUILD" -j"$NCPU" --target $targets >"$BUILD/bench-gateway-build.log" 2>&1 ||
    { tail -30 "$BUILD/bench-gateway-build.log" >&2; die "build failed"; }
fi
MEMORY_BACKEND=$(find_exe bench_payment_memory)
FAST_BACKEND=$(find_exe bench_payment_fast)
CLIENT=$(find_exe bench_payment_client)
SIGNER=$(find_exe bench_gateway_sign)
PAYMENT=$(find_exe opp-payment)
GATEWAY=${GATEWAY_BIN:-$(find_exe opp-gateway)}
ADMIN=${ADMIN_BIN:-$(find_exe opp-admin)}
for exe in "$MEMORY_BACKEND" "$CLIENT" "$SIGNER" "$PAYMENT"; do
  [ -n "$exe" ] && [ -x "$exe" ] || die "missing a bench executable under $BUILD (run without NO_BUILD)"
done
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"

SKIP_GATEWAY=""
if [ -z "$GATEWAY" ] || [ -z "$ADMIN" ]; then
  SKIP_GATEWAY="opp-gateway/opp-admin not built in this checkout yet"
fi

# --- the perf floor (optional) -------------------------------------------------------
FLOOR_DIR=$OUT/perf-floor
SKIP_FLOOR=""
if [ ! -f "$SHARED/perf-floor/run.sh" ]; then
  SKIP_FLOOR="no perf floor at $SHARED/perf-floor (set OPP_SHARED_DIR)"
elif [ ! -x "$FLOOR_DIR/bin/beast_server" ] || [ ! -x "$FLOOR_DIR/bin/echo_server" ] ||
  ! cmp -s "$SHARED/perf-floor/beast/beast_server.cpp" "$FLOOR_DIR/beast/beast_server.cpp" ||
  ! cmp -s "$SHARED/perf-floor/thrift/echo_server.cpp" "$FLOOR_DIR/thrift/echo_server.cpp"; then
  log "== building the perf floor into $FLOOR_DIR (its own run.sh build)"
  mkdir -p "$FLOOR_DIR"
  PERF_FLOOR_DIR=$FLOOR_DIR bash "$SHARED/perf-floor/run.sh" build >"$OUT/floor-build.log" 2>&1 ||
    SKIP_FLOOR="perf floor build failed (see $OUT/floor-build.log)"
fi

# --- work dir, keys, configs ---------------------------------------------------------
mkdir -p "$OUT"
STAMP=$(date +%Y%m%d-%H%M%S)
RAW=$OUT/raw-$STAMP
mkdir -p "$RAW"
ln -sfn "raw-$STAMP" "$OUT/raw"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench.XXXXXX")
KILL_PIDS=""
cleanup() {
  stop_pids
  if [ "${KEEP:-0}" = 1 ]; then log "temp dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pids() {  # SIGTERM what we started, by pid; SIGKILL what is still there after 10 s
  local p i
  for p in $KILL_PIDS; do kill -TERM "$p" 2>/dev/null; done
  for p in $KILL_PIDS; do
    for i in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && { log "pid $p ignored SIGTERM, killing"; kill -KILL "$p"; }
    wait "$p" 2>/dev/null
  done
  KILL_PIDS=""
}

wait_listening() {  # wait_listening FILE PID -> echoes the port printed as "listening on H:P"
  local file=$1 pid=$2 port=""
  for _ in $(seq 1 200); do
    port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)[[:space:]]*$/\1/p' "$file" 2>/dev/null | head -1)
    [ -n "$port" ] && { echo "$port"; return 0; }
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

wait_port() {  # until something accepts on 127.0.0.1:$1
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/merchant_rsa.pem" 2>/dev/null &&
  openssl pkey -in "$WORK/merchant_rsa.pem" -pubout -out "$WORK/merchant_rsa_pub.pem" ||
  die "openssl could not make the RSA2 merchant key"

write_gateway_yaml() {  # write_gateway_yaml UPSTREAM_PORT [UPSTREAM_KEYS]
  cat >"$WORK/gateway.yaml" <<YAML
# opp-gateway configuration for the benchmark (tests/bench/gateway/bench.sh)
listen: "127.0.0.1:0"
threads: $GW_THREADS
idl_dir: "$ROOT/idl"
database: "sqlite3://db=$WORK/gateway.db"
access_log: "$WORK/access.log"
auth:
  # Pre-signed RSA2 requests are made once per bench run; each gateway process lives for
  # one run (~15 s), so its nonce store holds no more than with the default window.
  timestamp_window_s: 3600
  platform_private_key: "$WORK/platform_key.pem"
  secret_key: "$WORK/secret_kek.bin"
upstreams:
  payment:
    endpoints: ["127.0.0.1:$1"]
$(printf '%s\n' "${2:-}" | tr ',' '\n' | sed -n 's/^ *\([a-z_]*\): *\(.*\)$/    \1: \2/p')
YAML
}

cat >"$WORK/payment.yaml" <<YAML
listen: "127.0.0.1:0"
database: "sqlite3://db=$WORK/payment.db"
workers: $PAYMENT_WORKERS
platform_private_key: "$WORK/platform_key.pem"
YAML

ALL_MERCHANTS=$((MERCHANTS + RSA_MERCHANTS))
merchant_id() { printf 'benchm%02d' "$1"; }

# --- servers -------------------------------------------------------------------------
MAIN_PID=""; BACKEND_PID=""; PORT=""; BACKEND_PORT=""

start_memory_backend() {
  UPSTREAM_KEYS=$MEMORY_UPSTREAM
  if [ "$BACKEND_SERVER" = fast ]; then
    $PIN "$FAST_BACKEND" --threads 2 --merchants "$ALL_MERCHANTS" --orders "$ORDERS" \
      >"$WORK/backend.out" 2>>"$RAW/servers.log" &
  else
    $PIN "$MEMORY_BACKEND" --server "$BACKEND_SERVER" --merchants "$ALL_MERCHANTS" \
      --orders "$ORDERS" >"$WORK/backend.out" 2>>"$RAW/servers.log" &
  fi
  BACKEND_PID=$!
  KILL_PIDS="$KILL_PIDS $BACKEND_PID"
  BACKEND_PORT=$(wait_listening "$WORK/backend.out" "$BACKEND_PID") || { log "bench_payment_memory did not start"; return 1; }
}

start_sqlite_backend() {
  UPSTREAM_KEYS=$SQLITE_UPSTREAM
  $PIN "$PAYMENT" --config "$WORK/payment.yaml" >"$WORK/payment.out" 2>>"$RAW/servers.log" &
  BACKEND_PID=$!
  KILL_PIDS="$KILL_PIDS $BACKEND_PID"
  BACKEND_PORT=$(wait_listening "$WORK/payment.out" "$BACKEND_PID") || { log "opp-payment did not start"; return 1; }
}

start_gateway() {
  write_gateway_yaml "$BACKEND_PORT" "${UPSTREAM_KEYS:-}"
  rm -f "$WORK/access.log"
  $PIN "$GATEWAY" --config "$WORK/gateway.yaml" >"$WORK/gateway.out" 2>>"$RAW/servers.log" &
  MAIN_PID=$!
  KILL_PIDS="$KILL_PIDS $MAIN_PID"
  PORT=$(wait_listening "$WORK/gateway.out" "$MAIN_PID") || { log "opp-gateway did not start"; tail -5 "$RAW/servers.log" >&2; return 1; }
}

start_floor() {
  local tp
  BACKEND_PORT=$(free_port)
  $PIN "$FLOOR_DIR/bin/echo_server" threaded "$BACKEND_PORT" 2 2>>"$RAW/servers.log" &
  BACKEND_PID=$!
  KILL_PIDS="$KILL_PIDS $BACKEND_PID"
  wait_port "$BACKEND_PORT" || return 1
  PORT=$(free_port)
  $PIN "$FLOOR_DIR/bin/beast_server" --port "$PORT" --thrift "127.0.0.1:$BACKEND_PORT" 2>>"$RAW/servers.log" &
  MAIN_PID=$!
  KILL_PIDS="$KILL_PIDS $MAIN_PID"
  wait_port "$PORT"
}

start_cfg() {
  MAIN_PID=""; BACKEND_PID=""; PORT=""; BACKEND_PORT=""
  case $1 in
    gw_memory | gw_memory_rsa2) start_memory_backend && start_gateway ;;
    gw_sqlite) start_sqlite_backend && start_gateway ;;
    floor) start_floor ;;
    direct_memory) start_memory_backend ;;
    direct_sqlite) start_sqlite_backend ;;
    *) die "unknown configuration $1" ;;
  esac
}

# --- measurement helpers (as perf-floor's bench.sh) ----------------------------------
proc_ticks() {  # utime+stime of a pid, in clock ticks
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
  awk '{sub(/^.*\) /,""); print $12+$13}' "/proc/$1/stat"
}
vmhwm() { [ -n "$1" ] && awk '/VmHWM/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_line() { head -1 /proc/stat; }
busy_pct() {  # whole-machine non-idle % over a 1 s sample
  local a b tot=0 idle k
  read -ra a </proc/stat; sleep 1; read -ra b </proc/stat
  for k in 1 2 3 4 5 6 7 8; do tot=$((tot + b[k] - a[k])); done
  idle=$((b[4] - a[4] + b[5] - a[5]))
  echo $(((tot - idle) * 100 / (tot > 0 ? tot : 1)))
}
WAITED=0; PRE_BUSY=0
wait_quiet() {
  local t0=$SECONDS
  PRE_BUSY=$(busy_pct)
  while ((MAXWAIT > 0 && PRE_BUSY > QUIET_PCT && SECONDS - t0 < MAXWAIT)); do
    sleep 1; PRE_BUSY=$(busy_pct)
  done
  WAITED=$((SECONDS - t0))
}
write_meta_head() {  # write_meta_head FILE CFG CONNS REP
  {
    echo "config=$2"; echo "conns=$3"; echo "rep=$4"
    echo "date=$(date -Is)"; echo "uptime=$(uptime)"
    echo "quiet_wait_s=$WAITED"; echo "pre_busy_pct=$PRE_BUSY"
    echo "loadavg=$(cat /proc/loadavg)"
    echo "top_others=$(ps -eo pcpu,comm --sort=-pcpu --no-headers | head -4 | tr -s ' ' | tr '\n' ';')"
    echo "clk_tck=$CLK_TCK"; echo "ncpu=$NCPU"
    echo "gw_threads=$GW_THREADS"; echo "backend_server=$BACKEND_SERVER"
  } >"$1"
}

wrk_env() {  # the environment of gateway.lua for a configuration
  case $1 in
    gw_memory | gw_sqlite) echo "MERCHANTS=$MERCHANTS FIRST_MERCHANT=0 ORDERS=$ORDERS SECRET_PREFIX=$SECRET_PREFIX" ;;
    gw_memory_rsa2) echo "BODIES=$WORK/rsa2_bodies.txt" ;;
  esac
}

declare -A BROKEN=() SMOKED=()

run_http() {  # run_http CFG CONNS REP
  local cfg=$1 c=$2 rep=$3 tag="${1}_c${2}_r${3}"
  local meta="$RAW/$tag.meta" lua url envs start=1 TIMEFORMAT="wrk_cpu_user_sys=%U %S"
  wait_quiet
  if ! start_cfg "$cfg"; then
    log "$cfg: did not start"; BROKEN[$cfg]="did not start"; stop_pids; return
  fi
  if [ "$cfg" = floor ]; then
    lua=$FLOOR_DIR/common/post.lua url="http://127.0.0.1:$PORT/gateway"
    envs="BODY_FILE=$FLOOR_DIR/common/body600.txt"
  else
    lua=$HERE/gateway.lua url="http://127.0.0.1:$PORT" envs=$(wrk_env "$cfg")
    if [ "$cfg" != gw_memory_rsa2 ] && [ -z "${SMOKED[$cfg]:-}" ]; then
      SMOKED[$cfg]=1
      if ! python3 "$HERE/smoke.py" --port "$PORT" --merchants "$MERCHANTS" --orders "$ORDERS" \
        --secret-prefix "$SECRET_PREFIX" >"$RAW/$cfg.smoke" 2>&1; then
        log "$cfg: $(tail -1 "$RAW/$cfg.smoke")"; BROKEN[$cfg]="smoke check failed"; stop_pids; return
      fi
    fi
  fi
  # warm-up (discarded); gateway runs read every response here (CHECK=1)
  # shellcheck disable=SC2086
  env $envs CHECK=1 wrk -t1 -c"$c" -d"$WARM" -s "$lua" "$url" >"$RAW/$tag.warm" 2>&1
  if [ "$cfg" = gw_memory_rsa2 ]; then
    # Pre-signed bodies are single-use per gateway process: start after those the warm-up
    # sent (completed ones, plus one in flight per connection and the one wrk probes with).
    start=$(($(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$RAW/$tag.warm") + 2 * c + 10))
  fi
  write_meta_head "$meta" "$cfg" "$c" "$rep"
  {
    echo "main_pid=$MAIN_PID"; echo "backend_pid=$BACKEND_PID"
    echo "main_comm=$(cat "/proc/$MAIN_PID/comm" 2>/dev/null)"
    echo "backend_comm=$(cat "/proc/$BACKEND_PID/comm" 2>/dev/null)"
    echo "bodies_start=$start"
    [ "$cfg" = gw_memory_rsa2 ] && echo "bodies_total=$(wc -l <"$WORK/rsa2_bodies.txt")"
    echo "warm_body_check=$(grep '^body-check:' "$RAW/$tag.warm" | head -1)"
  } >>"$meta"
  local m0 b0 t0 m1 b1 t1
  m0=$(proc_ticks "$MAIN_PID"); b0=$(proc_ticks "$BACKEND_PID"); t0=$(cpu_line)
  # shellcheck disable=SC2086
  { time env $envs START=$start wrk -t1 -c"$c" -d"$DUR" --latency -s "$lua" "$url" >"$RAW/$tag.wrk" 2>&1; } 2>>"$meta"
  m1=$(proc_ticks "$MAIN_PID"); b1=$(proc_ticks "$BACKEND_PID"); t1=$(cpu_line)
  {
    echo "main_ticks=$((m1 - m0))"; echo "backend_ticks=$((b1 - b0))"
    echo "procstat_before=$t0"; echo "procstat_after=$t1"
    echo "main_vmhwm_kb=$(vmhwm "$MAIN_PID")"; echo "backend_vmhwm_kb=$(vmhwm "$BACKEND_PID")"
    [ -f "$WORK/access.log" ] && echo "access_log_lines=$(wc -l <"$WORK/access.log")"
  } >>"$meta"
  stop_pids
  printf '%-16s c=%-4s r=%s  %-28s %s | load %s\n' "$cfg" "$c" "$rep" \
    "$(grep -E 'Requests/sec' "$RAW/$tag.wrk" | tr -s ' ')" \
    "$(grep -E 'Non-2xx' "$RAW/$tag.wrk" | tr -s ' ')" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

run_direct() {  # run_direct CFG THREADS REP
  local cfg=$1 t=$2 rep=$3 tag="${1}_t${2}_r${3}"
  local meta="$RAW/$tag.meta" b0 b1 t0 t1 TIMEFORMAT="client_cpu_user_sys=%U %S"
  wait_quiet
  start_cfg "$cfg" || { log "$cfg: did not start"; BROKEN[$cfg]="did not start"; stop_pids; return; }
  "$CLIENT" --port "$BACKEND_PORT" load --threads "$t" --seconds "${WARM%s}" \
    --merchants "$ALL_MERCHANTS" --orders "$ORDERS" >/dev/null 2>&1
  write_meta_head "$meta" "$cfg" "$t" "$rep"
  { echo "backend_pid=$BACKEND_PID"; echo "backend_comm=$(cat "/proc/$BACKEND_PID/comm" 2>/dev/null)"; } >>"$meta"
  b0=$(proc_ticks "$BACKEND_PID"); t0=$(cpu_line)
  { time "$CLIENT" --port "$BACKEND_PORT" load --threads "$t" --seconds "${DUR%s}" \
    --merchants "$ALL_MERCHANTS" --orders "$ORDERS" >"$RAW/$tag.client" 2>&1; } 2>>"$meta"
  b1=$(proc_ticks "$BACKEND_PID"); t1=$(cpu_line)
  {
    echo "backend_ticks=$((b1 - b0))"; echo "procstat_before=$t0"; echo "procstat_after=$t1"
    echo "backend_vmhwm_kb=$(vmhwm "$BACKEND_PID")"
  } >>"$meta"
  stop_pids
  printf '%-16s t=%-4s r=%s  %s | load %s\n' "$cfg" "$t" "$rep" "$(cat "$RAW/$tag.client")" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

# --- preparation ---------------------------------------------------------------------
SIGNING_CHECK=skipped
if [ "${CHECK_SIGNING:-1}" = 1 ]; then
  log "== checking the request signing (check_signing.sh)"
  bash "$HERE/check_signing.sh" "$SIGNER" >"$RAW/check-signing.log" 2>&1 ||
    die "the benchmark's request signing is broken: $(grep FAIL "$RAW/check-signing.log" | head -3)"
  SIGNING_CHECK="$(grep -c '^PASS' "$RAW/check-signing.log") checks passed (check_signing.sh)"
fi
wants() { [[ " $CONFIGS " == *" $1 "* ]]; }
skip_reason() {
  case $1 in
    gw_*) echo "$SKIP_GATEWAY" ;;
    floor) echo "$SKIP_FLOOR" ;;
  esac
}

if [ -z "$SKIP_GATEWAY" ] && { wants gw_memory || wants gw_sqlite || wants gw_memory_rsa2; }; then
  log "== registering $MERCHANTS HMAC-SHA256 and $RSA_MERCHANTS RSA2 merchants with opp-admin"
  write_gateway_yaml 1
  for ((m = 0; m < ALL_MERCHANTS; m++)); do
    id=$(merchant_id "$m")
    if ((m < MERCHANTS)); then
      "$ADMIN" --config "$WORK/gateway.yaml" merchant add --id "$id" --sign-type HMAC-SHA256 \
        --secret "$SECRET_PREFIX$id" >>"$RAW/admin.log" 2>&1
    else
      "$ADMIN" --config "$WORK/gateway.yaml" merchant add --id "$id" --sign-type RSA2 \
        --public-key "$WORK/merchant_rsa_pub.pem" >>"$RAW/admin.log" 2>&1
    fi || { SKIP_GATEWAY="opp-admin merchant add failed (see $RAW/admin.log)"; break; }
  done
fi

if wants gw_sqlite || wants direct_sqlite; then
  log "== creating $((ALL_MERCHANTS * ORDERS)) orders in opp-payment (SQLite, $WORK)"
  if start_sqlite_backend; then
    "$CLIENT" --port "$BACKEND_PORT" create --threads 4 --merchants "$ALL_MERCHANTS" \
      --orders "$ORDERS" >"$RAW/create-orders.log" 2>&1 || log "order creation had errors: $(tail -1 "$RAW/create-orders.log")"
  fi
  stop_pids
fi

if [ -z "$SKIP_GATEWAY" ] && wants gw_memory_rsa2; then
  log "== pre-signing $RSA2_BODIES RSA2 requests (project crypto, 2 processes)"
  half=$((RSA2_BODIES / 2))
  ts=$(date +%s)
  for part in a b; do
    "$SIGNER" bodies --sign-type RSA2 --key "$WORK/merchant_rsa.pem" --count "$half" \
      --first-merchant "$MERCHANTS" --merchants "$RSA_MERCHANTS" --orders "$ORDERS" \
      --nonce-prefix "rsa2${part}${ts}x" --timestamp "$ts" >"$WORK/rsa2_$part.txt" &
  done
  wait
  cat "$WORK/rsa2_a.txt" "$WORK/rsa2_b.txt" >"$WORK/rsa2_bodies.txt"
  rm -f "$WORK/rsa2_a.txt" "$WORK/rsa2_b.txt"
  head -200 "$WORK/rsa2_bodies.txt" | "$SIGNER" verify --sign-type RSA2 \
    --public-key "$WORK/merchant_rsa_pub.pem" >"$RAW/rsa2-presign-check.log" 2>&1 ||
    die "pre-signed RSA2 bodies do not verify: $(cat "$RAW/rsa2-presign-check.log")"
fi

{
  echo "date=$(date -Is)"; echo "host=$(uname -srm)"; echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "signing_check=$SIGNING_CHECK"
  echo "ncpu=$NCPU"; echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"
  echo "wrk=$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "settings=REPS=$REPS DUR=$DUR WARM=$WARM CONNS=\"$CONNS\" CLIENT_THREADS=\"$CLIENT_THREADS\" GW_THREADS=$GW_THREADS BACKEND_SERVER=$BACKEND_SERVER MEMORY_UPSTREAM=\"$MEMORY_UPSTREAM\" SQLITE_UPSTREAM=\"$SQLITE_UPSTREAM\" PAYMENT_WORKERS=$PAYMENT_WORKERS MERCHANTS=$MERCHANTS RSA_MERCHANTS=$RSA_MERCHANTS ORDERS=$ORDERS RSA2_BODIES=$RSA2_BODIES QUIET_PCT=$QUIET_PCT MAXWAIT=$MAXWAIT"
  for cfg in $CONFIGS; do
    r=$(skip_reason "$cfg"); [ -n "$r" ] && echo "skipped_$cfg=$r"
  done
} >"$RAW/run.info"

# --- the runs, interleaved -----------------------------------------------------------
for cfg in $CONFIGS; do
  r=$(skip_reason "$cfg"); [ -n "$r" ] && log "== $cfg: skipped: $r"
done
for rep in $(seq 1 "$REPS"); do
  for cfg in $CONFIGS; do
    [ -n "$(skip_reason "$cfg")" ] && continue
    [ -n "${BROKEN[$cfg]:-}" ] && continue
    case $cfg in
      direct_*) for t in $CLIENT_THREADS; do run_direct "$cfg" "$t" "$rep"; done ;;
      *) for c in $CONNS; do run_http "$cfg" "$c" "$rep"; done ;;
    esac
  done
done
for cfg in "${!BROKEN[@]}"; do echo "broken_$cfg=${BROKEN[$cfg]}" >>"$RAW/run.info"; done

python3 "$HERE/parse.py" "$RAW" | tee "$OUT/RESULTS.md"
log "raw files: $RAW; summary: $OUT/RESULTS.md"
