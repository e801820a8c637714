# Tests of the gateway's HTTP layer, pipeline and operational endpoints.
add_executable(gateway_http_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/http_server_test.cpp)
target_link_libraries(gateway_http_tests PRIVATE opp_gateway_http opp_catch_main)
catch_discover_tests(gateway_http_tests PROPERTIES LABELS "integration")

add_executable(gateway_observe_tests ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/observe_test.cpp)
target_link_libraries(gateway_observe_tests PRIVATE opp_gateway_observe opp_catch_main)
catch_discover_tests(gateway_observe_tests PROPERTIES LABELS "unit")
