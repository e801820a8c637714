#include "rate-limit/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace opp::plugins::rate_limit {

double TokenBucket::tokens_at(int64_t now_ns, const BucketLimits& limits) const {
  const double elapsed_s =
      now_ns > updated_ns_ ? static_cast<double>(now_ns - updated_ns_) / 1e9 : 0;
  // Clamped even without elapsed time: a reconfigure may have lowered the burst.
  return std::min(limits.burst, tokens_ + elapsed_s * limits.rate);
}

Decision TokenBucket::take(int64_t now_ns, const BucketLimits& limits) {
  tokens_ = tokens_at(now_ns, limits);
  updated_ns_ = std::max(updated_ns_, now_ns);
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return Decision{true, 0};
  }
  return Decision{false, (1 - tokens_) / limits.rate};
}

void TokenBucket::give_back(const BucketLimits& limits) {
  tokens_ = std::min(limits.burst, tokens_ + 1);
}

bool TokenBucket::full_at(int64_t now_ns, const BucketLimits& limits) const {
  return tokens_at(now_ns, limits) >= limits.burst;
}

int64_t retry_after_seconds(double wait_s) {
  constexpr double kMax = 2147483647.0;
  const double seconds = std::ceil(wait_s);
  // !(seconds >= 1) also catches NaN: never answer "retry after 0".
  if (!(seconds >= 1)) return 1;
  return seconds >= kMax ? static_cast<int64_t>(kMax) : static_cast<int64_t>(seconds);
}

}  // namespace opp::plugins::rate_limit
