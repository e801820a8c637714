# bench_upstream: the upstream client's calls/s, one call per connection against
# pipelined calls, on one io thread against a loopback echo server (Release build).
add_executable(bench_upstream upstream_bench.cpp)
target_link_libraries(bench_upstream PRIVATE opp_gateway_upstream benchmark::benchmark)
target_compile_options(bench_upstream PRIVATE -O3)
