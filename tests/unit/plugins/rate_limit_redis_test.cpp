// rate-limit with policy: redis against a real redis-server the tests start: the buckets
// live in Redis, so plugin instances (gateways) on one Redis share them; Redis down refuses
// calls with 10005 rate-limit-unavailable (fail closed). Rates are chosen so no test
// depends on how fast it runs (0.001/s refills nothing during a test).

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "opp/common/error.hpp"
#include "plugin_call_harness.hpp"
#include "rate-limit/rate-limit.hpp"
#include "redis/redis_client.hpp"
#include "redis_server.hpp"

using opp::plugins::rate_limit_plugin;
using opp::plugins::testing::Instance;
using opp::plugins::testing::MerchantCall;
using opp::test::RedisServer;

namespace {

std::string config(const RedisServer& redis, const std::string& limits) {
  return "{policy: redis, redis: \"" + redis.address() + "\", " + limits + "}";
}

bool admitted(const Instance& plugin, MerchantCall& call) {
  const opp_verdict verdict = plugin.on_call(call.reset());
  CHECK((verdict == OPP_STOP) == call.request()->rejection.has_value());
  return verdict == OPP_CONTINUE;
}

opp::redis::Client client_of(const RedisServer& redis) {
  opp::redis::ClientOptions options;
  options.port = redis.port();
  return opp::redis::Client(options);
}

}  // namespace

TEST_CASE("rate-limit on redis admits a merchant's burst, then refuses with 10008",
          "[rate-limit][redis]") {
  RedisServer redis;
  Instance plugin(rate_limit_plugin(), config(redis, "per_merchant: {rate: 0.001, burst: 3}"));
  MerchantCall call("M1", "pay");
  for (int i = 0; i < 3; ++i) CHECK(admitted(plugin, call));
  REQUIRE_FALSE(admitted(plugin, call));
  const opp_request& r = *call.request();
  CHECK(r.rejection->code == opp::ErrorCode::kTooManyRequests);
  CHECK(r.rejection->sub_code == "rate-limited");
  const int retry_after = std::stoi(call.added_header("Retry-After"));
  CHECK(retry_after <= 1000);
  CHECK(retry_after >= 990);
  CHECK(r.rejection->message ==
        "over the per-merchant limit of 0.001 calls/s (burst 3); retry after " +
            std::to_string(retry_after) + " s");
  MerchantCall other("M2", "pay");
  CHECK(admitted(plugin, other));  // another merchant's bucket

  // The bucket expires once it would be full again (3 tokens at 0.001/s: 3000 s).
  auto ttl = client_of(redis).command({"PTTL", "opp:rl:M1"});
  REQUIRE(ttl.ok());
  REQUIRE(ttl->kind == opp::redis::Reply::Kind::kInteger);
  CHECK(ttl->integer > 3'000'000);
  CHECK(ttl->integer <= 3'001'000);
}

