// auth.nonce_store: redis through the real gateway: nonces are shared by gateways on one
// Redis and outlive a gateway restart; a Redis that cannot be reached refuses calls
// (503, 10005 nonce-store-unavailable) instead of letting them through unchecked.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "platform.hpp"
#include "redis_server.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using namespace std::chrono_literals;

namespace {

const std::string kQuery = R"({"out_order_no":"ANY-ORDER"})";

PlatformOptions on_redis(const opp::test::RedisServer& redis) {
  PlatformOptions options;
  options.auth_yaml = "nonce_store: redis";
  options.extra_gateway_yaml = "redis: {address: \"" + redis.address() + "\"}\n";
  return options;
}

void expect_replayed(const HttpResponse& r) {
  INFO(r.body);
  CHECK(r.status == 401);
  CHECK(r.err_code() == 10002);
  CHECK(r.sub_code() == "nonce-replayed");
}

}  // namespace

TEST_CASE("e2e: with nonce_store: redis a nonce outlives a gateway restart", "[e2e][auth][redis]") {
  opp::test::RedisServer redis;
  Platform platform(on_redis(redis));
  MerchantKey key = platform.add_hmac_merchant("MREDIS", SignType::kHmacSha256);
  platform.start_gateway();

  Params p = platform.merchant(key).params("queryorder", kQuery);
  platform.merchant(key).sign(p);
  CHECK(platform.merchant(key).post("payment", p).err_code() == 20002);

  platform.stop_gateway();
  platform.start_gateway();  // a fresh process: the memory store would have forgotten
  expect_replayed(platform.merchant(key).post("payment", p));
  CHECK(platform.merchant(key).call("payment", "queryorder", kQuery).err_code() == 20002);
}

TEST_CASE("e2e: two gateways on one redis refuse each other's nonces", "[e2e][auth][redis]") {
  opp::test::RedisServer redis;
  Platform platform(on_redis(redis));
  MerchantKey key = platform.add_hmac_merchant("MREDIS", SignType::kHmacSha256);
  platform.start_gateway();
  // A second gateway process on the same merchants and the same Redis.
  auto second = platform.start_extra_gateway("gateway2");
  HttpClient second_http(second->wait_listening());
  REQUIRE(second_http.get("/healthz").status == 200);
  MerchantClient at_second(second_http, key, platform.platform_key_pem);

  Params first_there = at_second.params("queryorder", kQuery);
  at_second.sign(first_there);
  CHECK(at_second.post("payment", first_there).err_code() == 20002);
  expect_replayed(platform.merchant(key).post("payment", first_there));

  Params first_here = at_second.params("queryorder", kQuery);
  at_second.sign(first_here);
  CHECK(platform.merchant(key).post("payment", first_here).err_code() == 20002);
  expect_replayed(at_second.post("payment", first_here));
}

TEST_CASE("e2e: redis down is 503 nonce-store-unavailable, and the gateway recovers",
          "[e2e][auth][redis]") {
  opp::test::RedisServer redis;
  Platform platform(on_redis(redis));
  MerchantKey key = platform.add_hmac_merchant("MREDIS", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  REQUIRE(merchant.call("payment", "queryorder", kQuery).err_code() == 20002);

  redis.stop();
  for (int i = 0; i < 3; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto r = merchant.call("payment", "queryorder", kQuery);
    INFO(r.body);
    CHECK(r.status == 503);
    CHECK(r.err_code() == 10005);
    CHECK(r.sub_code() == "nonce-store-unavailable");
    // Authentication did not complete, so like other authentication errors it is unsigned.
    CHECK(r.header("x-opp-signature").empty());
    CHECK(std::chrono::steady_clock::now() - start < 2s);  // liveness bound
  }

  redis.start();
  bool recovered = false;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!recovered && std::chrono::steady_clock::now() < deadline) {
    recovered = merchant.call("payment", "queryorder", kQuery).err_code() == 20002;
    if (!recovered) std::this_thread::sleep_for(50ms);
  }
  CHECK(recovered);
}
