# opp_crypto unit tests: known-answer vectors, round trips, key handling.
add_executable(opp_crypto_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/base64_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/canonical_string_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/constant_time_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/hex_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/hmac_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/keys_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/platform_key_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/random_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/response_signature_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/rsa2_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/crypto/signature_test.cpp)
target_link_libraries(opp_crypto_tests PRIVATE opp_crypto opp_catch_main Threads::Threads)
target_compile_definitions(opp_crypto_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(opp_crypto_tests PROPERTIES LABELS "unit")
