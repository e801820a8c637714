// The rate-limit plugin through its opp_plugin table and the gateway's host table, with the
// real monotonic clock: rates are chosen so that a test never depends on how fast it runs
// (0.001/s refills nothing during a test; refills are waited for with generous sleeps).

#include "rate-limit/rate-limit.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "opp/common/error.hpp"
#include "plugin_call_harness.hpp"

using opp::plugins::rate_limit_plugin;
using opp::plugins::testing::create_error;
using opp::plugins::testing::Instance;
using opp::plugins::testing::MerchantCall;

namespace {

// Calls until the plugin refuses (at most `limit` times); the number admitted.
int admitted_until_refused(const Instance& plugin, MerchantCall& call, int limit = 1000) {
  for (int i = 0; i < limit; ++i)
    if (plugin.on_call(call.reset()) == OPP_STOP) return i;
  return limit;
}

bool admitted(const Instance& plugin, MerchantCall& call) {
  const opp_verdict verdict = plugin.on_call(call.reset());
  CHECK((verdict == OPP_STOP) == call.request()->rejection.has_value());
  return verdict == OPP_CONTINUE;
}

}  // namespace

TEST_CASE("rate-limit's table: ABI version, name, the hooks it has", "[rate-limit]") {
  const opp_plugin* plugin = rate_limit_plugin();
  CHECK(plugin->abi_version == OPP_PLUGIN_ABI_VERSION);
  CHECK(std::string(plugin->name) == "rate-limit");
  CHECK(plugin->version != nullptr);
  CHECK(plugin->reconfigure != nullptr);
  CHECK(plugin->on_call != nullptr);
  CHECK(plugin->on_http == nullptr);
  CHECK(plugin->on_response == nullptr);
}

TEST_CASE("rate-limit admits a merchant's burst, then refuses with 10008 and Retry-After",
          "[rate-limit]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 0.001, burst: 3}");
  MerchantCall call("M1", "pay");
  for (int i = 0; i < 3; ++i) {
    CHECK(admitted(plugin, call));
    CHECK(call.request()->added_headers.empty());
  }
  REQUIRE(plugin.on_call(call.reset()) == OPP_STOP);
  const opp_request& r = *call.request();
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == opp::ErrorCode::kTooManyRequests);
  CHECK(r.rejection->sub_code == "rate-limited");
  CHECK(opp::find_sub_code(r.rejection->code, r.rejection->sub_code)->http_status == 429);
  // One token per 1000 s, none left: the wait is 1000 s less the microseconds elapsed.
  const int retry_after = std::stoi(call.added_header("Retry-After"));
  CHECK(retry_after <= 1000);
  CHECK(retry_after >= 990);
  CHECK(r.rejection->message ==
        "over the per-merchant limit of 0.001 calls/s (burst 3); retry after " +
            std::to_string(retry_after) + " s");
}

TEST_CASE("rate-limit's Retry-After is at least 1 when the wait is under a second",
          "[rate-limit]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 1000, burst: 1}");
  MerchantCall call("M1", "pay");
  // 1000 tokens/s: several calls may pass on a slow machine before one is refused.
  REQUIRE(admitted_until_refused(plugin, call, 1'000'000) < 1'000'000);
  CHECK(call.added_header("Retry-After") == "1");
}

TEST_CASE("rate-limit: burst defaults to one second of calls", "[rate-limit]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 2.5}");
  MerchantCall call("M1", "pay");
  // 3 tokens; 2.5/s might refill one more if the machine stalls 0.4 s between calls.
  const int n = admitted_until_refused(plugin, call);
  CHECK(n >= 3);
  CHECK(n <= 4);
  Instance slow(rate_limit_plugin(), "per_merchant: {rate: 0.001}");
  CHECK(admitted_until_refused(slow, call) == 1);  // at least one token
}

TEST_CASE("rate-limit counts each merchant apart", "[rate-limit]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 0.001, burst: 2}");
  MerchantCall m1("M1", "pay"), m2("M2", "pay"), m1_other("M1", "query");
  CHECK(admitted_until_refused(plugin, m1) == 2);
  CHECK(admitted_until_refused(plugin, m2) == 2);
  CHECK_FALSE(admitted(plugin, m1_other));  // per_merchant: every method counts
}

