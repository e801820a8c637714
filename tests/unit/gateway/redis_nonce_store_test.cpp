// RedisNonceStore against a real redis-server started by the test.
#include "gateway/auth/redis_nonce_store.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "redis_server.hpp"

using opp::gateway::auth::RedisNonceStore;
using opp::test::RedisServer;

namespace {

constexpr int64_t kNow = 1700000000;
constexpr int64_t kExpiry = kNow + 300;

opp::redis::ClientOptions options_for(const RedisServer& server) {
  opp::redis::ClientOptions options;
  options.port = server.port();
  return options;
}

void require_refused(const opp::Result<void>& result, opp::ErrorCode code, const char* sub_code) {
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == code);
  CHECK(result.error().sub_code == sub_code);
}

/// Calls `remember` until it succeeds or `bound` passes; true on success.
bool recovers_within(RedisNonceStore& store, const std::string& nonce,
                     std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    if (store.remember("M1", nonce, kExpiry, kNow).ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST_CASE("redis nonce store: a nonce is accepted once per merchant", "[gateway][nonce][redis]") {
  RedisServer server;
  RedisNonceStore store(options_for(server));
  CHECK(store.remember("M1", "nonce-0001", kExpiry, kNow).ok());
  auto replay = store.remember("M1", "nonce-0001", kExpiry, kNow + 10);
  require_refused(replay, opp::ErrorCode::kUnauthorized, "nonce-replayed");
  CHECK(store.remember("M2", "nonce-0001", kExpiry, kNow).ok());  // another merchant's
  CHECK(store.remember("M1", "nonce-0002", kExpiry, kNow).ok());
}

TEST_CASE("redis nonce store: two stores on one redis share the nonces",
          "[gateway][nonce][redis]") {
  RedisServer server;
  RedisNonceStore gateway_a(options_for(server));
  RedisNonceStore gateway_b(options_for(server));
  REQUIRE(gateway_a.remember("M1", "shared-nonce", kExpiry, kNow).ok());
  require_refused(gateway_b.remember("M1", "shared-nonce", kExpiry, kNow),
                  opp::ErrorCode::kUnauthorized, "nonce-replayed");
}

TEST_CASE("redis nonce store: the key expires after the nonce's expiry",
          "[gateway][nonce][redis]") {
  RedisServer server;
  RedisNonceStore store(options_for(server));
  // expires_at - now = 0: kept through this second inclusive (TTL 1 s), then gone.
  REQUIRE(store.remember("M1", "short-lived", kNow, kNow).ok());
  require_refused(store.remember("M1", "short-lived", kNow, kNow), opp::ErrorCode::kUnauthorized,
                  "nonce-replayed");
  bool forgotten = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!forgotten && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    forgotten = store.remember("M1", "short-lived", kNow + 1, kNow + 1).ok();
  }
  CHECK(forgotten);
}

TEST_CASE("redis nonce store: of 8 threads racing with one nonce exactly one wins",
          "[gateway][nonce][redis]") {
  RedisServer server;
  RedisNonceStore store(options_for(server));
  for (int round = 0; round < 20; ++round) {
    const std::string nonce = "race-nonce-" + std::to_string(round);
    std::atomic<int> ready{0}, wins{0}, replays{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < 8; ++t) {
      workers.emplace_back([&] {
        ready.fetch_add(1);
        while (ready.load() < 8) std::this_thread::yield();
        auto result = store.remember("M1", nonce, kExpiry, kNow);
        if (result.ok())
          wins.fetch_add(1);
        else if (result.error().sub_code == "nonce-replayed")
          replays.fetch_add(1);
      });
    }
    for (auto& worker : workers) worker.join();
    REQUIRE(wins.load() == 1);
    REQUIRE(replays.load() == 7);
  }
}

TEST_CASE("redis nonce store: redis down is refused promptly, fail closed, and recovers",
          "[gateway][nonce][redis]") {
  RedisServer server;
  RedisNonceStore store(options_for(server));
  REQUIRE(store.remember("M1", "before-stop", kExpiry, kNow).ok());
  server.stop();

  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto down = store.remember("M1", "while-down-" + std::to_string(i), kExpiry, kNow);
    const auto took = std::chrono::steady_clock::now() - start;
    require_refused(down, opp::ErrorCode::kRequestServerFail, "nonce-store-unavailable");
    CHECK(down.error().message.rfind("the nonce store is unavailable: ", 0) == 0);
    CHECK(took < std::chrono::seconds(1));  // liveness bound, not a timing measurement
  }

  server.start();  // empty: the old nonces went with the killed server
  CHECK(recovers_within(store, "after-restart", std::chrono::seconds(5)));
  require_refused(store.remember("M1", "after-restart", kExpiry, kNow),
                  opp::ErrorCode::kUnauthorized, "nonce-replayed");
}

TEST_CASE("redis nonce store: nothing listening is nonce-store-unavailable",
          "[gateway][nonce][redis]") {
  opp::redis::ClientOptions options;
  options.port = opp::test::free_loopback_port();
  RedisNonceStore store(options);
  require_refused(store.remember("M1", "nonce-0001", kExpiry, kNow),
                  opp::ErrorCode::kRequestServerFail, "nonce-store-unavailable");
  // Within the backoff the refusal comes without a connect attempt.
  auto again = store.remember("M1", "nonce-0001", kExpiry, kNow);
  require_refused(again, opp::ErrorCode::kRequestServerFail, "nonce-store-unavailable");
  CHECK(again.error().message.find("retrying shortly") != std::string::npos);
}
