# Gateway request params, envelope, merchant authentication and response signatures.
set(OPP_GATEWAY_AUTH_TEST_DIR ${CMAKE_CURRENT_LIST_DIR}/unit/gateway)
add_executable(opp_gateway_auth_tests
  ${OPP_GATEWAY_AUTH_TEST_DIR}/authenticator_test.cpp
  ${OPP_GATEWAY_AUTH_TEST_DIR}/envelope_test.cpp
  ${OPP_GATEWAY_AUTH_TEST_DIR}/nonce_store_test.cpp
  ${OPP_GATEWAY_AUTH_TEST_DIR}/request_params_test.cpp
  ${OPP_GATEWAY_AUTH_TEST_DIR}/response_signer_test.cpp)
# test_files.hpp and the test-only RSA keys of the crypto tests.
target_include_directories(opp_gateway_auth_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/crypto)
target_link_libraries(opp_gateway_auth_tests PRIVATE opp_gateway_auth opp_gateway_request
                      opp_crypto opp_catch_main Threads::Threads)
target_compile_definitions(opp_gateway_auth_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(opp_gateway_auth_tests PROPERTIES LABELS "unit")

# The Redis nonce store (and the Redis client under it) against a real redis-server the
# tests start on a free loopback port. Without redis-server they report themselves skipped.
if(OPP_REDIS_SERVER)
  add_executable(opp_gateway_redis_tests
    ${OPP_GATEWAY_AUTH_TEST_DIR}/redis_nonce_store_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/redis/async_connection_test.cpp)
  target_include_directories(opp_gateway_redis_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/redis)
  target_link_libraries(opp_gateway_redis_tests PRIVATE opp_gateway_auth opp_redis opp_catch_main
                        Threads::Threads)
  target_compile_definitions(opp_gateway_redis_tests PRIVATE ${OPP_TEST_DEFINITIONS}
                             OPP_REDIS_SERVER="${OPP_REDIS_SERVER}")
  catch_discover_tests(opp_gateway_redis_tests PROPERTIES LABELS "unit")
else()
  add_test(NAME gateway_redis_nonce_store_skipped
           COMMAND sh -c "echo 'skipped: redis-server is not installed'; exit 77")
  set_tests_properties(gateway_redis_nonce_store_skipped PROPERTIES SKIP_RETURN_CODE 77
                       LABELS unit)
endif()
