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
# opp_thrift_generated(TARGET idl_file sources...): a library of the generated C++ of one IDL.
set(OPP_CODEC_GEN_DIR ${CMAKE_CURRENT_BINARY_DIR}/codec_gen)
function(opp_thrift_generated target idl)
  set(sources ${ARGN})
  list(TRANSFORM sources PREPEND ${OPP_CODEC_GEN_DIR}/ REGEX "^[^/]+$")
  add_custom_command(
    OUTPUT ${sources}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${OPP_CODEC_GEN_DIR}
    COMMAND ${THRIFT_COMPILER} --gen cpp -out ${OPP_CODEC_GEN_DIR} ${idl}
    DEPENDS ${idl}
    COMMENT "thrift --gen cpp ${idl}"
    VERBATIM)
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${OPP_CODEC_GEN_DIR})
  target_compile_options(${target} PRIVATE -w)
  target_link_libraries(${target} PUBLIC PkgConfig::THRIFT)
endfunction()

opp_thrift_generated(codec_thrift_generated ${CMAKE_CURRENT_SOURCE_DIR}/data/codec/all_types.thrift
                     all_types_types.cpp CodecTest.cpp)

file(GLOB OPP_CODEC_INTEGRATION_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/integration/codec/*_test.cpp)
list(FILTER OPP_CODEC_INTEGRATION_SOURCES EXCLUDE REGEX "baseline_interop_test")
add_executable(codec_interop_tests ${OPP_CODEC_INTEGRATION_SOURCES})
target_link_libraries(codec_interop_tests PRIVATE opp_codec opp_idl opp_rapidjson
                      codec_thrift_generated opp_catch_main)
target_include_directories(codec_interop_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/codec)
target_compile_definitions(codec_interop_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(codec_interop_tests PROPERTIES LABELS "integration")

# The published benchmark payloads (shared bench-idl): interop on them, and the
# generated baseline the codec benchmark compares against.
if(OPP_HAVE_SHARED)
  # base.thrift is not generated: baseline.thrift does not include it, and its field
  # `TrafficEnv TrafficEnv` does not compile as C++.
  opp_thrift_generated(codec_baseline_generated ${OPP_SHARED_DIR}/bench-idl/baseline.thrift
                       baseline_types.cpp BaselineService.cpp)
  target_sources(codec_baseline_generated PRIVATE
                 ${CMAKE_CURRENT_SOURCE_DIR}/bench/codec_generated_ordering.cpp)
  add_executable(codec_baseline_interop_tests
                 ${CMAKE_CURRENT_SOURCE_DIR}/integration/codec/baseline_interop_test.cpp)
  target_link_libraries(codec_baseline_interop_tests PRIVATE opp_codec opp_idl opp_rapidjson
                        codec_baseline_generated opp_catch_main)
  target_include_directories(codec_baseline_interop_tests PRIVATE
                             ${CMAKE_CURRENT_SOURCE_DIR}/unit/codec)
  target_compile_definitions(codec_baseline_interop_tests PRIVATE ${OPP_TEST_DEFINITIONS})
  catch_discover_tests(codec_baseline_interop_tests PROPERTIES LABELS "integration")
else()
  opp_add_shared_test(NAME codec_baseline_interop LABELS integration COMMAND true)
endif()

# The `opp-idl encode|decode` command line: on the project's own IDL, and on the
# published payloads.
add_test(NAME codec_cli COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/codec/cli_test.sh
         $<TARGET_FILE:opp-idl> ${PROJECT_SOURCE_DIR})
set_tests_properties(codec_cli PROPERTIES LABELS "integration")
opp_add_shared_test(NAME codec_cli_baseline_payloads LABELS integration
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/codec/cli_baseline_test.sh
          $<TARGET_FILE:opp-idl> ${OPP_SHARED_DIR})
