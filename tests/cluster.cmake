# The cluster end to end (tests/integration/cluster): a real etcd and Redis, a schema of
# its own on the test PostgreSQL, two opp-payment and two opp-gateway, all on ephemeral
# loopback ports. Without etcd or redis-server it is registered as skipped (77); without
# a usable OPP_TEST_POSTGRES_URL each case reports itself skipped (opp_catch_main_database).
if(NOT OPP_ETCD_BINARY OR NOT EXISTS "${OPP_ETCD_BINARY}" OR NOT OPP_REDIS_SERVER)
  add_test(NAME cluster_tests
           COMMAND sh -c "echo 'skipped: needs etcd and redis-server (scripts/install-deps.sh)'; exit 77")
  set_tests_properties(cluster_tests PROPERTIES SKIP_RETURN_CODE 77 LABELS integration)
  return()
endif()

add_executable(cluster_tests
  ${CMAKE_CURRENT_LIST_DIR}/integration/cluster/cluster.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/cluster/cluster_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/merchant_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/platform.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e/process.cpp)
target_include_directories(cluster_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/integration/cluster
                           ${CMAKE_CURRENT_LIST_DIR}/integration/etcd
                           ${CMAKE_CURRENT_LIST_DIR}/integration/gateway/e2e
                           ${CMAKE_CURRENT_LIST_DIR}/integration/gateway
                           ${CMAKE_CURRENT_LIST_DIR}/unit/redis)
target_link_libraries(cluster_tests PRIVATE opp_etcd opp_crypto opp_codec opp_rapidjson Boost::system
                      OpenSSL::SSL opp_catch_main_database Threads::Threads)
target_compile_definitions(cluster_tests PRIVATE ${OPP_TEST_DEFINITIONS}
  OPP_ETCD_BINARY="${OPP_ETCD_BINARY}" OPP_REDIS_SERVER="${OPP_REDIS_SERVER}"
  OPP_GATEWAY_BINARY="$<TARGET_FILE:opp-gateway>" OPP_PAYMENT_BINARY="$<TARGET_FILE:opp-payment>"
  OPP_ADMIN_BINARY="$<TARGET_FILE:opp-admin>")
add_dependencies(cluster_tests opp-gateway opp-payment opp-admin)
# The payment servers share one PostgreSQL schema: always on PostgreSQL.
catch_discover_tests(cluster_tests PROPERTIES LABELS "integration" SKIP_RETURN_CODE 77
                     ENVIRONMENT "OPP_TEST_DATABASE=postgresql")
