#pragma once
// The built-in `cors` plugin (SPEC §9): CORS headers on the listing routes and on the
// merchant API, and the answer to their preflights. See README.md beside this file.

#include "opp/plugin.h"

namespace opp::plugins {

/// The plugin's table (abi_version = OPP_PLUGIN_ABI_VERSION, name "cors"); a static object.
const opp_plugin* cors_plugin();

}  // namespace opp::plugins
