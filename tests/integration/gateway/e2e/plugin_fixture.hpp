#pragma once
// What the plugin tests through the real gateway share: a gateway that must refuse its
// config, and the text of a file to rewrite for reloads.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "platform.hpp"

namespace opp::gateway::e2e {

/// Starts opp-gateway with `extra_yaml` appended to its config and returns how it ended
/// (it must not start: the backend's address is a refused port).
inline CommandResult start_refused(const std::string& extra_yaml) {
  PlatformOptions options;
  options.start_payment = false;
  options.upstream_endpoints = {"127.0.0.1:1"};
  options.extra_gateway_yaml = extra_yaml;
  Platform platform(options);
  return run_command(OPP_GATEWAY_BINARY,
                     {"--config", (platform.dir.path() / "gateway.yaml").string()},
                     platform.dir.path());
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace opp::gateway::e2e
