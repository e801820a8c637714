# bench_plugins: per-request cost of the cors and request-log hooks.
add_executable(bench_plugins ${CMAKE_CURRENT_LIST_DIR}/plugins_bench.cpp)
target_link_libraries(bench_plugins PRIVATE opp_plugin_cors opp_plugin_request_log
                      opp_gateway_plugins benchmark::benchmark benchmark::benchmark_main)
