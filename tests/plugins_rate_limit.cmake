# The rate-limit plugin: its bucket arithmetic and table, and the plugin through its table.
add_executable(plugins_rate_limit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/bucket_table_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/rate-limit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/token_bucket_test.cpp)
target_link_libraries(plugins_rate_limit_tests PRIVATE opp_plugin_rate_limit opp_gateway_plugins
                      opp_catch_main Threads::Threads)
catch_discover_tests(plugins_rate_limit_tests PROPERTIES LABELS "unit")

# policy: redis against a real redis-server the tests start; skipped without one.
if(OPP_REDIS_SERVER)
  add_executable(plugins_rate_limit_redis_tests
    ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/rate_limit_redis_test.cpp)
  target_include_directories(plugins_rate_limit_redis_tests PRIVATE
                             ${CMAKE_CURRENT_LIST_DIR}/unit/redis)
  target_link_libraries(plugins_rate_limit_redis_tests PRIVATE opp_plugin_rate_limit
                        opp_gateway_plugins opp_redis opp_catch_main Threads::Threads)
  target_compile_definitions(plugins_rate_limit_redis_tests PRIVATE
                             OPP_REDIS_SERVER="${OPP_REDIS_SERVER}")
  catch_discover_tests(plugins_rate_limit_redis_tests PROPERTIES LABELS "unit")
else()
  add_test(NAME plugins_rate_limit_redis_skipped
           COMMAND sh -c "echo 'skipped: redis-server is not installed'; exit 77")
  set_tests_properties(plugins_rate_limit_redis_skipped PROPERTIES SKIP_RETURN_CODE 77
                       LABELS unit)
endif()
