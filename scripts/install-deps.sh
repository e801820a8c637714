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
  libssl-dev                        # HMAC, RSA, SM3
  libxxhash-dev                     # nonce fingerprints (gateway nonce store)
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev  # SQL access
  libyaml-cpp-dev                   # configuration
  catch2                            # unit tests (v2)
  libbenchmark-dev wrk              # benchmarks
  postgresql                        # PostgreSQL repository tests
  python3 curl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
