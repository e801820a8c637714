#pragma once
// The plugins built into opp-gateway (plugins/<name>/), by the name gateway.yaml uses.

#include <string>
#include <string_view>

#include "opp/plugin.h"

namespace opp::gateway::plugins {

/// The built-in plugin called `name`, or null.
const opp_plugin* find_builtin(std::string_view name);

/// "cors, ip-allowlist, ..." for error messages.
std::string builtin_names();

}  // namespace opp::gateway::plugins
