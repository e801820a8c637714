#include "payment/entity/time_format.hpp"

#include <ctime>

namespace opp::payment {

std::string format_rfc3339(int64_t unix_ms) {
  if (unix_ms <= 0) return {};
  const time_t seconds = static_cast<time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  const size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer, length);
}

}  // namespace opp::payment
