#pragma once
// When to try a failed notification again (SPEC §8): the first retry within 5 s, then
// growing gaps, for 24 hours after the notification was created.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace opp::payment {

class RetrySchedule {
 public:
  /// Gap after the 1st, 2nd, ... failed attempt; the last gap repeats. `horizon` counts
  /// from the message's creation; the final attempt happens at the horizon at the latest.
  RetrySchedule(std::vector<std::chrono::milliseconds> gaps, std::chrono::milliseconds horizon);

  /// 5 s, 15 s, 1 min, 5 min, 15 min, 30 min, then hourly, for 24 h.
  static RetrySchedule standard();

  /// The next attempt time after `failed_attempts` failures (>= 1), the last one at
  /// `now_ms`; nothing when the horizon has passed and the message should be given up.
  std::optional<int64_t> next_attempt_at(int64_t created_at_ms, int32_t failed_attempts,
                                         int64_t now_ms) const;

 private:
  std::vector<std::chrono::milliseconds> gaps_;
  std::chrono::milliseconds horizon_;
};

}  // namespace opp::payment
