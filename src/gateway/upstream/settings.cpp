#include "gateway/upstream/settings.hpp"

#include <algorithm>

namespace opp::gateway::upstream {

std::shared_ptr<const Settings> Settings::from(const config::UpstreamConfig& config,
                                               const ClientOptions& options) {
  auto s = std::make_shared<Settings>();
  s->transport = config.transport;
  s->protocol = config.protocol == config::Protocol::kCompact ? codec::Protocol::kCompact
                                                              : codec::Protocol::kBinary;
  s->connect_timeout = std::chrono::milliseconds(config.connect_timeout_ms);
  s->timeout = std::chrono::milliseconds(config.timeout_ms);
  s->eject = std::chrono::milliseconds(config.eject_ms);
  s->max_connections = std::max<uint32_t>(config.max_connections, 1);
  s->max_pending =
      config.max_pending
          ? config.max_pending
          : static_cast<uint32_t>(std::min<uint64_t>(4ull * s->max_connections, UINT32_MAX));
  s->options = options;
  s->options.pipeline_depth = std::max<uint32_t>(options.pipeline_depth, 1);
  return s;
}

}  // namespace opp::gateway::upstream
