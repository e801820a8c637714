# bench_payment: a small Thrift load client for a running opp-payment (see
# scripts/payment-bench.sh, which starts the server and runs this). Google Benchmark
# reports items_per_second = calls/s.
add_executable(bench_payment ${CMAKE_CURRENT_LIST_DIR}/payment_load.cpp)
target_link_libraries(bench_payment PRIVATE opp_payment_thrift benchmark::benchmark Threads::Threads)
