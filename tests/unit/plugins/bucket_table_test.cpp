// The rate-limit plugin's bucket table: caps, eviction order, and concurrent takes.

#include "rate-limit/bucket_table.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace opp::plugins::rate_limit;

namespace {
constexpr int64_t kSecond = 1'000'000'000;
const BucketLimits kSlow{0.001, 1};  // a token per 1000 s: nothing refills during a test
}  // namespace

TEST_CASE("keys have buckets of their own", "[rate-limit][table]") {
  BucketTable table(1000);
  CHECK(table.take("M1", 0, kSlow).admitted);
  CHECK_FALSE(table.take("M1", 0, kSlow).admitted);
  CHECK(table.take("M2", 0, kSlow).admitted);
  CHECK(table.size() == 2);
}

TEST_CASE("a million distinct keys never hold more buckets than the cap",
          "[rate-limit][table][memory]") {
  for (const size_t max_keys : {size_t{1000}, size_t{100000}}) {
    INFO("max_keys " << max_keys);
    BucketTable table(max_keys);
    size_t largest = 0;
    int refused = 0;
    std::string key;
    for (int i = 0; i < 1'000'000; ++i) {
      key = "merchant-" + std::to_string(i);
      if (!table.take(key, 0, kSlow).admitted) ++refused;  // a new key always has its burst
      if (i % 50000 == 0) largest = std::max(largest, table.size());
    }
    largest = std::max(largest, table.size());
    CHECK(refused == 0);
    CHECK(largest <= max_keys);
    // Evicting is not emptying: the table stays close to the cap.
    CHECK(table.size() >= max_keys / 2);
  }
}

TEST_CASE("at the cap the least recently used bucket goes, a busy one stays",
          "[rate-limit][table]") {
  BucketTable table(BucketTable::kShards * 4);
  const BucketLimits hot{0.001, 5};
  int admitted = 0;
  for (int i = 0; i < 20000; ++i) {
    REQUIRE(table.take("other-" + std::to_string(i), 0, kSlow).admitted);
    if (table.take("hot", 0, hot).admitted) ++admitted;
  }
  // Evicted even once, "hot" would have come back with a fresh burst of 5.
  CHECK(admitted == 5);
  CHECK(table.size() <= BucketTable::kShards * 4);
}

TEST_CASE("an idle key evicted at the cap comes back with a full bucket", "[rate-limit][table]") {
  BucketTable table(BucketTable::kMinKeys);  // one bucket per shard
  REQUIRE(table.take("idle", 0, kSlow).admitted);
  REQUIRE_FALSE(table.take("idle", 0, kSlow).admitted);
  for (int i = 0; i < 5000; ++i) table.take("other-" + std::to_string(i), 0, kSlow);
  CHECK(table.take("idle", 0, kSlow).admitted);
}

TEST_CASE("full buckets are dropped below the cap as new keys arrive", "[rate-limit][table]") {
  BucketTable table(1'000'000);
  const BucketLimits fast{1000, 1};
  for (int i = 0; i < 1000; ++i) table.take("old-" + std::to_string(i), 0, fast);
  REQUIRE(table.size() == 1000);
  // A second later every old bucket has refilled: they carry nothing and make way.
  for (int i = 0; i < 1000; ++i) table.take("new-" + std::to_string(i), kSecond, fast);
  CHECK(table.size() < 1500);
  CHECK(table.size() >= 1000);  // the new keys' buckets are not full: all kept
}

TEST_CASE("a lower cap is enforced as new keys arrive, clear drops everything",
          "[rate-limit][table]") {
  BucketTable table(64000);
  for (int i = 0; i < 10000; ++i) table.take("a-" + std::to_string(i), 0, kSlow);
  REQUIRE(table.size() == 10000);
  table.set_max_keys(BucketTable::kMinKeys);
  for (int i = 0; i < 10000; ++i) table.take("b-" + std::to_string(i), 0, kSlow);
  CHECK(table.size() <= BucketTable::kMinKeys);
  table.clear();
  CHECK(table.size() == 0);
  CHECK(table.take("b-1", 0, kSlow).admitted);
}

TEST_CASE("give_back returns a token, for an unknown key it does nothing", "[rate-limit][table]") {
  BucketTable table(1000);
  REQUIRE(table.take("M1", 0, kSlow).admitted);
  REQUIRE_FALSE(table.take("M1", 0, kSlow).admitted);
  table.give_back("M1", kSlow);
  CHECK(table.take("M1", 0, kSlow).admitted);
  table.give_back("nobody", kSlow);
  CHECK(table.size() == 1);
}

TEST_CASE("threads taking from one key together admit exactly its burst",
          "[rate-limit][table][concurrency]") {
  BucketTable table(1'000'000);  // no eviction: "shared" must keep its count
  const BucketLimits limits{0.001, 1000};
  std::atomic<int> admitted{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < 5000; ++i) {
        // Other keys in between, so threads also meet on other shards.
        table.take("k" + std::to_string(t * 5000 + i), 0, limits);
        if (table.take("shared", 0, limits).admitted) admitted.fetch_add(1);
      }
    });
  go.store(true);
  for (auto& thread : threads) thread.join();
  CHECK(admitted.load() == 1000);
}

TEST_CASE("threads bringing new keys together keep the table within its cap",
          "[rate-limit][table][concurrency][memory]") {
  BucketTable table(BucketTable::kShards * 10);
  std::atomic<int> refused{0};
  std::atomic<size_t> largest{0};  // Catch2 assertions are for the main thread only
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50000; ++i) {
        const std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!table.take(key, 0, kSlow).admitted) refused.fetch_add(1);
        if (i % 1000 == 0) {
          const size_t now = table.size();
          size_t seen = largest.load();
          while (now > seen && !largest.compare_exchange_weak(seen, now)) {
          }
        }
      }
    });
  for (auto& thread : threads) thread.join();
  CHECK(largest.load() <= BucketTable::kShards * 10);
  CHECK(refused.load() == 0);  // every key was new: a full bucket each
  CHECK(table.size() <= BucketTable::kShards * 10);
}