TEST_CASE("rate-limit per_method counts each merchant and method apart", "[rate-limit]") {
  Instance plugin(rate_limit_plugin(), "per_method: {rate: 0.001, burst: 2}");
  MerchantCall pay("M1", "pay"), query("M1", "query"), other("M2", "pay");
  CHECK(admitted_until_refused(plugin, pay) == 2);
  CHECK(plugin.on_call(pay.reset()) == OPP_STOP);
  CHECK(pay.request()->rejection->message ==
        "over the per-method limit of 0.001 calls/s (burst 2); retry after " +
            pay.added_header("Retry-After") + " s");
  CHECK(admitted_until_refused(plugin, query) == 2);
  CHECK(admitted_until_refused(plugin, other) == 2);
}

TEST_CASE("rate-limit with both limits: a refused call costs neither bucket a token",
          "[rate-limit]") {
  SECTION("refused per method: the merchant's token is not taken") {
    Instance plugin(rate_limit_plugin(),
                    "{per_merchant: {rate: 0.001, burst: 2}, per_method: {rate: 0.001, burst: 1}}");
    MerchantCall pay("M1", "pay"), query("M1", "query"), refund("M1", "refund");
    CHECK(admitted(plugin, pay));
    CHECK_FALSE(admitted(plugin, pay));  // per_method
    CHECK(admitted(plugin, query));      // the merchant still had its second token
    CHECK_FALSE(admitted(plugin, refund));
    CHECK(refund.request()->rejection->message.rfind("over the per-merchant limit", 0) == 0);
  }
  SECTION("refused per merchant: the method's token is given back") {
    Instance plugin(rate_limit_plugin(),
                    "{per_merchant: {rate: 0.001, burst: 1}, per_method: {rate: 0.001, burst: 2}}");
    MerchantCall pay("M1", "pay");
    CHECK(admitted(plugin, pay));        // merchant 0 left, pay 1 left
    CHECK_FALSE(admitted(plugin, pay));  // per_merchant refuses; pay's token comes back
    CHECK_FALSE(admitted(plugin, pay));
    // The merchant's limit lifted: pay still has 1 token, not 0 (buckets are kept).
    REQUIRE(plugin.reconfigure("{per_merchant: {rate: 1000000, burst: 1000}, "
                               "per_method: {rate: 0.001, burst: 2}}") == "");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(admitted(plugin, pay));
    CHECK_FALSE(admitted(plugin, pay));
    CHECK(pay.request()->rejection->message.find("per-method") != std::string::npos);
  }
}

TEST_CASE("rate-limit refills with time", "[rate-limit]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 20, burst: 1}");
  MerchantCall call("M1", "pay");
  admitted_until_refused(plugin, call);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // 4 tokens' worth, burst 1
  CHECK(admitted(plugin, call));
}

TEST_CASE("rate-limit leaves calls without a merchant alone", "[rate-limit]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 0.001, burst: 1}");
  MerchantCall anonymous("", "pay");
  for (int i = 0; i < 5; ++i) CHECK(admitted(plugin, anonymous));
  CHECK(anonymous.request()->added_headers.empty());
}

TEST_CASE("rate-limit reconfigure keeps the buckets and applies the new limits",
          "[rate-limit][reconfigure]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 0.001, burst: 2}");
  MerchantCall call("M1", "pay");
  REQUIRE(admitted_until_refused(plugin, call) == 2);
  // A larger burst is no fresh start: the bucket is still empty.
  REQUIRE(plugin.reconfigure("per_merchant: {rate: 0.001, burst: 5}") == "");
  CHECK_FALSE(admitted(plugin, call));
  // A faster rate refills it.
  REQUIRE(plugin.reconfigure("per_merchant: {rate: 1000, burst: 5}") == "");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(admitted(plugin, call));
}

TEST_CASE("rate-limit reconfigure: a bad config is refused and the old one stays",
          "[rate-limit][reconfigure]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 0.001, burst: 1}");
  MerchantCall call("M1", "pay");
  CHECK(plugin.reconfigure("per_merchant: {rate: -1}") ==
        "per_merchant.rate: expected a number > 0");
  CHECK(plugin.reconfigure("policy: redis\nper_merchant: {rate: 1}") ==
        "redis: required with policy: redis (host:port)");
  CHECK(admitted(plugin, call));
  CHECK_FALSE(admitted(plugin, call));
}

