# Upstream client tests.
#   gateway_upstream_unit_tests         endpoint choice, health, settings, error mapping
#   gateway_upstream_integration_tests  the client against fake Thrift servers on loopback
#                                       and against the real opp-payment binary
file(GLOB OPP_GATEWAY_UPSTREAM_UNIT_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/unit/gateway/upstream_*_test.cpp)
add_executable(gateway_upstream_unit_tests ${OPP_GATEWAY_UPSTREAM_UNIT_SOURCES})
target_link_libraries(gateway_upstream_unit_tests PRIVATE opp_gateway_upstream opp_catch_main)
catch_discover_tests(gateway_upstream_unit_tests PROPERTIES LABELS "unit")

file(GLOB OPP_GATEWAY_UPSTREAM_INTEGRATION_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/integration/gateway/upstream_*_test.cpp)
add_executable(gateway_upstream_integration_tests
  ${OPP_GATEWAY_UPSTREAM_INTEGRATION_SOURCES}
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/gateway/fake_thrift_server.cpp
  # The real backend, started as a process (its harness also makes orders through
  # Apache Thrift generated clients; the gateway library itself links no Thrift).
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/payment/payment_server.cpp)
target_include_directories(gateway_upstream_integration_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/gateway ${CMAKE_CURRENT_SOURCE_DIR}/integration/payment)
target_link_libraries(gateway_upstream_integration_tests PRIVATE opp_gateway_upstream opp_codec
  opp_idl opp_payment_thrift opp_catch_main opp_test_support Threads::Threads)
target_compile_definitions(gateway_upstream_integration_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_PAYMENT_BINARY="$<TARGET_FILE:opp-payment>")
add_dependencies(gateway_upstream_integration_tests opp-payment)
if(OPP_SANITIZE)
  target_compile_options(gateway_upstream_integration_tests PRIVATE -fno-sanitize=vptr)  # see src/payment
endif()
catch_discover_tests(gateway_upstream_integration_tests PROPERTIES LABELS "integration")
