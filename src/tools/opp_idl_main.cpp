// opp-idl: the IDL tool for platform teams and integrators (SPEC §6).
#include <cstring>
#include <iostream>
#include <string>

#include "idl_commands.hpp"

namespace {

const char* const kUsage =
    "usage: opp-idl <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  check DIR|FILE... [-I DIR]...  parse and resolve; print file:line:col: message per error\n"
    "  dump FILE [-I DIR]...          the parsed file as JSON (schema of `thrift --gen json`)\n"
    "  routes DIR [--format json|openapi|markdown|html]   the route listing the gateway serves\n"
    "  encode FILE TYPE [--protocol binary|compact]   JSON on stdin -> Thrift on stdout\n"
    "  decode FILE TYPE [--protocol binary|compact]   Thrift on stdin -> JSON on stdout\n"
    "\n"
    "options:\n"
    "  --help     show this help\n"
    "  --version  show the version\n"
    "\n"
    "exit status: 0 ok, 1 input rejected, 2 usage error\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string command = argv[1];
  opp::tools::Args args(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "opp-idl " << OPP_VERSION << "\n";
    return 0;
  }
  if (command == "check") return opp::tools::run_check(args);
  if (command == "dump") return opp::tools::run_dump(args);
  if (command == "routes") return opp::tools::run_routes(args);
  if (command == "encode") return opp::tools::run_encode(args);
  if (command == "decode") return opp::tools::run_decode(args);
  std::cerr << "opp-idl: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
