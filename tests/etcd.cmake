# Discovery through etcd, against a real etcd (Debian etcd-server) on free loopback ports.
#   etcd_tests  the client (key-value, leases, watches), the service registration, and
#               opp-payment registering itself
#   etcd_gateway_tests  opp-gateway discovering its upstream in etcd
# Without an etcd binary the tests are registered under their names as skipped (77).
find_program(OPP_ETCD_BINARY etcd)

# opp_add_etcd_test_placeholder(NAME): a test of that name that reports itself skipped.
function(opp_add_etcd_test_placeholder name)
  add_test(NAME ${name} COMMAND sh -c "echo 'skipped: needs etcd (apt-get install etcd-server)'; exit 77")
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS integration)
endfunction()

if(NOT OPP_ETCD_BINARY OR NOT EXISTS "${OPP_ETCD_BINARY}")
  message(STATUS "etcd not found: the etcd tests are reported as skipped")
  opp_add_etcd_test_placeholder(etcd_client_tests)
  opp_add_etcd_test_placeholder(etcd_payment_registration_tests)
  opp_add_etcd_test_placeholder(etcd_gateway_discovery_tests)
  return()
endif()

add_executable(etcd_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/etcd/client_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/etcd/payment_registration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/process.cpp)
target_include_directories(etcd_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/integration/etcd
                           ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e)
target_link_libraries(etcd_tests PRIVATE opp_etcd opp_catch_main Boost::system Threads::Threads)
target_compile_definitions(etcd_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_ETCD_BINARY="${OPP_ETCD_BINARY}" OPP_PAYMENT_BINARY="$<TARGET_FILE:opp-payment>")
add_dependencies(etcd_tests opp-payment)
catch_discover_tests(etcd_tests PROPERTIES LABELS "integration")

# opp-gateway with discovery: etcd, calling fake backends and a real opp-payment.
add_executable(etcd_gateway_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/etcd/gateway_discovery_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/merchant_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/platform.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/process.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/fake_thrift_server.cpp)
target_include_directories(etcd_gateway_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/integration/etcd
                           ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e
                           ${CMAKE_CURRENT_LIST_DIR}/integration/gateway ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(etcd_gateway_tests PRIVATE opp_gateway_discovery opp_etcd opp_crypto opp_codec opp_rapidjson
                      OpenSSL::SSL Boost::system opp_catch_main opp_test_support Threads::Threads)
target_compile_definitions(etcd_gateway_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_ETCD_BINARY="${OPP_ETCD_BINARY}"
  OPP_GATEWAY_BINARY="$<TARGET_FILE:opp-gateway>" OPP_PAYMENT_BINARY="$<TARGET_FILE:opp-payment>"
  OPP_ADMIN_BINARY="$<TARGET_FILE:opp-admin>")
add_dependencies(etcd_gateway_tests opp-gateway opp-payment opp-admin)
catch_discover_tests(etcd_gateway_tests PROPERTIES LABELS "integration")
