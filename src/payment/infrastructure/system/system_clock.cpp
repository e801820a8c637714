#include "payment/infrastructure/system/system_clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace opp::payment {

int64_t SystemClock::now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

RandomIdGenerator::RandomIdGenerator() : salt_(std::random_device{}()) {}

std::string RandomIdGenerator::transaction_id(int64_t now_ms) {
  return next('T', now_ms);
}

std::string RandomIdGenerator::refund_id(int64_t now_ms) {
  return next('R', now_ms);
}

std::string RandomIdGenerator::next(char kind, int64_t now_ms) {
  const time_t seconds = static_cast<time_t>(now_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  const uint32_t sequence = counter_.fetch_add(1, std::memory_order_relaxed);
  char buffer[48];
  const int length = std::snprintf(buffer, sizeof buffer, "%c%04d%02d%02d%02d%02d%02d%08x%08x",
                                   kind, utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                                   utc.tm_hour, utc.tm_min, utc.tm_sec, salt_, sequence);
  return std::string(buffer, static_cast<size_t>(length));
}

}  // namespace opp::payment
