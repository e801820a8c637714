// RedisNonceStore against a real redis-server started by the test.
#include "gateway/auth/redis_nonce_store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <optional>
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

TEST_CASE("redis nonce store: io threads of two gateways racing asynchronously, one wins",
          "[gateway][nonce][redis]") {
  RedisServer server;
  constexpr int kThreads = 2, kRounds = 50;
  // Two gateways with two io threads each, every io thread claiming each round's nonce.
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
  for (int i = 0; i < 2 * kThreads; ++i)
    contexts.push_back(std::make_unique<boost::asio::io_context>(1));
  auto gateway = [&](int first) {
    return std::make_unique<RedisNonceStore>(
        options_for(server),
        std::vector<boost::asio::io_context*>{contexts[first].get(), contexts[first + 1].get()});
  };
  auto gateway_a = gateway(0), gateway_b = gateway(2);

  std::atomic<int> wins{0}, replays{0}, answered{0};
  std::vector<std::thread> io_threads;
  for (int i = 0; i < 2 * kThreads; ++i) {
    RedisNonceStore& store = i < kThreads ? *gateway_a : *gateway_b;
    const size_t io_index = i % kThreads;
    boost::asio::io_context& io = *contexts[i];
    boost::asio::post(io, [&, io_index] {
      for (int round = 0; round < kRounds; ++round) {
        store.remember_async(io_index, "M1", "async-race-" + std::to_string(round), kExpiry, kNow,
                             [&](opp::Result<void> result) {
                               if (result.ok())
                                 wins.fetch_add(1);
                               else if (result.error().sub_code == "nonce-replayed")
                                 replays.fetch_add(1);
                               answered.fetch_add(1);
                             });
      }
    });
    io_threads.emplace_back([&answered, context = &io] {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (answered.load() < 2 * kThreads * kRounds &&
             std::chrono::steady_clock::now() < deadline)
        context->restart(), context->run_for(std::chrono::milliseconds(10));
    });
  }
  for (auto& thread : io_threads) thread.join();
  REQUIRE(answered.load() == 2 * kThreads * kRounds);
  CHECK(wins.load() == kRounds);
  CHECK(replays.load() == (2 * kThreads - 1) * kRounds);
  gateway_a.reset();  // the connections go before their contexts
  gateway_b.reset();
}

TEST_CASE("redis nonce store: the asynchronous path fails closed when redis is down",
          "[gateway][nonce][redis]") {
  boost::asio::io_context io;
  opp::redis::ClientOptions options;
  options.port = opp::test::free_loopback_port();
  RedisNonceStore store(options, {&io});
  std::optional<opp::Result<void>> outcome;
  store.remember_async(0, "M1", "nonce-0001", kExpiry, kNow,
                       [&](opp::Result<void> result) { outcome.emplace(std::move(result)); });
  for (int i = 0; i < 200 && !outcome; ++i) {
    io.restart();
    io.run_for(std::chrono::milliseconds(10));
  }
  REQUIRE(outcome.has_value());
  require_refused(*outcome, opp::ErrorCode::kRequestServerFail, "nonce-store-unavailable");
}
