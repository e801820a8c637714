# Fuzz targets of the IDL front end (run with scripts/fuzz.sh idl_parser_fuzz SECONDS).
# OPP_FUZZ instruments every library; linking with -fsanitize=fuzzer adds libFuzzer's main.
add_executable(idl_parser_fuzz ${CMAKE_CURRENT_LIST_DIR}/idl_parser_fuzz.cpp)
target_link_libraries(idl_parser_fuzz PRIVATE opp_idl)
target_link_options(idl_parser_fuzz PRIVATE -fsanitize=fuzzer)
