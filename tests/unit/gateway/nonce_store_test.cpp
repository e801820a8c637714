#include "gateway/auth/memory_nonce_store.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

using opp::gateway::auth::MemoryNonceStore;

namespace {

constexpr int64_t kNow = 1700000000;
constexpr int64_t kExpiry = kNow + 300;

void require_refused(const opp::Result<void>& result, opp::ErrorCode code, const char* sub_code) {
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == code);
  CHECK(result.error().sub_code == sub_code);
}

/// Starts `threads` threads at once on `body(thread_index)` and joins them.
template <class Body>
void race(int threads, Body body) {
  std::atomic<int> ready{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < threads) std::this_thread::yield();
      body(t);
    });
  }
  for (auto& worker : workers) worker.join();
}

}  // namespace

TEST_CASE("a nonce is accepted once per merchant", "[gateway][nonce]") {
  MemoryNonceStore store(100);
  CHECK(store.remember("M1", "nonce-0001", kExpiry, kNow).ok());
  auto replay = store.remember("M1", "nonce-0001", kExpiry, kNow + 10);
  require_refused(replay, opp::ErrorCode::kUnauthorized, "nonce-replayed");
  CHECK(replay.error().message == "nonce_str was already used");
  CHECK(store.remember("M2", "nonce-0001", kExpiry, kNow).ok());  // another merchant's
  CHECK(store.remember("M1", "nonce-0002", kExpiry, kNow).ok());
  CHECK(store.size() == 3);
}

TEST_CASE("a nonce is kept until its expiry, inclusive, then forgotten", "[gateway][nonce]") {
  MemoryNonceStore store(100);
  REQUIRE(store.remember("M1", "nonce-0001", kExpiry, kNow).ok());
  require_refused(store.remember("M1", "nonce-0001", kExpiry + 600, kExpiry),
                  opp::ErrorCode::kUnauthorized, "nonce-replayed");
  CHECK(store.remember("M1", "nonce-0001", kExpiry + 600, kExpiry + 1).ok());
  // Records expire by their own time, not by insertion order.
  REQUIRE(store.remember("M1", "late", kNow + 5000, kNow).ok());
  REQUIRE(store.remember("M1", "early", kNow + 50, kNow).ok());
  CHECK(store.remember("M1", "early", kNow + 5000, kNow + 51).ok());
  require_refused(store.remember("M1", "late", kNow + 5000, kNow + 51),
                  opp::ErrorCode::kUnauthorized, "nonce-replayed");
}

TEST_CASE("idle merchants' expired nonces are swept", "[gateway][nonce]") {
  MemoryNonceStore store(1000, 1);  // one shard: every merchant is swept together
  for (int i = 0; i < 500; ++i) {
    REQUIRE(store.remember("idle", "n" + std::to_string(i), kExpiry, kNow).ok());
  }
  CHECK(store.size() == 500);
  REQUIRE(store.remember("busy", "n-1", kExpiry + 1000, kExpiry + 1).ok());
  CHECK(store.size() == 1);
}

TEST_CASE("at the cap a merchant's new nonces are refused until old ones expire",
          "[gateway][nonce]") {
  MemoryNonceStore store(3);
  REQUIRE(store.remember("M1", "a", kNow + 10, kNow).ok());
  REQUIRE(store.remember("M1", "b", kNow + 20, kNow).ok());
  REQUIRE(store.remember("M1", "c", kNow + 30, kNow).ok());
  auto refused = store.remember("M1", "d", kNow + 30, kNow);
  require_refused(refused, opp::ErrorCode::kUnauthorized, "nonce-quota-exceeded");
  CHECK(refused.error().message ==
        "too many nonces inside the timestamp window for this merchant; retry later");
  // A replay at the cap is still a replay, and other merchants are unaffected.
  require_refused(store.remember("M1", "a", kNow + 10, kNow), opp::ErrorCode::kUnauthorized,
                  "nonce-replayed");
  CHECK(store.remember("M2", "d", kNow + 30, kNow).ok());
  // Once "a" expired there is room for one more.
  CHECK(store.remember("M1", "d", kNow + 30, kNow + 11).ok());
  require_refused(store.remember("M1", "e", kNow + 30, kNow + 11), opp::ErrorCode::kUnauthorized,
                  "nonce-quota-exceeded");
}

