#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, tests and runs with.
# Idempotent: asks apt only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  clang libclang-rt-14-dev          # libFuzzer + sanitizers
  libboost-all-dev                  # Beast/Asio HTTP, program support
  libthrift-dev thrift-compiler libevent-dev  # payment server, interop tests
  rapidjson-dev                     # streaming JSON
  libssl-dev                        # HMAC, RSA, SM3; TLS for the gateway's listener and https:// notify URLs
  libc-ares-dev                     # asynchronous DNS for notify URL hosts
  libxxhash-dev                     # nonce fingerprints (gateway nonce store)
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev  # SQL access
  libyaml-cpp-dev                   # configuration
  etcd-server etcd-client           # service discovery (tests run a real etcd)
  catch2                            # unit tests (v2)
  libbenchmark-dev wrk              # benchmarks
  postgresql                        # PostgreSQL repository tests
  libhiredis-dev redis-server       # shared nonce store and rate limits (and their tests)
  python3 curl openssl              # example clients, make run, e2e scripts, test certificates
  linux-perf                        # profiles of the benchmarks
)
# Optional test dependencies: installed when available; their tests report themselves
# skipped without them.
optional=(
  chromium                          # the /gateway/docs page checked in headless Chromium
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
  installed "$p" || missing_optional+=("$p")
done
if [ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ${#missing_optional[@]} -gt 0 ]; then
  echo "installing (optional): ${missing_optional[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing_optional[@]}" || echo "optional packages not installed; their tests are skipped"
fi
