#include "rate-limit/bucket_table.hpp"

#include <algorithm>
#include <functional>

namespace opp::plugins::rate_limit {
namespace {

// Full buckets dropped from the cold end on every new key even below the cap, so that a
// steady table holds mostly buckets that carry information. Small: it runs under the lock.
constexpr int kSweepPerInsert = 2;

size_t cap_per_shard(size_t max_keys) {
  return std::max<size_t>(1, max_keys / BucketTable::kShards);
}

}  // namespace

BucketTable::BucketTable(size_t max_keys) : per_shard_cap_(cap_per_shard(max_keys)) {}

BucketTable::Shard& BucketTable::shard_of(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

// The cold end of the list is the bucket used longest ago. A full one is dropped at no
// cost. At the cap, the coldest is dropped even when not full: it has refilled the longest,
// so it is the best guess for the bucket nearest full, and dropping it forgives at most
// burst - tokens of its key's debt. Choosing exactly (the fullest bucket) would scan the
// shard on every new key; this is O(1).
void BucketTable::make_room(Shard& shard, int64_t now_ns, const BucketLimits& limits) {
  for (int i = 0; i < kSweepPerInsert && !shard.recent.empty(); ++i) {
    const Entry& cold = shard.recent.back();
    if (!cold.bucket.full_at(now_ns, limits)) break;
    shard.index.erase(cold.key);
    shard.recent.pop_back();
  }
  const size_t cap = per_shard_cap_.load(std::memory_order_relaxed);
  while (!shard.recent.empty() && shard.index.size() >= cap) {
    shard.index.erase(shard.recent.back().key);
    shard.recent.pop_back();
  }
}

Decision BucketTable::take(std::string_view key, int64_t now_ns, const BucketLimits& limits) {
  Shard& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  if (auto found = shard.index.find(key); found != shard.index.end()) {
    shard.recent.splice(shard.recent.begin(), shard.recent, found->second);
    return found->second->bucket.take(now_ns, limits);
  }
  make_room(shard, now_ns, limits);
  shard.recent.push_front(Entry{std::string(key), TokenBucket(limits, now_ns)});
  try {
    shard.index.emplace(shard.recent.front().key, shard.recent.begin());
  } catch (...) {
    shard.recent.pop_front();  // keep list and index in step
    throw;
  }
  return shard.recent.front().bucket.take(now_ns, limits);
}

void BucketTable::give_back(std::string_view key, const BucketLimits& limits) {
  Shard& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  if (auto found = shard.index.find(key); found != shard.index.end())
    found->second->bucket.give_back(limits);
}

void BucketTable::set_max_keys(size_t max_keys) {
  per_shard_cap_.store(cap_per_shard(max_keys), std::memory_order_relaxed);
}

void BucketTable::clear() {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    shard.index.clear();
    shard.recent.clear();
  }
}

size_t BucketTable::size() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.index.size();
  }
  return total;
}

}  // namespace opp::plugins::rate_limit
