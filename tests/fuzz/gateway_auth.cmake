# Fuzz target of the gateway's request params (clang, -DOPP_FUZZ=ON): form and JSON
# bodies, the envelope checks and the canonical string. The first byte picks the format.
add_executable(request_params_fuzz ${CMAKE_CURRENT_LIST_DIR}/request_params_fuzz.cpp)
target_link_libraries(request_params_fuzz PRIVATE opp_gateway_request)
target_link_options(request_params_fuzz PRIVATE -fsanitize=fuzzer)
