// libFuzzer target for the gateway configuration loader: any bytes given as gateway.yaml
// either parse or give one error line naming a key; never a crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/config/config_loader.hpp"

namespace {

void check_error(const opp::Error& error) {
  if (error.message.empty() || error.message.find('\n') != std::string::npos ||
      error.path.empty()) {
    __builtin_trap();  // errors are one line naming a key
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto config = opp::gateway::config::parse_gateway_config(input, "/fuzz");
  if (!config) check_error(config.error());
  auto upstreams = opp::gateway::config::parse_upstreams(input);
  if (!upstreams) check_error(upstreams.error());
  // A file the full parse accepts has upstreams the reload parse accepts alike.
  if (config && (!upstreams || upstreams->size() != config->upstreams.size())) __builtin_trap();
  return 0;
}
