#!/usr/bin/env bash
# Runs one libFuzzer target for a while: scripts/fuzz.sh TARGET SECONDS [extra libFuzzer args]
#
# Builds in build-fuzz/ (clang, -DOPP_FUZZ=ON), keeps the growing corpus in
# build-fuzz/corpus/TARGET (seeded on first use from the directories listed in
# tests/fuzz/TARGET.seeds, relative to the repository root), writes crash artifacts to
# build-fuzz/artifacts/TARGET/ and the log to build-fuzz/TARGET.log.
# Exit status: 0 when the run ended without a crash, leak, timeout or sanitizer report.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET SECONDS [libFuzzer args...]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
corpus="$build/corpus/$target"
artifacts="$build/artifacts/$target"
log="$build/$target.log"

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja \
  -DOPP_FUZZ=ON -DOPP_TESTS=OFF -DOPP_BENCH=OFF >/dev/null
cmake --build "$build" --target "$target"

mkdir -p "$corpus" "$artifacts"
seeds="$root/tests/fuzz/$target.seeds"
if [ -z "$(ls -A "$corpus")" ] && [ -f "$seeds" ]; then
  while IFS= read -r dir; do
    case "$dir" in ''|'#'*) continue ;; esac
    if [ ! -d "$root/$dir" ]; then
      echo "seed directory $dir skipped: not present (optional; from the shared data)"
      continue
    fi
    find "$root/$dir" -maxdepth 1 -type f -exec cp {} "$corpus/" \;
  done <"$seeds"
fi

echo "fuzzing $target for ${seconds}s (log: $log)"
status=0
"$build/$(cd "$build" && find . -type f -name "$target" -perm -u+x | head -1)" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$@" "$corpus" >"$log" 2>&1 || status=$?
grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" || true
if [ $status -ne 0 ] || grep -qE "ERROR: (AddressSanitizer|libFuzzer)|runtime error:" "$log"; then
  echo "$target: FAILED (see $log and $artifacts)" >&2
  exit 1
fi
echo "$target: no crash, leak, timeout or sanitizer report"
