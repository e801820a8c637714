# The rate-limit plugin: its bucket arithmetic and table, and the plugin through its table.
add_executable(plugins_rate_limit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/bucket_table_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/rate-limit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/token_bucket_test.cpp)
target_link_libraries(plugins_rate_limit_tests PRIVATE opp_plugin_rate_limit opp_gateway_plugins
                      opp_catch_main Threads::Threads)
catch_discover_tests(plugins_rate_limit_tests PROPERTIES LABELS "unit")
