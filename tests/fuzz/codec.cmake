# Fuzz targets of the codec (clang, -DOPP_FUZZ=ON): JSON→Thrift and Thrift→JSON against
# baseline.thrift and the codec's every-type test IDL, and the buffered transport's measure
# pass against the reply decoder. Seeds: the benchmark payloads with a selector byte in
# front (see codec_fuzz_schemas.hpp and codec_measure_fuzz.cpp).
foreach(target codec_json_to_thrift_fuzz codec_thrift_to_json_fuzz codec_measure_fuzz)
  add_executable(${target} ${CMAKE_CURRENT_LIST_DIR}/${target}.cpp)
  target_link_libraries(${target} PRIVATE opp_codec opp_idl)
  target_compile_definitions(${target} PRIVATE ${OPP_TEST_DEFINITIONS})
  # OPP_FUZZ instruments every library; -fsanitize=fuzzer adds libFuzzer's main.
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
endforeach()
