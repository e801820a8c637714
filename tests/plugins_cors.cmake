# The cors plugin, driven through its opp_plugin table and the gateway's host table.
add_executable(plugins_cors_tests ${CMAKE_CURRENT_LIST_DIR}/unit/plugins/cors_test.cpp)
target_include_directories(plugins_cors_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/plugins)
target_link_libraries(plugins_cors_tests PRIVATE opp_plugin_cors opp_gateway_plugins opp_catch_main)
catch_discover_tests(plugins_cors_tests PROPERTIES LABELS "unit")
