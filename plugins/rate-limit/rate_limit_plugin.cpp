// The glue between the C hooks and the bucket tables: which keys a call counts against,
// what a refusal looks like.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "common/plugin_support.hpp"
#include "common/shared_snapshot.hpp"
#include "rate-limit/bucket_table.hpp"
#include "rate-limit/live_limits.hpp"
#include "rate-limit/rate-limit.hpp"
#include "rate-limit/rate_limit_settings.hpp"
#include "rate-limit/redis_buckets.hpp"

namespace opp::plugins {
namespace {

using rate_limit::BucketLimits;
using rate_limit::BucketTable;
using rate_limit::Decision;
using rate_limit::RateLimitSettings;
using rate_limit::RedisBuckets;

// Monotonic: a wall-clock step (NTP, an operator) must neither refill nor drain buckets.
int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

class RateLimit {
 public:
  static constexpr const char* kName = "rate-limit";

  RateLimit(const opp_host* host, const YAML::Node& config) : host_(host) {
    apply(rate_limit::parse_rate_limit_settings(config));
  }

  const opp_host* host() const { return host_; }

  // Keeps every bucket (a reload must not hand each merchant a fresh burst); the new rate
  // and burst apply to the tokens they hold. A limit removed from the config drops its
  // buckets. The whole config is read before anything changes: a bad one changes nothing.
  void reconfigure(const YAML::Node& config) {
    const RateLimitSettings settings = rate_limit::parse_rate_limit_settings(config);
    const bool had_merchant = per_merchant_limits_.load().has_value();
    const bool had_method = per_method_limits_.load().has_value();
    apply(settings);
    if (had_merchant && !settings.per_merchant) per_merchant_.clear();
    if (had_method && !settings.per_method) per_method_.clear();
  }

  // The more specific limit first; when the per-merchant one then refuses, the method's
  // token is given back, so a refused call costs no bucket a token.
  opp_verdict on_call(opp_request* r) {
    const opp_str merchant = host_->merchant(r);
    if (!present(merchant)) return OPP_CONTINUE;  // unauthenticated: nothing to count against
    const std::optional<BucketLimits> method_limits = per_method_limits_.load();
    const std::optional<BucketLimits> merchant_limits = per_merchant_limits_.load();
    if (std::shared_ptr<const RedisBuckets> redis = redis_.load())
      return on_call_redis(r, *redis, merchant, method_limits, merchant_limits);
    const int64_t now = monotonic_ns();

    // merchant NUL method: merchant ids and IDL names hold no NUL, so keys never collide.
    // One buffer per io thread: no allocation per call once it has grown.
    thread_local std::string method_key;
    if (method_limits) {
      method_key.assign(view(merchant));
      method_key.push_back('\0');
      method_key.append(view(host_->method(r)));
      const Decision d = per_method_.take(method_key, now, *method_limits);
      if (!d.admitted) return refuse(r, d, "per-method", *method_limits);
    }
    if (merchant_limits) {
      const Decision d = per_merchant_.take(view(merchant), now, *merchant_limits);
      if (!d.admitted) {
        if (method_limits) per_method_.give_back(method_key, *method_limits);
        return refuse(r, d, "per-merchant", *merchant_limits);
      }
    }
    return OPP_CONTINUE;
  }

 private:
  // policy: redis. Redis unreachable: the call is refused (fail closed), 503 with 10005
  // `rate-limit-unavailable`, rather than let through uncounted.
  opp_verdict on_call_redis(opp_request* r, const RedisBuckets& redis, opp_str merchant,
                            const std::optional<BucketLimits>& method_limits,
                            const std::optional<BucketLimits>& merchant_limits) {
    rate_limit::CallBuckets call{view(merchant), view(host_->method(r)), method_limits,
                                 merchant_limits};
    std::string refused_by;
    Result<Decision> d = redis.take(call, refused_by);
    if (!d) {
      const std::string message =
          "the shared rate limit store is unavailable: " + d.error().message;
      host_->reject(r, 10005, "rate-limit-unavailable", message.c_str());
      return OPP_STOP;
    }
    if (d->admitted) return OPP_CONTINUE;
    const bool by_method = refused_by == "per-method";
    return refuse(r, *d, by_method ? "per-method" : "per-merchant",
                  by_method ? *method_limits : *merchant_limits);
  }

  void apply(const RateLimitSettings& settings) {
    if (!settings.redis) {
      redis_.store(nullptr);
    } else {
      // A reload with the same address keeps the client (and its connections).
      std::shared_ptr<const RedisBuckets> current = redis_.load();
      if (!current || current->options().host != settings.redis_host ||
          current->options().port != settings.redis_port) {
        opp::redis::ClientOptions options;
        options.host = settings.redis_host;
        options.port = settings.redis_port;
        redis_.store(std::make_shared<const RedisBuckets>(std::move(options)));
      }
    }
    per_merchant_.set_max_keys(settings.max_keys);
    per_method_.set_max_keys(settings.max_keys);
    per_merchant_limits_.store(settings.per_merchant);
    per_method_limits_.store(settings.per_method);
  }

  opp_verdict refuse(opp_request* r, const Decision& d, const char* which,
                     const BucketLimits& limits) {
    const std::string seconds = std::to_string(rate_limit::retry_after_seconds(d.wait_s));
    host_->add_response_header(r, "Retry-After", seconds.c_str());
    const std::string message = std::string("over the ") + which + " limit of " +
                                number(limits.rate) + " calls/s (burst " + number(limits.burst) +
                                "); retry after " + seconds + " s";
    host_->reject(r, 10008, "rate-limited", message.c_str());
    return OPP_STOP;
  }

  const opp_host* host_;
  rate_limit::LiveLimits per_merchant_limits_;
  rate_limit::LiveLimits per_method_limits_;
  BucketTable per_merchant_{BucketTable::kMinKeys};
  BucketTable per_method_{BucketTable::kMinKeys};
  SharedSnapshot<RedisBuckets> redis_{nullptr};  ///< null: policy local
};

}  // namespace

const opp_plugin* rate_limit_plugin() {
  using Adapter = PluginAdapter<RateLimit>;
  static const opp_plugin plugin{OPP_PLUGIN_ABI_VERSION,
                                 RateLimit::kName,
                                 OPP_VERSION,
                                 Adapter::create,
                                 Adapter::reconfigure,
                                 Adapter::destroy,
                                 nullptr,
                                 Adapter::on_call,
                                 nullptr};
  return &plugin;
}

}  // namespace opp::plugins