TEST_CASE("rate-limit on redis: tokens refill at the rate", "[rate-limit][redis]") {
  RedisServer redis;
  Instance plugin(rate_limit_plugin(), config(redis, "per_merchant: {rate: 20, burst: 1}"));
  MerchantCall call("M1", "pay");
  REQUIRE(admitted(plugin, call));
  // 20 tokens/s: refused at once (unless the machine is very slow), admitted again later.
  bool refused = false;
  for (int i = 0; i < 1000 && !refused; ++i) refused = !admitted(plugin, call);
  REQUIRE(refused);
  CHECK(call.added_header("Retry-After") == "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(admitted(plugin, call));
}

TEST_CASE("rate-limit on redis: two instances on one redis hold one limit together",
          "[rate-limit][redis]") {
  RedisServer redis;
  const std::string cfg = config(redis, "per_merchant: {rate: 0.001, burst: 40}");
  Instance gateway_a(rate_limit_plugin(), cfg);
  Instance gateway_b(rate_limit_plugin(), cfg);
  std::atomic<int> ready{0}, admitted_calls{0}, refused_calls{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&, t] {
      const Instance& plugin = t % 2 ? gateway_a : gateway_b;
      MerchantCall call("M1", "pay");
      ready.fetch_add(1);
      while (ready.load() < 8) std::this_thread::yield();
      for (int i = 0; i < 25; ++i) {
        const opp_verdict verdict = plugin.on_call(call.reset());
        if (verdict == OPP_CONTINUE)
          admitted_calls.fetch_add(1);
        else if (call.request()->rejection->sub_code == "rate-limited")
          refused_calls.fetch_add(1);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  CHECK(admitted_calls.load() == 40);  // of 200 calls on two "gateways": one burst in all
  CHECK(refused_calls.load() == 160);
}

TEST_CASE("rate-limit on redis: a refused call costs neither bucket a token",
          "[rate-limit][redis]") {
  RedisServer redis;
  Instance plugin(rate_limit_plugin(), config(redis,
                                              "per_method: {rate: 0.001, burst: 1}, "
                                              "per_merchant: {rate: 0.001, burst: 3}"));
  MerchantCall pay("M1", "pay");
  MerchantCall query("M1", "query");
  CHECK(admitted(plugin, pay));
  REQUIRE_FALSE(admitted(plugin, pay));  // the method's one token is spent
  CHECK(pay.request()->rejection->message.find("per-method limit") != std::string::npos);
  CHECK(admitted(plugin, query));           // the refused pay took no merchant token: 2 left
  CHECK(admitted(plugin, query) == false);  // query's own method bucket (burst 1) is spent
  MerchantCall refund("M1", "refund");
  CHECK(admitted(plugin, refund));  // the merchant's third token
  MerchantCall close("M1", "close");
  REQUIRE_FALSE(admitted(plugin, close));
  CHECK(close.request()->rejection->message.find("per-merchant limit") != std::string::npos);
  // close's method token was not taken by the refused call: it is still full in Redis.
  auto kept = client_of(redis).command({"EXISTS", "opp:rl:M1:close"});
  REQUIRE(kept.ok());
  CHECK(kept->integer == 0);
}

TEST_CASE("rate-limit on redis: a flushed script is loaded again", "[rate-limit][redis]") {
  RedisServer redis;
  Instance plugin(rate_limit_plugin(), config(redis, "per_merchant: {rate: 0.001, burst: 3}"));
  MerchantCall call("M1", "pay");
  REQUIRE(admitted(plugin, call));
  auto flushed = client_of(redis).command({"SCRIPT", "FLUSH"});
  REQUIRE(flushed.ok());
  REQUIRE(flushed->kind == opp::redis::Reply::Kind::kStatus);
  CHECK(admitted(plugin, call));  // NOSCRIPT, reloaded, counted: the bucket kept its state
  CHECK(admitted(plugin, call));
  CHECK_FALSE(admitted(plugin, call));
}

TEST_CASE(
    "rate-limit on redis: redis down refuses with 10005 rate-limit-unavailable, then recovers",
    "[rate-limit][redis]") {
  RedisServer redis;
  Instance plugin(rate_limit_plugin(), config(redis, "per_merchant: {rate: 0.001, burst: 100}"));
  MerchantCall call("M1", "pay");
  REQUIRE(admitted(plugin, call));
  redis.stop();
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    REQUIRE_FALSE(admitted(plugin, call));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));  // liveness
    const opp_request& r = *call.request();
    CHECK(r.rejection->code == opp::ErrorCode::kRequestServerFail);
    CHECK(r.rejection->sub_code == "rate-limit-unavailable");
    CHECK(r.rejection->message.rfind("the shared rate limit store is unavailable: ", 0) == 0);
    CHECK(opp::find_sub_code(r.rejection->code, r.rejection->sub_code)->http_status == 503);
    CHECK(call.added_header("Retry-After").empty());
  }
  redis.start();  // empty, and without the script
  bool recovered = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!recovered && std::chrono::steady_clock::now() < deadline) {
    recovered = admitted(plugin, call);
    if (!recovered) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(recovered);
}

TEST_CASE("rate-limit reconfigure: local to redis and back", "[rate-limit][redis][reconfigure]") {
  RedisServer redis;
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 0.001, burst: 1}");
  MerchantCall call("M1", "pay");
  REQUIRE(admitted(plugin, call));
  REQUIRE_FALSE(admitted(plugin, call));
  REQUIRE(plugin.reconfigure(config(redis, "per_merchant: {rate: 0.001, burst: 1}")) == "");
  CHECK(admitted(plugin, call));  // Redis's bucket, new
  CHECK_FALSE(admitted(plugin, call));
  auto stored = client_of(redis).command({"EXISTS", "opp:rl:M1"});
  REQUIRE(stored.ok());
  CHECK(stored->integer == 1);
  REQUIRE(plugin.reconfigure("per_merchant: {rate: 0.001, burst: 1}") == "");
  CHECK_FALSE(admitted(plugin, call));  // the local bucket kept its state
}
