# Fuzz targets of the gateway (run with scripts/fuzz.sh gateway_config_fuzz SECONDS).
add_executable(gateway_config_fuzz ${CMAKE_CURRENT_LIST_DIR}/gateway_config_fuzz.cpp)
target_link_libraries(gateway_config_fuzz PRIVATE opp_gateway_config)
target_link_options(gateway_config_fuzz PRIVATE -fsanitize=fuzzer)
