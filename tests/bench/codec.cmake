# bench_codec: the descriptor-driven codec against Apache Thrift generated C++ + RapidJSON
# on dynamicgo's baseline payloads. Measure in a Release build (-O3).
# The generated baseline library is defined with the codec tests (OPP_TESTS, shared data).
if(NOT TARGET codec_baseline_generated)
  return()
endif()
add_executable(bench_codec codec_bench.cpp codec_bench_generated.cpp)
target_link_libraries(bench_codec PRIVATE opp_codec opp_idl opp_rapidjson codec_baseline_generated
                      benchmark::benchmark)
target_include_directories(bench_codec PRIVATE ${PROJECT_SOURCE_DIR}/src/codec)
target_compile_definitions(bench_codec PRIVATE ${OPP_TEST_DEFINITIONS})
target_compile_options(bench_codec PRIVATE -O3)
