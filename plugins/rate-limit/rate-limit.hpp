#pragma once
// The built-in `rate-limit` plugin (SPEC §9): token buckets per merchant and per merchant
// and method; a call over the limit is refused with 429, 10008 `rate-limited` and a
// Retry-After header. Config keys and limits: plugins/rate-limit/README.md.

#include "opp/plugin.h"

namespace opp::plugins {

/// The plugin's table (abi_version OPP_PLUGIN_ABI_VERSION, name "rate-limit"); static.
const opp_plugin* rate_limit_plugin();

}  // namespace opp::plugins