TEST_CASE("rate-limit reconfigure: a limit removed drops its buckets",
          "[rate-limit][reconfigure]") {
  Instance plugin(rate_limit_plugin(), "per_method: {rate: 0.001, burst: 1}");
  MerchantCall call("M1", "pay");
  REQUIRE(admitted_until_refused(plugin, call) == 1);
  REQUIRE(plugin.reconfigure("per_merchant: {rate: 0.001, burst: 100}") == "");
  REQUIRE(plugin.reconfigure("per_method: {rate: 0.001, burst: 1}") == "");
  CHECK(admitted(plugin, call));  // a new bucket
}

TEST_CASE("rate-limit refuses each bad config with one line naming the key",
          "[rate-limit][config]") {
  const opp_plugin* plugin = rate_limit_plugin();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"{}", "config: expected per_merchant, per_method or both"},
      {"", "config: expected per_merchant, per_method or both"},
      {"policy: local", "config: expected per_merchant, per_method or both"},
      {"[1, 2]", "config: expected a mapping"},
      {"per_merchan: {rate: 1}", "per_merchan: unknown key"},
      {"per_merchant: 5", "per_merchant: expected a mapping"},
      {"per_merchant:", "per_merchant: expected a mapping"},
      {"per_merchant: {burst: 2}", "per_merchant.rate: required"},
      {"per_merchant: {rate: 0, burst: 1}", "per_merchant.rate: expected a number > 0"},
      {"per_merchant: {rate: -2}", "per_merchant.rate: expected a number > 0"},
      {"per_merchant: {rate: fast}", "per_merchant.rate: expected a number"},
      {"per_merchant: {rate: [1]}", "per_merchant.rate: expected a number"},
      {"per_merchant: {rate: .inf}", "per_merchant.rate: expected a finite number"},
      {"per_merchant: {rate: .nan}", "per_merchant.rate: expected a number"},
      {"per_merchant: {rate: 1, burst: 0.5}",
       "per_merchant.burst: expected a number >= 1 (a call takes one token)"},
      {"per_merchant: {rate: 1, burst: 0}", "per_merchant.burst: expected a number > 0"},
      {"per_merchant: {rate: 1, burst: .inf}", "per_merchant.burst: expected a finite number"},
      {"per_merchant: {rate: 1, brust: 2}", "per_merchant.brust: unknown key"},
      {"per_method: {rate: 0}", "per_method.rate: expected a number > 0"},
      {"per_method: {rate: 1, burst: x}", "per_method.burst: expected a number"},
      {"{per_merchant: {rate: 1}, per_method: 3}", "per_method: expected a mapping"},
      {"{per_merchant: {rate: 1}, policy: redis}",
       "redis: required with policy: redis (host:port)"},
      {"{per_merchant: {rate: 1}, redis: \"127.0.0.1:6379\"}", "redis: only with policy: redis"},
      {"{per_merchant: {rate: 1}, policy: redis, redis: \"127.0.0.1\"}",
       "redis: expected host:port with a port from 1 to 65535"},
      {"{per_merchant: {rate: 1}, policy: redis, redis: \"127.0.0.1:0\"}",
       "redis: expected host:port with a port from 1 to 65535"},
      {"{per_merchant: {rate: 1}, policy: redis, redis: \"127.0.0.1:65536\"}",
       "redis: expected host:port with a port from 1 to 65535"},
      {"{per_merchant: {rate: 1}, policy: redis, redis: \":6379\"}",
       "redis: expected host:port with a port from 1 to 65535"},
      {"{per_merchant: {rate: 1}, policy: redis, redis: [x]}", "redis: expected a string"},
      {"{per_merchant: {rate: 1}, policy: memcached}", "policy: expected local or redis"},
      {"{per_merchant: {rate: 1}, policy: [local]}", "policy: expected a string"},
      {"{per_merchant: {rate: 1}, max_keys: 10}",
       "max_keys: expected a whole number from 64 to 100000000"},
      {"{per_merchant: {rate: 1}, max_keys: 1000.5}",
       "max_keys: expected a whole number from 64 to 100000000"},
      {"{per_merchant: {rate: 1}, max_keys: 1e9}",
       "max_keys: expected a whole number from 64 to 100000000"},
      {"{per_merchant: {rate: 1}, max_keys: -5}", "max_keys: expected a number > 0"},
      {"{per_merchant: {rate: 1}, max_keys: many}", "max_keys: expected a number"},
  };
  for (const auto& [yaml, expected] : cases) {
    INFO("config: " << yaml);
    CHECK(create_error(plugin, yaml) == expected);
  }
  const std::string syntax = create_error(plugin, "per_merchant: {rate: 1");
  CHECK(syntax.rfind("config: line ", 0) == 0);
  CHECK(syntax.find('\n') == std::string::npos);
}

