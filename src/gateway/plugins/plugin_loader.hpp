#pragma once
// gateway.yaml's `plugins:` into a PluginChain: each entry resolved to a built-in or a
// .so (dlopen, its opp_plugin_entry, the ABI version checked before anything else of it
// is called), its config validated by the plugin's create().

#include <memory>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "gateway/plugins/plugin_chain.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::plugins {

/// Builds the chain of `entries`. With `previous` (a reload), an entry equal to one of the
/// previous chain (same plugin, svc and config) keeps that instance; one whose config
/// changed is reconfigured in place when the plugin allows it, else created anew.
/// Errors (sub_code "plugin-load" or "plugin-config"): one line naming the entry
/// ("plugins[1] (rate-limit): per_merchant.rate: expected a number > 0"). On error
/// nothing of the previous chain was changed: every new config is first validated by a
/// create() of its own, and only when all are valid are live instances reconfigured.
Result<std::shared_ptr<const PluginChain>> load_plugin_chain(
    const std::vector<config::PluginEntry>& entries, const PluginChain* previous = nullptr);

}  // namespace opp::gateway::plugins