TEST_CASE("of N threads racing the same nonce exactly one wins", "[gateway][nonce]") {
  constexpr int kThreads = 16;
  constexpr int kRounds = 200;
  MemoryNonceStore store(100000);
  std::vector<std::atomic<int>> winners(kRounds);
  std::atomic<int> replays{0};
  race(kThreads, [&](int) {
    for (int round = 0; round < kRounds; ++round) {
      auto result = store.remember("M1", "race-" + std::to_string(round), kExpiry, kNow);
      if (result.ok()) {
        winners[round].fetch_add(1);
      } else if (result.error().sub_code == "nonce-replayed") {
        replays.fetch_add(1);
      }
    }
  });
  for (int round = 0; round < kRounds; ++round) {
    INFO("round " << round);
    CHECK(winners[round].load() == 1);
  }
  CHECK(replays.load() == kRounds * (kThreads - 1));
}

TEST_CASE("threads of many merchants store concurrently and the cap holds", "[gateway][nonce]") {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 2000;
  constexpr uint32_t kCap = 3000;
  MemoryNonceStore store(kCap, 4);
  std::atomic<int> capped_accepted{0};
  std::atomic<int> own_failures{0};
  race(kThreads, [&](int t) {
    const std::string own = "own-" + std::to_string(t);
    for (int i = 0; i < kPerThread; ++i) {
      // Every thread's own merchant: all accepted.
      if (!store.remember(own, "n" + std::to_string(i), kExpiry, kNow).ok()) ++own_failures;
      // One shared merchant with distinct nonces: exactly kCap accepted in total.
      if (store.remember("shared", std::to_string(t) + "-" + std::to_string(i), kExpiry, kNow)
              .ok()) {
        ++capped_accepted;
      }
    }
  });
  CHECK(own_failures.load() == 0);
  CHECK(capped_accepted.load() == static_cast<int>(kCap));
  CHECK(store.size() == kThreads * kPerThread + kCap);
}

TEST_CASE("nonces stay remembered while the table grows and is rebuilt", "[gateway][nonce]") {
  constexpr int kCount = 20000;
  MemoryNonceStore store(kCount);
  // Even nonces expire early, odd ones late.
  for (int i = 0; i < kCount; ++i) {
    const int64_t expiry = i % 2 == 0 ? kNow + 100 : kNow + 1000;
    REQUIRE(store.remember("M1", "grow-" + std::to_string(i), expiry, kNow).ok());
  }
  CHECK(store.size() == kCount);
  int replayed = 0;
  for (int i = 0; i < kCount; ++i) {
    replayed +=
        store.remember("M1", "grow-" + std::to_string(i), kNow + 1000, kNow + 50).ok() ? 0 : 1;
  }
  CHECK(replayed == kCount);
  // After the early half expired: those are accepted again, the late half still refused,
  // and fresh nonces fit although the cap was reached.
  int accepted_again = 0, still_refused = 0, fresh = 0;
  for (int i = 0; i < kCount; ++i) {
    auto result = store.remember("M1", "grow-" + std::to_string(i), kNow + 1000, kNow + 101);
    if (i % 2 == 0) {
      accepted_again += result.ok() ? 1 : 0;
    } else {
      still_refused += !result.ok() && result.error().sub_code == "nonce-replayed" ? 1 : 0;
    }
  }
  for (int i = 0; i < 100; ++i) {
    fresh += store.remember("M1", "fresh-" + std::to_string(i), kNow + 1000, kNow + 101).ok();
  }
  CHECK(accepted_again == kCount / 2);
  CHECK(still_refused == kCount / 2);
  CHECK(fresh == 0);  // the cap: kCount live nonces again
  CHECK(store.remember("M1", "fresh-x", kNow + 2000, kNow + 1001).ok());  // all expired
  CHECK(store.size() == 1);
}
