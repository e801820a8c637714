# bench_catalog: scans of a generated idl_dir (200 services): first scan, unchanged
# rescan, one changed service, a changed shared include.
add_executable(bench_catalog ${CMAKE_CURRENT_LIST_DIR}/catalog_bench.cpp)
target_link_libraries(bench_catalog PRIVATE opp_catalog benchmark::benchmark)
