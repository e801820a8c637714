// The bucket arithmetic with time driven by hand (the plugin passes a monotonic clock).

#include "rate-limit/token_bucket.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace opp::plugins::rate_limit;

namespace {
constexpr int64_t kSecond = 1'000'000'000;
}

TEST_CASE("a new bucket holds its burst, then refuses with the wait for one token",
          "[rate-limit][bucket]") {
  const BucketLimits limits{2, 3};  // 2 tokens/s, burst 3
  TokenBucket bucket(limits, 0);
  for (int i = 0; i < 3; ++i) CHECK(bucket.take(0, limits).admitted);
  const Decision refused = bucket.take(0, limits);
  CHECK_FALSE(refused.admitted);
  CHECK(refused.wait_s == Approx(0.5));
  // A refusal takes nothing: a quarter second later the wait is a quarter second.
  const Decision later = bucket.take(kSecond / 4, limits);
  CHECK_FALSE(later.admitted);
  CHECK(later.wait_s == Approx(0.25));
  CHECK(bucket.take(kSecond / 2, limits).admitted);
  CHECK_FALSE(bucket.take(kSecond / 2, limits).admitted);
}

TEST_CASE("a fractional rate refills a token every 1/rate seconds", "[rate-limit][bucket]") {
  const BucketLimits limits{0.5, 1};
  TokenBucket bucket(limits, 10 * kSecond);
  CHECK(bucket.take(10 * kSecond, limits).admitted);
  Decision d = bucket.take(10 * kSecond, limits);
  CHECK_FALSE(d.admitted);
  CHECK(d.wait_s == Approx(2.0));
  CHECK(retry_after_seconds(d.wait_s) == 2);
  d = bucket.take(11 * kSecond, limits);
  CHECK_FALSE(d.admitted);
  CHECK(d.wait_s == Approx(1.0));
  CHECK(bucket.take(12 * kSecond, limits).admitted);
}

TEST_CASE("an idle bucket refills up to its burst, never beyond", "[rate-limit][bucket]") {
  const BucketLimits limits{100, 5};
  TokenBucket bucket(limits, 0);
  for (int i = 0; i < 5; ++i) REQUIRE(bucket.take(0, limits).admitted);
  CHECK_FALSE(bucket.full_at(0, limits));
  CHECK(bucket.tokens_at(kSecond / 100, limits) == Approx(1.0));
  CHECK(bucket.full_at(kSecond, limits));
  CHECK(bucket.tokens_at(3600 * kSecond, limits) == 5);
  int admitted = 0;
  while (bucket.take(3600 * kSecond, limits).admitted) ++admitted;
  CHECK(admitted == 5);
}

TEST_CASE("a time earlier than the last call refills nothing and does not rewind the bucket",
          "[rate-limit][bucket]") {
  const BucketLimits limits{1, 1};
  TokenBucket bucket(limits, 0);
  REQUIRE(bucket.take(10 * kSecond, limits).admitted);  // refilled to 1 at t=10, took it
  // Another thread read the clock earlier and locked later.
  const Decision early = bucket.take(9 * kSecond, limits);
  CHECK_FALSE(early.admitted);
  CHECK(early.wait_s == Approx(1.0));
  // Had the time moved back to 9 s, t=10.5 s would find 1.5 tokens.
  CHECK(bucket.tokens_at(10 * kSecond + kSecond / 2, limits) == Approx(0.5));
}

TEST_CASE("new limits apply to the tokens a bucket holds", "[rate-limit][bucket]") {
  const BucketLimits wide{1, 10};
  TokenBucket bucket(wide, 0);
  for (int i = 0; i < 4; ++i) REQUIRE(bucket.take(0, wide).admitted);  // 6 left
  const BucketLimits narrow{1, 2};
  CHECK(bucket.tokens_at(0, narrow) == 2);
  CHECK(bucket.take(0, narrow).admitted);
  CHECK(bucket.take(0, narrow).admitted);
  CHECK_FALSE(bucket.take(0, narrow).admitted);
  const BucketLimits fast{1000, 2};
  CHECK(bucket.take(kSecond / 1000, fast).admitted);
}

TEST_CASE("a token given back is usable again, up to the burst", "[rate-limit][bucket]") {
  const BucketLimits limits{0.001, 2};
  TokenBucket bucket(limits, 0);
  REQUIRE(bucket.take(0, limits).admitted);
  REQUIRE(bucket.take(0, limits).admitted);
  REQUIRE_FALSE(bucket.take(0, limits).admitted);
  bucket.give_back(limits);
  CHECK(bucket.take(0, limits).admitted);
  bucket.give_back(limits);
  bucket.give_back(limits);
  bucket.give_back(limits);
  CHECK(bucket.tokens_at(0, limits) == 2);
}

TEST_CASE("Retry-After is whole seconds rounded up, at least 1", "[rate-limit][bucket]") {
  CHECK(retry_after_seconds(0.001) == 1);
  CHECK(retry_after_seconds(0) == 1);
  CHECK(retry_after_seconds(-3) == 1);
  CHECK(retry_after_seconds(std::nan("")) == 1);
  CHECK(retry_after_seconds(1.0) == 1);
  CHECK(retry_after_seconds(1.01) == 2);
  CHECK(retry_after_seconds(2.0) == 2);
  CHECK(retry_after_seconds(59.5) == 60);
  CHECK(retry_after_seconds(1e300) == 2147483647);
  CHECK(retry_after_seconds(std::numeric_limits<double>::infinity()) == 2147483647);
}
