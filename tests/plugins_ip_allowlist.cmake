# The ip-allowlist plugin: addresses and CIDR blocks, and the plugin through its table.
add_executable(plugins_ip_allowlist_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/cidr_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/ip-allowlist_test.cpp)
target_link_libraries(plugins_ip_allowlist_tests PRIVATE opp_plugin_ip_allowlist opp_gateway_plugins
                      opp_catch_main Threads::Threads)
catch_discover_tests(plugins_ip_allowlist_tests PROPERTIES LABELS "unit")
