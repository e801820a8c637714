#pragma once
// Token buckets kept in Redis (policy: redis), so every gateway on one Redis counts a
// merchant's calls against the same buckets.

#include <optional>
#include <string>
#include <string_view>

#include "opp/common/result.hpp"
#include "rate-limit/token_bucket.hpp"
#include "redis/redis_client.hpp"

namespace opp::plugins::rate_limit {

/// The buckets of one call: the per-method one (`opp:rl:<merchant>:<method>`) and/or the
/// per-merchant one (`opp:rl:<merchant>`). Merchant ids are 1-64 characters of
/// [A-Za-z0-9_-] and methods are catalog names, so keys are bounded and never collide.
struct CallBuckets {
  std::string_view merchant;
  std::string_view method;
  std::optional<BucketLimits> per_method;
  std::optional<BucketLimits> per_merchant;
};

/// One Lua script decides a call: it refills and checks every bucket of the call by
/// Redis's clock and takes a token from each only when all of them have one, atomically,
/// so concurrent gateways neither overspend nor need a give-back. Each key expires once
/// its bucket would be full again (a full bucket is the same as none).
class RedisBuckets {
 public:
  /// No connection is made here (see redis::Client).
  explicit RedisBuckets(redis::ClientOptions options);

  /// The decision for one call (at least one limit set). Errors: Redis unreachable, an
  /// error reply or an unexpected one (ErrorCode::kRequestServerFail, message without
  /// request data); the plugin refuses the call then (fail closed). When refused,
  /// `refused_by` names the limit: "per-method" or "per-merchant".
  Result<Decision> take(const CallBuckets& call, std::string& refused_by) const;

  const redis::ClientOptions& options() const { return client_.options(); }

 private:
  redis::Client client_;
  std::string sha_;  ///< SHA-1 of the script, for EVALSHA
};

}  // namespace opp::plugins::rate_limit
