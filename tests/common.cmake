# Tests of the shared foundations (include/opp/common): the error table, Result helpers,
# the bounded line writer.
add_executable(common_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/common/bounded_line_writer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/common/error_table_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/common/result_test.cpp)
target_link_libraries(common_unit_tests PRIVATE opp_common opp_line_writer opp_catch_main)
catch_discover_tests(common_unit_tests PROPERTIES LABELS "unit")
