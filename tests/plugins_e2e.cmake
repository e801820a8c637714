# Plugins through the real gateway: the loader (built-in names, .so paths, the ABI check,
# config errors, SIGHUP reload) with the out-of-tree example plugin, and each built-in
# plugin's behaviour over HTTP.
add_executable(gateway_plugin_e2e_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/cors_request_log_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/merchant_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/platform.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/plugin_loader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/process.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/rate_limit_allowlist_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/fake_thrift_server.cpp)
target_include_directories(gateway_plugin_e2e_tests PRIVATE
                           ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e
                           ${CMAKE_CURRENT_LIST_DIR}/integration/gateway ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(gateway_plugin_e2e_tests PRIVATE opp_crypto opp_codec opp_rapidjson OpenSSL::SSL
                      Boost::system opp_catch_main opp_test_support Threads::Threads)
target_compile_definitions(gateway_plugin_e2e_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_GATEWAY_BINARY="$<TARGET_FILE:opp-gateway>" OPP_PAYMENT_BINARY="$<TARGET_FILE:opp-payment>"
  OPP_ADMIN_BINARY="$<TARGET_FILE:opp-admin>" OPP_IDL_BINARY="$<TARGET_FILE:opp-idl>"
  OPP_EXAMPLE_PLUGIN="${OPP_EXAMPLE_PLUGIN}"
  OPP_WRONG_ABI_PLUGIN="$<TARGET_FILE:opp_test_plugin_wrong_abi>")
add_dependencies(gateway_plugin_e2e_tests opp-gateway opp-payment opp-admin opp-idl
                 opp_test_plugin_wrong_abi)
catch_discover_tests(gateway_plugin_e2e_tests PROPERTIES LABELS "integration"
                     FIXTURES_REQUIRED opp_example_plugin)

# The host table plugins are handed (unit): header access, what it refuses, rejections.
add_executable(gateway_plugin_host_tests ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/host_table_test.cpp)
target_include_directories(gateway_plugin_host_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/plugins)
target_link_libraries(gateway_plugin_host_tests PRIVATE opp_gateway_plugins opp_catch_main)
catch_discover_tests(gateway_plugin_host_tests PROPERTIES LABELS "unit")

# rate-limit policy: redis through the real gateway, against a redis-server the tests start.
if(OPP_REDIS_SERVER)
  target_sources(gateway_plugin_e2e_tests PRIVATE
                 ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/rate_limit_redis_test.cpp)
  target_include_directories(gateway_plugin_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/redis)
  target_compile_definitions(gateway_plugin_e2e_tests PRIVATE
                             OPP_REDIS_SERVER="${OPP_REDIS_SERVER}")
else()
  add_test(NAME gateway_plugin_e2e_redis_skipped
           COMMAND sh -c "echo 'skipped: redis-server is not installed'; exit 77")
  set_tests_properties(gateway_plugin_e2e_redis_skipped PROPERTIES SKIP_RETURN_CODE 77
                       LABELS integration)
endif()
