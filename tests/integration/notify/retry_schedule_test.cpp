#include "payment/infrastructure/notify/retry_schedule.hpp"

#include <catch2/catch.hpp>

using opp::payment::RetrySchedule;
using namespace std::chrono_literals;

namespace {
constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
}  // namespace

TEST_CASE("the standard schedule retries within 5 s, then backs off", "[notify][retry]") {
  const RetrySchedule schedule = RetrySchedule::standard();
  const int64_t created = 1'000'000;
  const int64_t gaps[] = {5 * kSecond,  15 * kSecond, 1 * kMinute, 5 * kMinute,
                          15 * kMinute, 30 * kMinute, 1 * kHour,   1 * kHour};
  int64_t now = created;
  for (int attempt = 1; attempt <= 8; ++attempt) {
    INFO("attempt " << attempt);
    auto next = schedule.next_attempt_at(created, attempt, now);
    REQUIRE(next.has_value());
    CHECK(*next - now == gaps[attempt - 1]);
    now = *next;
  }
}

TEST_CASE("retries end 24 h after creation", "[notify][retry]") {
  const RetrySchedule schedule = RetrySchedule::standard();
  const int64_t created = 0;
  // The last gap is clamped to the horizon, so one final attempt happens at 24 h.
  auto last = schedule.next_attempt_at(created, 30, 24 * kHour - 10 * kMinute);
  REQUIRE(last.has_value());
  CHECK(*last == 24 * kHour);
  CHECK_FALSE(schedule.next_attempt_at(created, 31, 24 * kHour).has_value());
  CHECK_FALSE(schedule.next_attempt_at(created, 31, 25 * kHour).has_value());
}

TEST_CASE("a standard schedule gives 31 attempts in a day", "[notify][retry]") {
  const RetrySchedule schedule = RetrySchedule::standard();
  int attempts = 1;  // the first delivery
  int64_t now = 0;
  while (auto next = schedule.next_attempt_at(0, attempts, now)) {
    now = *next;
    ++attempts;
  }
  // The first delivery, 6 growing gaps (51 min 20 s in all), 23 hourly retries, and the
  // final one clamped to 24 h.
  CHECK(now == 24 * kHour);
  CHECK(attempts == 31);
}

TEST_CASE("custom schedules repeat their last gap", "[notify][retry]") {
  const RetrySchedule schedule({100ms, 300ms}, 10s);
  CHECK(schedule.next_attempt_at(0, 1, 0) == 100);
  CHECK(schedule.next_attempt_at(0, 2, 100) == 400);
  CHECK(schedule.next_attempt_at(0, 9, 1000) == 1300);
  CHECK_THROWS_AS(RetrySchedule({}, 1s), std::invalid_argument);
}
