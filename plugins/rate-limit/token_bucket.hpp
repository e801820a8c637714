#pragma once
// One token bucket (SPEC §9: rates are tokens per second; Retry-After is the wait until a
// token is available). The bucket never reads a clock: the time is an argument, so the
// caller picks the clock (the plugin passes a monotonic one) and tests drive time by hand.

#include <cstdint>

namespace opp::plugins::rate_limit {

/// What a bucket allows: `rate` tokens per second refill it up to `burst` tokens.
struct BucketLimits {
  double rate = 1;   ///< tokens per second, > 0 and finite (fractions allowed: 0.5)
  double burst = 1;  ///< capacity, >= 1 and finite
};

/// The answer to one call.
struct Decision {
  bool admitted = false;
  double wait_s = 0;  ///< when refused: seconds until one token is available (> 0)
};

/// Tokens and the time they were counted at. The limits are passed to every call rather
/// than kept, so a reconfigure applies new ones to the tokens a bucket already has.
class TokenBucket {
 public:
  /// A full bucket at `now_ns` (a key seen for the first time has its whole burst).
  TokenBucket(const BucketLimits& limits, int64_t now_ns)
      : tokens_(limits.burst), updated_ns_(now_ns) {}

  /// Refills the bucket up to `now_ns`, then takes one token when there is a whole one.
  /// A `now_ns` earlier than the last call's (two threads read the clock in one order and
  /// lock in the other) refills nothing and never moves the bucket's time back.
  Decision take(int64_t now_ns, const BucketLimits& limits);

  /// Returns a token taken by take() for a call that another limit then refused.
  void give_back(const BucketLimits& limits);

  /// The tokens the bucket would hold at `now_ns` (at most `limits.burst`).
  double tokens_at(int64_t now_ns, const BucketLimits& limits) const;

  /// True when the bucket is full at `now_ns`: it then carries no information (a new bucket
  /// for the key would be the same), so it may be dropped.
  bool full_at(int64_t now_ns, const BucketLimits& limits) const;

 private:
  double tokens_;
  int64_t updated_ns_;
};

/// The Retry-After value for a wait: whole seconds rounded up, at least 1 (SPEC §9), at most
/// 2^31 - 1 (what RFC 9110 asks recipients to handle; a tiny rate would otherwise overflow).
int64_t retry_after_seconds(double wait_s);

}  // namespace opp::plugins::rate_limit
