#pragma once
// The buckets of one limit, by key (a merchant id, or merchant + method), shared by every
// io thread. Split into shards, each with its own mutex, so calls of different merchants
// rarely wait on each other; calls of one merchant serialise on its shard, which is what
// counting its tokens needs. The number of buckets is capped: memory stays bounded however
// many keys appear.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rate-limit/token_bucket.hpp"

namespace opp::plugins::rate_limit {

class BucketTable {
 public:
  static constexpr size_t kShards = 64;
  /// The smallest cap: one bucket per shard.
  static constexpr size_t kMinKeys = kShards;

  /// A table of at most `max_keys` buckets (>= kMinKeys; each shard holds max_keys / kShards).
  explicit BucketTable(size_t max_keys);

  BucketTable(const BucketTable&) = delete;
  BucketTable& operator=(const BucketTable&) = delete;

  /// Takes a token from `key`'s bucket at `now_ns`, creating a full bucket for a new key.
  /// A new key in a full shard first evicts the shard's least recently used buckets
  /// (see make_room).
  Decision take(std::string_view key, int64_t now_ns, const BucketLimits& limits);

  /// Returns the token a take() of `key` got (another limit refused the call). Nothing
  /// when the bucket was evicted meanwhile: a missing bucket already counts as full.
  void give_back(std::string_view key, const BucketLimits& limits);

  /// A new cap (>= kMinKeys); a lower one is enforced shard by shard at its next new key.
  void set_max_keys(size_t max_keys);

  /// Drops every bucket (the limit was removed from the config).
  void clear();

  /// The buckets held now, for tests and statistics (locks each shard in turn).
  size_t size() const;

 private:
  struct Entry {
    std::string key;
    TokenBucket bucket;
  };
  // A cache line each, so two io threads on different shards do not share one.
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    std::list<Entry> recent;  ///< most recently used first; nodes are stable, keys live here
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  ///< views of keys
  };

  Shard& shard_of(std::string_view key);
  /// Makes room in `shard` (locked) for one new bucket; see the .cpp for the policy.
  void make_room(Shard& shard, int64_t now_ns, const BucketLimits& limits);

  std::array<Shard, kShards> shards_;
  std::atomic<size_t> per_shard_cap_;
};

}  // namespace opp::plugins::rate_limit
