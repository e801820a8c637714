#pragma once
// The rate-limit plugin's config (SPEC §9), read once per create/reconfigure into a plain
// struct; the request path never reads YAML.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "rate-limit/token_bucket.hpp"

namespace opp::plugins::rate_limit {

struct RateLimitSettings {
  std::optional<BucketLimits> per_merchant;  ///< one bucket per merchant
  std::optional<BucketLimits> per_method;    ///< one bucket per merchant and IDL method
  size_t max_keys = 100000;                  ///< buckets each table holds at most (local)
  bool redis = false;                        ///< policy: redis (shared buckets)
  std::string redis_host;                    ///< `redis: host:port`, with policy: redis
  uint16_t redis_port = 0;
};

/// Reads `config` (the entry's `config:` mapping). Throws ConfigError naming the key:
/// unknown keys, a rate that is not a finite number > 0, a burst below 1, neither
/// per_merchant nor per_method, `policy` other than local or redis, policy: redis without
/// `redis: host:port` (or `redis` with policy: local).
RateLimitSettings parse_rate_limit_settings(const YAML::Node& config);

}  // namespace opp::plugins::rate_limit
