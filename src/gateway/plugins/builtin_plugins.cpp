#include "gateway/plugins/builtin_plugins.hpp"

#include <array>

#include "cors/cors.hpp"
#include "ip-allowlist/ip-allowlist.hpp"
#include "rate-limit/rate-limit.hpp"
#include "request-log/request_log.hpp"

namespace opp::gateway::plugins {
namespace {

using Entry = const opp_plugin* (*)();

struct Builtin {
  std::string_view name;
  Entry entry;
};

// One row per folder of plugins/ (alphabetical).
constexpr std::array kBuiltins{
    Builtin{"cors", opp::plugins::cors_plugin},
    Builtin{"ip-allowlist", opp::plugins::ip_allowlist_plugin},
    Builtin{"rate-limit", opp::plugins::rate_limit_plugin},
    Builtin{"request-log", opp::plugins::request_log_plugin},
};

}  // namespace

const opp_plugin* find_builtin(std::string_view name) {
  for (const Builtin& builtin : kBuiltins)
    if (builtin.name == name) return builtin.entry();
  return nullptr;
}

std::string builtin_names() {
  std::string names;
  for (const Builtin& builtin : kBuiltins) {
    if (!names.empty()) names += ", ";
    names += builtin.name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace opp::gateway::plugins
