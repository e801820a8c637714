#!/usr/bin/env bash
# Runs every CTest suite of a configured and built tree. PostgreSQL repository tests run
# against a throwaway loopback cluster when scripts/start-postgres.sh can start one.
set -euo pipefail
build_dir=${1:-build}
cd "$(dirname "$0")/.."

if [ -z "${OPP_TEST_POSTGRES_URL:-}" ] && [ -x scripts/start-postgres.sh ]; then
  if url=$(bash scripts/start-postgres.sh 2>/tmp/opp-start-postgres.log | tail -n 1) && [ -n "$url" ]; then
    export OPP_TEST_POSTGRES_URL="$url"
    echo "PostgreSQL tests use: $OPP_TEST_POSTGRES_URL"
  else
    echo "PostgreSQL could not be started; its repository tests are skipped (see /tmp/opp-start-postgres.log)"
  fi
fi

ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" --timeout 600