TEST_CASE("rate-limit accepts policy local and max_keys", "[rate-limit][config]") {
  Instance plugin(rate_limit_plugin(),
                  "{per_merchant: {rate: 0.001, burst: 1}, policy: local, max_keys: 64}");
  MerchantCall idle("idle", "pay");
  REQUIRE(admitted_until_refused(plugin, idle) == 1);
  // 64 buckets, one per shard: other merchants push the idle one out, and it comes back
  // with a full bucket (what the cap costs: forgiven debt, never unbounded memory).
  for (int i = 0; i < 20000; ++i) {
    MerchantCall other("merchant-" + std::to_string(i), "pay");
    plugin.on_call(other.request());
  }
  CHECK(admitted(plugin, idle));
}

TEST_CASE("rate-limit: threads hammering one merchant never get more than burst + rate x time",
          "[rate-limit][concurrency]") {
  constexpr double kRate = 200, kBurst = 50;
  Instance plugin(rate_limit_plugin(),
                  "{per_merchant: {rate: 200, burst: 50}, "
                  "per_method: {rate: 1000000, burst: 1000000}}");
  constexpr int kThreads = 8, kCalls = 20000;
  std::atomic<int> admitted_calls{0}, refused_with_header{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      MerchantCall call("M1", "pay");
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kCalls; ++i) {
        if (plugin.on_call(call.reset()) == OPP_CONTINUE)
          admitted_calls.fetch_add(1);
        else if (call.added_header("Retry-After") == "1" && call.request()->rejection &&
                 call.request()->rejection->sub_code == "rate-limited")
          refused_with_header.fetch_add(1);
      }
    });
  const auto start = std::chrono::steady_clock::now();
  go.store(true);
  for (auto& thread : threads) thread.join();
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO("admitted " << admitted_calls.load() << " in " << elapsed_s << " s");
  CHECK(admitted_calls.load() <= kBurst + kRate * elapsed_s + 1e-6);
  CHECK(admitted_calls.load() >= kBurst);
  CHECK(admitted_calls.load() + refused_with_header.load() == kThreads * kCalls);
}

TEST_CASE("rate-limit: limits can be reconfigured while threads call",
          "[rate-limit][concurrency][reconfigure]") {
  Instance plugin(rate_limit_plugin(), "per_merchant: {rate: 100, burst: 10}");
  std::atomic<bool> stop{false};
  std::atomic<int> admitted_calls{0}, running{0};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      MerchantCall call("M1", "m" + std::to_string(t % 2));
      running.fetch_add(1);
      while (!stop.load())
        if (plugin.on_call(call.reset()) == OPP_CONTINUE) admitted_calls.fetch_add(1);
    });
  while (running.load() < 4) std::this_thread::yield();
  // 200 reconfigures, and more until a call got through meanwhile (on a loaded machine the
  // callers may not be scheduled during the first 200; bounded at 5 s).
  for (int i = 0; i < 200 || (admitted_calls.load() == 0 &&
                              std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
       ++i)
    REQUIRE(plugin.reconfigure(i % 2 ? "per_merchant: {rate: 100, burst: 10}"
                                     : "{per_merchant: {rate: 50, burst: 20}, "
                                       "per_method: {rate: 10, burst: 5}}") == "");
  stop.store(true);
  for (auto& thread : threads) thread.join();
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The widest of the two configs bounds what got through.
  CHECK(admitted_calls.load() <= 20 + 100 * elapsed_s + 1e-6);
  CHECK(admitted_calls.load() >= 1);
}
