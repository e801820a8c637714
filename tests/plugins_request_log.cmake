# The request-log plugin, driven through its opp_plugin table and the gateway's host table.
add_executable(plugins_request_log_tests ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/request_log_test.cpp)
target_include_directories(plugins_request_log_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/plugins)
target_link_libraries(plugins_request_log_tests PRIVATE opp_plugin_request_log opp_gateway_plugins
                      opp_rapidjson opp_catch_main)
catch_discover_tests(plugins_request_log_tests PROPERTIES LABELS "unit")
