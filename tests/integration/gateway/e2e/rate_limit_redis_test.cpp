// rate-limit policy: redis through the real gateway: two gateway processes on one Redis
// hold one merchant's limit together; Redis down refuses calls with a signed 503, 10005
// rate-limit-unavailable, and they pass again once it is back.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "plugin_fixture.hpp"
#include "redis_server.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using namespace std::chrono_literals;

namespace {

const std::string kQuery = R"({"out_order_no":"NO-SUCH-ORDER"})";

PlatformOptions limited_on(const opp::test::RedisServer& redis) {
  PlatformOptions options;
  options.extra_gateway_yaml =
      "plugins:\n  - name: rate-limit\n    config: {policy: redis, redis: \"" + redis.address() +
      "\", per_merchant: {rate: 0.001, burst: 3}}\n";
  return options;
}

}  // namespace

TEST_CASE("e2e rate-limit on redis: two gateways hold one merchant's limit together",
          "[e2e][plugins][rate-limit][redis]") {
  opp::test::RedisServer redis;
  Platform platform(limited_on(redis));
  MerchantKey key = platform.add_hmac_merchant("MRLR", SignType::kHmacSha256);
  platform.start_gateway();
  auto second = platform.start_extra_gateway("gateway2");
  HttpClient second_http(second->wait_listening());
  MerchantClient at_first = platform.merchant(key);
  MerchantClient at_second(second_http, key, platform.platform_key_pem);

  // Burst 3 in all: first, second, first pass; then both gateways refuse.
  CHECK(at_first.call("payment", "queryorder", kQuery).sub_code() == "order-not-found");
  CHECK(at_second.call("payment", "queryorder", kQuery).sub_code() == "order-not-found");
  CHECK(at_first.call("payment", "queryorder", kQuery).sub_code() == "order-not-found");
  for (MerchantClient* m : {&at_second, &at_first}) {
    HttpResponse r = m->call("payment", "queryorder", kQuery);
    INFO(r.body);
    CHECK(r.status == 429);
    CHECK(r.sub_code() == "rate-limited");
    CHECK(m->verify(r));
  }
}

TEST_CASE("e2e rate-limit on redis: redis down is a signed 503 rate-limit-unavailable",
          "[e2e][plugins][rate-limit][redis]") {
  opp::test::RedisServer redis;
  Platform platform(limited_on(redis));
  MerchantKey key = platform.add_hmac_merchant("MRLR", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  REQUIRE(merchant.call("payment", "queryorder", kQuery).sub_code() == "order-not-found");

  redis.stop();
  HttpResponse r = merchant.call("payment", "queryorder", kQuery);
  INFO(r.body);
  CHECK(r.status == 503);
  CHECK(r.err_code() == 10005);
  CHECK(r.sub_code() == "rate-limit-unavailable");
  CHECK(merchant.verify(r));  // a plugin's rejection is signed like any authenticated answer

  redis.start();  // empty: a fresh bucket
  bool recovered = false;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!recovered && std::chrono::steady_clock::now() < deadline) {
    recovered = merchant.call("payment", "queryorder", kQuery).sub_code() == "order-not-found";
    if (!recovered) std::this_thread::sleep_for(50ms);
  }
  CHECK(recovered);
}
