# bench_gateway_auth: the gateway's per-request auth path — body parsing, envelope +
# signature + nonce checks, response signing — and the crypto primitives under it.
add_executable(bench_gateway_auth ${CMAKE_CURRENT_LIST_DIR}/gateway_auth_bench.cpp)
target_link_libraries(bench_gateway_auth PRIVATE opp_gateway_auth opp_gateway_request opp_crypto
                      OpenSSL::Crypto benchmark::benchmark benchmark::benchmark_main)
