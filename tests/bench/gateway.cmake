# Benchmarks of the gateway's merchant lookup (cache vs a mutex-guarded map) and sealing.
add_executable(bench_merchants ${CMAKE_CURRENT_LIST_DIR}/merchant_cache_bench.cpp)
target_link_libraries(bench_merchants
  PRIVATE opp_gateway_merchants benchmark::benchmark benchmark::benchmark_main)
