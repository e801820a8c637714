#pragma once
// One limit's rate and burst as every io thread reads them while a reconfigure may change
// them: plain atomics, so the request path takes no lock and shares no reference count.

#include <atomic>
#include <optional>

#include "rate-limit/token_bucket.hpp"

namespace opp::plugins::rate_limit {

class LiveLimits {
 public:
  /// Sets the limits, or switches the limit off with nullopt.
  void store(const std::optional<BucketLimits>& limits) {
    if (limits) {
      rate_.store(limits->rate, std::memory_order_relaxed);
      burst_.store(limits->burst, std::memory_order_relaxed);
    }
    // Release: a reader that sees the limit on also sees a rate and burst stored with it.
    enabled_.store(limits.has_value(), std::memory_order_release);
  }

  /// The limits, or nullopt when the limit is off. A call that races a reconfigure may
  /// read the new rate with the old burst (or the reverse): each is a valid limit, and the
  /// next call reads both new ones.
  std::optional<BucketLimits> load() const {
    if (!enabled_.load(std::memory_order_acquire)) return std::nullopt;
    return BucketLimits{rate_.load(std::memory_order_relaxed),
                        burst_.load(std::memory_order_relaxed)};
  }

 private:
  std::atomic<bool> enabled_{false};
  std::atomic<double> rate_{1};
  std::atomic<double> burst_{1};
};

}  // namespace opp::plugins::rate_limit
