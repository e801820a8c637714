# Notification delivery: URL parsing, retry schedule, HTTP and HTTPS client (a throwaway
# CA made at test time), c-ares lookups against a fake DNS server, per-host limits,
# dispatcher, restart.
set(OPP_NOTIFY_TEST_DIR ${CMAKE_CURRENT_LIST_DIR}/integration/notify)
add_executable(opp_notify_tests
  ${OPP_NOTIFY_TEST_DIR}/dns_resolver_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/durable_outbox.cpp
  ${OPP_NOTIFY_TEST_DIR}/fake_dns_server.cpp
  ${OPP_NOTIFY_TEST_DIR}/host_limiter_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/http_notifier_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/http_receiver.cpp
  ${OPP_NOTIFY_TEST_DIR}/https_notifier_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/notification_dispatcher_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/notification_isolation_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/notification_restart_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/notify_url_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/retry_schedule_test.cpp
  ${OPP_NOTIFY_TEST_DIR}/test_ca.cpp
  ${OPP_NOTIFY_TEST_DIR}/test_support.cpp)
# The restart test runs on the payment store's own SQLite outbox.
target_link_libraries(opp_notify_tests PRIVATE opp_payment_notify opp_payment_infra opp_crypto
                      opp_catch_main)
target_compile_definitions(opp_notify_tests PRIVATE ${OPP_TEST_DEFINITIONS})
catch_discover_tests(opp_notify_tests PROPERTIES LABELS "integration")
