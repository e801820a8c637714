#pragma once
// Reading gateway.yaml (SPEC §7) into GatewayConfig. Every key has a default; relative
// paths (idl_dir, auth.platform_private_key, auth.secret_key, tls.cert/key, a plugin's
// path, access_log, the db= file of a sqlite3:// database) are resolved against the
// configuration file's directory. Any failure is one opp::Error whose message is a
// single line naming the key path and what was wrong
// (`upstreams.payment.timeout_ms: expected a non-negative integer, got "abc"`), code
// 10001, sub_code `bad-config`, `path` the key path ("config" for the file as a whole).
// Programs print it and exit 2. No YAML input makes these functions crash or throw.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "gateway/config/gateway_config.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::config {

using UpstreamMap = std::map<std::string, UpstreamConfig>;

/// Reads and validates the file; GatewayConfig::file is its absolute path.
Result<GatewayConfig> load_gateway_config(const std::filesystem::path& file);

/// Parses YAML text as if read from a file in `base_dir`. Empty text gives the defaults.
Result<GatewayConfig> parse_gateway_config(std::string_view yaml,
                                           const std::filesystem::path& base_dir);

/// Only the `upstreams` section of a whole gateway.yaml text, validated as
/// parse_gateway_config does (the top-level `etcd` section is consulted for
/// `discovery: etcd`); other sections are not looked at. For the hot reload of upstreams.
Result<UpstreamMap> parse_upstreams(std::string_view yaml);

/// parse_upstreams of the file's current content.
Result<UpstreamMap> load_upstreams(const std::filesystem::path& file);

}  // namespace opp::gateway::config
