# Gateway configuration and merchant tests.
#   gateway_unit_tests         gateway.yaml, secret sealing, key file, merchant store (SQLite
#                              always; PostgreSQL when OPP_TEST_POSTGRES_URL is set), cache
#   gateway_integration_tests  the real opp-admin binary against a temporary SQLite database
add_executable(gateway_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/config_loader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/kek_file_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/merchant_cache_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/merchant_key_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/merchant_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/secret_box_test.cpp)
target_include_directories(gateway_unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/gateway)
target_link_libraries(gateway_unit_tests
  PRIVATE opp_gateway_config opp_gateway_merchants yaml-cpp opp_catch_main opp_test_support
          Threads::Threads)
target_compile_definitions(gateway_unit_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(gateway_unit_tests PROPERTIES LABELS "unit")

add_executable(gateway_integration_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/opp_admin_test.cpp)
target_include_directories(gateway_integration_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/gateway)
target_link_libraries(gateway_integration_tests
  PRIVATE opp_gateway_merchants opp_catch_main opp_test_support Threads::Threads)
target_compile_definitions(gateway_integration_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_ADMIN_BINARY="$<TARGET_FILE:opp-admin>")
add_dependencies(gateway_integration_tests opp-admin)
catch_discover_tests(gateway_integration_tests PROPERTIES LABELS "integration")
