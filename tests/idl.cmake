# Tests of the IDL front end (src/idl, opp-idl check|dump).
add_executable(idl_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/idl/cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/idl/errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/idl/grammar_test.cpp)
target_link_libraries(idl_unit_tests PRIVATE opp_idl opp_rapidjson opp_catch_main Catch2::Catch2)
target_compile_definitions(idl_unit_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_IDL_BINARY="$<TARGET_FILE:opp-idl>")
add_dependencies(idl_unit_tests opp-idl)
catch_discover_tests(idl_unit_tests PROPERTIES LABELS "unit")

# `opp-idl dump` against the reference compiler, for every file of the shared corpus.
find_program(OPP_PYTHON3 python3 REQUIRED)
opp_add_shared_test(NAME idl_conformance_thrift_json LABELS conformance
  COMMAND ${OPP_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/conformance/idl_thrift_json.py
          $<TARGET_FILE:opp-idl> ${THRIFT_COMPILER} ${OPP_SHARED_DIR}/idl-corpus/apache-thrift)

# Doc comments, above all the program-level doc, against the reference compiler: the
# hand-written arrangements of tests/data/idl/program_doc plus seeded generated ones.
add_test(NAME idl_conformance_program_doc
  COMMAND ${OPP_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/conformance/idl_program_doc.py
          $<TARGET_FILE:opp-idl> ${THRIFT_COMPILER} ${CMAKE_CURRENT_LIST_DIR}/data/idl/program_doc)
set_tests_properties(idl_conformance_program_doc PROPERTIES LABELS "conformance")
