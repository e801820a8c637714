// `opp-idl routes` (SPEC §6): the route listing of a directory, byte-identical to what the
// gateway serves for it (the same renderer over the same scan).
#include <filesystem>
#include <iostream>

#include "idl_commands.hpp"
#include "opp/catalog/catalog.hpp"
#include "routes/routes.hpp"

namespace opp::tools {
namespace {

constexpr const char* kRoutesUsage = "DIR [--format json|openapi|markdown|html]";

int routes_usage_error(const std::string& problem) {
  std::cerr << "opp-idl routes: " << problem << "\nusage: opp-idl routes " << kRoutesUsage << "\n";
  return 2;
}

}  // namespace

int run_routes(const Args& args) {
  std::vector<std::string> dirs;
  routes::Format format = routes::Format::kJson;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string value;
    if (a == "--format") {
      if (i + 1 == args.size()) return routes_usage_error("option --format needs a value");
      value = args[++i];
    } else if (a.rfind("--format=", 0) == 0) {
      value = a.substr(9);
    } else if (a.size() > 1 && a[0] == '-') {
      return routes_usage_error("unknown option '" + a + "'");
    } else {
      dirs.push_back(a);
      continue;
    }
    std::optional<routes::Format> parsed = routes::parse_format(value);
    if (!parsed)
      return routes_usage_error("unknown format '" + value + "' (json|openapi|markdown|html)");
    format = *parsed;
  }
  if (dirs.size() != 1)
    return routes_usage_error(dirs.empty() ? "missing DIR" : "expected one DIR");
  std::error_code ec;
  if (!std::filesystem::is_directory(dirs.front(), ec)) {
    const bool exists = std::filesystem::exists(dirs.front(), ec);
    std::cerr << "opp-idl routes: " << dirs.front()
              << (exists ? ": not a directory\n" : ": no such directory\n");
    return 1;
  }
  // IDL files that fail to load are part of the listing (its errors), not a failure of
  // the command: the gateway serves the same listing with the same errors.
  std::shared_ptr<const catalog::Snapshot> snapshot = catalog::scan(dirs.front());
  std::cout << routes::render(*snapshot, format);
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace opp::tools
