# Codec tests: unit (hand-built and IDL-loaded descriptors) and integration (interop with
# Apache Thrift generated C++, which is generated here at build time and never linked into
# the gateway libraries).
file(GLOB OPP_CODEC_UNIT_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/unit/codec/*.cpp)
add_executable(codec_unit_tests ${OPP_CODEC_UNIT_SOURCES})
target_link_libraries(codec_unit_tests PRIVATE opp_codec opp_idl opp_rapidjson opp_catch_main)
target_include_directories(codec_unit_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/codec)
target_compile_definitions(codec_unit_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(codec_unit_tests PROPERTIES LABELS "unit")

# ---- Apache Thrift generated C++ (interop tests and the benchmark baseline) ----
# Generated at build time from the IDL; compiled without -Werror (not our code).
# base.thrift is not generated: baseline.thrift does not include it, and its field
# `TrafficEnv TrafficEnv` does not compile as C++.
set(OPP_CODEC_GEN_DIR ${CMAKE_CURRENT_BINARY_DIR}/codec_gen)
set(OPP_CODEC_GEN_SOURCES
  ${OPP_CODEC_GEN_DIR}/all_types_types.cpp
  ${OPP_CODEC_GEN_DIR}/CodecTest.cpp
  ${OPP_CODEC_GEN_DIR}/baseline_types.cpp
  ${OPP_CODEC_GEN_DIR}/BaselineService.cpp)
set(OPP_BENCH_IDL_DIR ${OPP_SHARED_DIR}/bench-idl)
add_custom_command(
  OUTPUT ${OPP_CODEC_GEN_SOURCES}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${OPP_CODEC_GEN_DIR}
  COMMAND ${THRIFT_COMPILER} --gen cpp -out ${OPP_CODEC_GEN_DIR}
          ${CMAKE_CURRENT_SOURCE_DIR}/data/codec/all_types.thrift
  COMMAND ${THRIFT_COMPILER} --gen cpp -out ${OPP_CODEC_GEN_DIR} ${OPP_BENCH_IDL_DIR}/baseline.thrift
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/codec/all_types.thrift
          ${OPP_BENCH_IDL_DIR}/baseline.thrift
  COMMENT "thrift --gen cpp (codec interop and benchmark baseline)"
  VERBATIM)
add_library(codec_thrift_generated STATIC ${OPP_CODEC_GEN_SOURCES}
            ${CMAKE_CURRENT_SOURCE_DIR}/bench/codec_generated_ordering.cpp)
target_include_directories(codec_thrift_generated PUBLIC ${OPP_CODEC_GEN_DIR})
target_compile_options(codec_thrift_generated PRIVATE -w)
target_link_libraries(codec_thrift_generated PUBLIC PkgConfig::THRIFT)

file(GLOB OPP_CODEC_INTEGRATION_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/integration/codec/*.cpp)
add_executable(codec_interop_tests ${OPP_CODEC_INTEGRATION_SOURCES})
target_link_libraries(codec_interop_tests PRIVATE opp_codec opp_idl opp_rapidjson
                      codec_thrift_generated opp_catch_main)
target_include_directories(codec_interop_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/codec)
target_compile_definitions(codec_interop_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(codec_interop_tests PROPERTIES LABELS "integration")

# The `opp-idl encode|decode` command line.
add_test(NAME codec_cli COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/codec/cli_test.sh
         $<TARGET_FILE:opp-idl> ${OPP_SHARED_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(codec_cli PROPERTIES LABELS "integration")
