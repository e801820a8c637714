#include "rate-limit/rate_limit_settings.hpp"

#include <cmath>
#include <string>

#include "common/plugin_support.hpp"
#include "rate-limit/bucket_table.hpp"

namespace opp::plugins::rate_limit {
namespace {

constexpr double kMaxKeys = 100'000'000;

// positive_number() lets ".inf" through; an infinite rate or burst has no meaning (and
// inf * 0 elapsed seconds would be NaN tokens).
double finite(const ConfigSection& section, const char* key, double value) {
  if (!std::isfinite(value)) throw ConfigError(section.path_of(key), "expected a finite number");
  return value;
}

BucketLimits limits_of(const ConfigSection& parent, const char* key) {
  // Checked here: ConfigSection names a nested non-mapping "key." rather than "key".
  if (!parent.get(key).IsMap()) throw ConfigError(parent.path_of(key), "expected a mapping");
  const ConfigSection section(parent.get(key), parent.path_of(key), {"rate", "burst"});
  BucketLimits limits;
  limits.rate = finite(section, "rate", section.positive_number("rate"));
  // Without a burst, one second's worth of calls (at least one, or nothing would pass).
  limits.burst = section.has("burst") ? finite(section, "burst", section.positive_number("burst"))
                                      : std::max(1.0, std::ceil(limits.rate));
  if (limits.burst < 1)
    throw ConfigError(section.path_of("burst"), "expected a number >= 1 (a call takes one token)");
  return limits;
}

// "host:port", port 1-65535; the last colon splits, the host is not resolved here.
void parse_host_port(const std::string& text, RateLimitSettings& settings) {
  const size_t colon = text.rfind(':');
  const std::string port = colon == std::string::npos ? "" : text.substr(colon + 1);
  const bool digits = !port.empty() && port.size() <= 5 &&
                      port.find_first_not_of("0123456789") == std::string::npos;
  const long value = digits ? std::stol(port) : 0;
  if (colon == 0 || colon == std::string::npos || value < 1 || value > 65535)
    throw ConfigError("redis", "expected host:port with a port from 1 to 65535");
  settings.redis_host = text.substr(0, colon);
  settings.redis_port = static_cast<uint16_t>(value);
}

}  // namespace

RateLimitSettings parse_rate_limit_settings(const YAML::Node& config) {
  const ConfigSection top(config, "",
                          {"per_merchant", "per_method", "policy", "max_keys", "redis"});
  RateLimitSettings settings;
  if (top.has("policy")) {
    const std::string policy = top.string("policy");
    if (policy != "local" && policy != "redis")
      throw ConfigError("policy", "expected local or redis");
    settings.redis = policy == "redis";
  }
  if (settings.redis) {
    if (!top.has("redis")) throw ConfigError("redis", "required with policy: redis (host:port)");
    parse_host_port(top.string("redis"), settings);
  } else if (top.has("redis")) {
    throw ConfigError("redis", "only with policy: redis");
  }
  if (top.has("per_merchant")) settings.per_merchant = limits_of(top, "per_merchant");
  if (top.has("per_method")) settings.per_method = limits_of(top, "per_method");
  if (!settings.per_merchant && !settings.per_method)
    throw ConfigError("config", "expected per_merchant, per_method or both");
  if (top.has("max_keys")) {
    const double keys = top.positive_number("max_keys");
    if (keys != std::floor(keys) || keys < static_cast<double>(BucketTable::kMinKeys) ||
        keys > kMaxKeys)
      throw ConfigError("max_keys", "expected a whole number from " +
                                        std::to_string(BucketTable::kMinKeys) + " to " +
                                        std::to_string(static_cast<long long>(kMaxKeys)));
    settings.max_keys = static_cast<size_t>(keys);
  }
  return settings;
}

}  // namespace opp::plugins::rate_limit
