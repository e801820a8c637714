# Tests of the gateway's HTTP layer (plain and TLS), pipeline and operational endpoints.
add_executable(gateway_http_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/http_server_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/tls_context_test.cpp)
target_link_libraries(gateway_http_tests PRIVATE opp_gateway_http opp_catch_main)
# TLS material is made at test time by scripts/make-test-certs.sh.
target_compile_definitions(gateway_http_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(gateway_http_tests PROPERTIES LABELS "integration")

add_executable(gateway_observe_tests ${CMAKE_CURRENT_LIST_DIR}/unit/gateway/observe_test.cpp)
target_link_libraries(gateway_observe_tests PRIVATE opp_gateway_observe opp_catch_main)
catch_discover_tests(gateway_observe_tests PROPERTIES LABELS "unit")

# End to end: the real opp-gateway, opp-payment and opp-admin processes over loopback, on
# SQLite and again on PostgreSQL.
add_executable(gateway_e2e_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/auth_errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/hot_reload_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/listings_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/merchant_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/payment_flow_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/platform.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/process.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/request_errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/tls_listener_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/upstream_errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/fake_thrift_server.cpp)
target_include_directories(gateway_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e
                           ${CMAKE_CURRENT_LIST_DIR}/integration/gateway ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(gateway_e2e_tests PRIVATE opp_crypto opp_codec opp_rapidjson Boost::system
                      OpenSSL::SSL opp_catch_main_database Threads::Threads)
target_compile_definitions(gateway_e2e_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_GATEWAY_BINARY="$<TARGET_FILE:opp-gateway>" OPP_PAYMENT_BINARY="$<TARGET_FILE:opp-payment>"
  OPP_ADMIN_BINARY="$<TARGET_FILE:opp-admin>" OPP_IDL_BINARY="$<TARGET_FILE:opp-idl>")
add_dependencies(gateway_e2e_tests opp-gateway opp-payment opp-admin opp-idl)
catch_discover_tests(gateway_e2e_tests PROPERTIES LABELS "integration")
opp_discover_tests_on_postgres(gateway_e2e_tests)  # "pg:e2e: ...": merchants and orders on PostgreSQL

# The Redis nonce store through the real gateway, against a redis-server the tests start.
if(OPP_REDIS_SERVER)
  target_sources(gateway_e2e_tests PRIVATE
                 ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/redis_nonce_test.cpp)
  target_include_directories(gateway_e2e_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/redis)
  target_compile_definitions(gateway_e2e_tests PRIVATE OPP_REDIS_SERVER="${OPP_REDIS_SERVER}")
else()
  add_test(NAME gateway_e2e_redis_nonce_skipped
           COMMAND sh -c "echo 'skipped: redis-server is not installed'; exit 77")
  set_tests_properties(gateway_e2e_redis_nonce_skipped PROPERTIES SKIP_RETURN_CODE 77
                       LABELS integration)
endif()
