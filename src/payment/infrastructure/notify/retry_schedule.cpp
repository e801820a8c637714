#include "payment/infrastructure/notify/retry_schedule.hpp"

#include <algorithm>
#include <stdexcept>

namespace opp::payment {

using namespace std::chrono_literals;

RetrySchedule::RetrySchedule(std::vector<std::chrono::milliseconds> gaps,
                             std::chrono::milliseconds horizon)
    : gaps_(std::move(gaps)), horizon_(horizon) {
  if (gaps_.empty()) throw std::invalid_argument("a retry schedule needs at least one gap");
}

RetrySchedule RetrySchedule::standard() {
  return RetrySchedule({5s, 15s, 1min, 5min, 15min, 30min, 1h}, 24h);
}

std::optional<int64_t> RetrySchedule::next_attempt_at(int64_t created_at_ms,
                                                      int32_t failed_attempts,
                                                      int64_t now_ms) const {
  const int64_t deadline = created_at_ms + horizon_.count();
  if (now_ms >= deadline) return std::nullopt;
  const size_t index = std::clamp<size_t>(static_cast<size_t>(std::max(failed_attempts, 1)) - 1, 0,
                                          gaps_.size() - 1);
  return std::min(now_ms + gaps_[index].count(), deadline);
}

}  // namespace opp::payment
