#pragma once
// The built-in `ip-allowlist` plugin (SPEC §9): a listed merchant calling from outside its
// CIDR blocks is refused with 403, 10002 `ip-not-allowed`; unlisted merchants pass. Config
// keys and limits: plugins/ip-allowlist/README.md.

#include "opp/plugin.h"

namespace opp::plugins {

/// The plugin's table (abi_version OPP_PLUGIN_ABI_VERSION, name "ip-allowlist"); static.
const opp_plugin* ip_allowlist_plugin();

}  // namespace opp::plugins
