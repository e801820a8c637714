# Fuzz targets of the gateway (run with scripts/fuzz.sh gateway_config_fuzz SECONDS).
add_executable(gateway_config_fuzz ${CMAKE_CURRENT_LIST_DIR}/gateway_config_fuzz.cpp)
target_link_libraries(gateway_config_fuzz PRIVATE opp_gateway_config)
target_link_options(gateway_config_fuzz PRIVATE -fsanitize=fuzzer)

# The merchant request path without a network: body → params → envelope → method →
# biz_params → Thrift call (scripts/fuzz.sh gateway_request_fuzz SECONDS).
add_executable(gateway_request_fuzz ${CMAKE_CURRENT_LIST_DIR}/gateway_request_fuzz.cpp)
target_link_libraries(gateway_request_fuzz PRIVATE opp_gateway_pipeline)
target_compile_definitions(gateway_request_fuzz PRIVATE ${OPP_TEST_DEFINITIONS})
target_link_options(gateway_request_fuzz PRIVATE -fsanitize=fuzzer)
