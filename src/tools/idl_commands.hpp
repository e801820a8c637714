#pragma once
// Subcommands of `opp-idl` (SPEC §6). Each takes the arguments after the subcommand
// name and returns the process exit code (0 ok, 1 input rejected, 2 usage error).

#include <string>
#include <vector>

namespace opp::tools {

using Args = std::vector<std::string>;

int run_check(const Args& args);   // idl_check_dump.cpp
int run_dump(const Args& args);    // idl_check_dump.cpp
int run_encode(const Args& args);  // idl_encode_decode.cpp
int run_decode(const Args& args);  // idl_encode_decode.cpp
int run_routes(const Args& args);  // idl_routes.cpp

}  // namespace opp::tools
