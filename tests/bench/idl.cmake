# Benchmarks of the IDL front end: parse + resolve from memory, on the shared corpus.
if(NOT OPP_HAVE_SHARED)
  return()
endif()
add_executable(bench_idl ${CMAKE_CURRENT_LIST_DIR}/idl_parse_bench.cpp)
target_link_libraries(bench_idl PRIVATE opp_idl benchmark::benchmark benchmark::benchmark_main)
target_compile_definitions(bench_idl PRIVATE OPP_SHARED_DIR="${OPP_SHARED_DIR}")
