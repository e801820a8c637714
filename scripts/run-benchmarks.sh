#!/usr/bin/env bash
# Builds the benchmarks with optimisation (Release, in build-bench/) and runs them:
# IDL parse + resolve, the JSON<->Thrift codec against generated Thrift C++, the gateway's
# params and authentication, its merchant lookup, the upstream client's calls/s, and the
# payment backend's calls/s. Results are printed; figures from a shared machine are
# noisy, so compare the ratios each benchmark reports against its in-run baseline.
# The end-to-end gateway benchmark (wrk -> opp-gateway -> Thrift backend, beside the perf
# floor; ~8 minutes) is separate: `make bench-gateway` or tests/bench/gateway/bench.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPP_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target bench_idl bench_codec bench_gateway_auth \
  bench_merchants bench_upstream opp-payment bench_payment

echo "== IDL front end"
"$build/tests/bench/bench_idl" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "== JSON <-> Thrift codec"
"$build/tests/bench/bench_codec" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "== gateway params and authentication"
"$build/tests/bench/bench_gateway_auth" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "== gateway merchant lookup"
"$build/tests/bench/bench_merchants" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "== upstream client (one call per connection against pipelining)"
"$build/tests/bench/bench_upstream" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "== payment backend"
bash "$root/scripts/payment-bench.sh" "$build"
echo "== end to end through opp-gateway: not run here (minutes long); run make bench-gateway"
