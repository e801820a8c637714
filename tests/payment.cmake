# Payment backend tests.
#   payment_unit_tests         entities, use cases on fakes, config, SQL repositories
#                              (SQLite always; PostgreSQL when OPP_TEST_POSTGRES_URL is set)
#   payment_integration_tests  the real opp-payment binary over Thrift
if(NOT TARGET opp-payment)
  return()
endif()

add_executable(payment_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/config_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/entity_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/migrations_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/payment_handler_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/payment_service_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/payment/repository_test.cpp)
target_include_directories(payment_unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/payment)
target_link_libraries(payment_unit_tests PRIVATE opp_payment_server opp_catch_main)
target_compile_definitions(payment_unit_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(payment_unit_tests PROPERTIES LABELS "unit")

add_executable(payment_integration_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/payment_server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/payment_rules_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/payment/payment_process_test.cpp)
target_include_directories(payment_integration_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/integration/payment)
target_link_libraries(payment_integration_tests PRIVATE opp_payment_thrift opp_soci opp_catch_main Threads::Threads)
target_compile_definitions(payment_integration_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_PAYMENT_BINARY="$<TARGET_FILE:opp-payment>")
add_dependencies(payment_integration_tests opp-payment)
if(OPP_SANITIZE)
  target_compile_options(payment_integration_tests PRIVATE -fno-sanitize=vptr)  # see src/payment
endif()
catch_discover_tests(payment_integration_tests PROPERTIES LABELS "integration")
