# Gateway configuration tests.
#   gateway_unit_tests         gateway.yaml
add_executable(gateway_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/config_loader_test.cpp)
target_include_directories(gateway_unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/gateway)
target_link_libraries(gateway_unit_tests
  PRIVATE opp_gateway_config opp_sql yaml-cpp opp_catch_main Threads::Threads)
target_compile_definitions(gateway_unit_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(gateway_unit_tests PROPERTIES LABELS "unit")
