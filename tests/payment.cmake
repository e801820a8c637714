# Payment backend tests.
#   payment_unit_tests         entities, use cases on fakes, config, SQL repositories
#                              (SQLite always; PostgreSQL from OPP_TEST_POSTGRES_URL, which
#                              must be reachable when CI=true), the Thrift server's stop
#   payment_integration_tests  the real opp-payment binary over Thrift, on SQLite and again
#                              on PostgreSQL ("pg:payment: ...")
# The IDL as the Thrift compiler sees it (`--gen json`), for the IDL contract test.
set(OPP_PAYMENT_IDL_JSON_DIR ${CMAKE_CURRENT_BINARY_DIR}/payment-idl-json)
add_custom_command(
  OUTPUT ${OPP_PAYMENT_IDL_JSON_DIR}/payment.json ${OPP_PAYMENT_IDL_JSON_DIR}/common.json
  COMMAND ${CMAKE_COMMAND} -E make_directory ${OPP_PAYMENT_IDL_JSON_DIR}
  COMMAND ${THRIFT_COMPILER} --gen json -r -out ${OPP_PAYMENT_IDL_JSON_DIR}
          ${PROJECT_SOURCE_DIR}/idl/payment.thrift
  DEPENDS ${PROJECT_SOURCE_DIR}/idl/payment.thrift ${PROJECT_SOURCE_DIR}/idl/common.thrift
  COMMENT "Dumping idl/payment.thrift as JSON")
add_custom_target(payment_idl_json
  DEPENDS ${OPP_PAYMENT_IDL_JSON_DIR}/payment.json ${OPP_PAYMENT_IDL_JSON_DIR}/common.json)

add_executable(payment_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/config_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/entity_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/message_budget_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/idl_contract_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/migrations_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/payment_handler_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/payment_service_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/repository_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/sandbox_channel_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/thrift_server_test.cpp)
target_include_directories(payment_unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/payment)
target_link_libraries(payment_unit_tests PRIVATE opp_payment_server opp_rapidjson opp_catch_main
                      opp_test_support)
target_compile_definitions(payment_unit_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_PAYMENT_IDL_JSON_DIR="${OPP_PAYMENT_IDL_JSON_DIR}")
add_dependencies(payment_unit_tests payment_idl_json)
catch_discover_tests(payment_unit_tests PROPERTIES LABELS "unit")

add_executable(payment_integration_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/long_connection_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/merchant_isolation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/payment_notify_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/payment_server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/payment_rules_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/payment_process_test.cpp
  # The notification tests' HTTPS receiver, throwaway CA and DNS server.
  ${CMAKE_CURRENT_LIST_DIR}/integration/notify/fake_dns_server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/notify/http_receiver.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/notify/test_ca.cpp)
# postgres_target.hpp (shared with the unit tests) probes the database with opp_payment_infra.
target_include_directories(payment_integration_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment ${CMAKE_CURRENT_LIST_DIR}/unit/payment
  ${CMAKE_CURRENT_LIST_DIR}/integration/notify)
target_link_libraries(payment_integration_tests PRIVATE opp_payment_thrift opp_payment_infra opp_soci
  opp_crypto opp_catch_main_database Boost::system OpenSSL::SSL Threads::Threads)
target_compile_definitions(payment_integration_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_PAYMENT_BINARY="$<TARGET_FILE:opp-payment>")
add_dependencies(payment_integration_tests opp-payment)
if(OPP_SANITIZE)
  target_compile_options(payment_integration_tests PRIVATE -fno-sanitize=vptr)  # see src/payment
endif()
catch_discover_tests(payment_integration_tests PROPERTIES LABELS "integration")
opp_discover_tests_on_postgres(payment_integration_tests)
