#pragma once
// The built-in `request-log` plugin (SPEC §9): one JSON line per merchant call, written
// by a thread of its own to a size-rotated file. See README.md beside this file.

#include "opp/plugin.h"

namespace opp::plugins {

/// The plugin's table (abi_version = OPP_PLUGIN_ABI_VERSION, name "request-log").
const opp_plugin* request_log_plugin();

}  // namespace opp::plugins
