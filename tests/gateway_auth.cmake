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
